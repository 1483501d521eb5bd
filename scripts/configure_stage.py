"""Fills a Chalice stage's environment from the main_account stack's outputs.

    python -m scripts.configure_stage --stage dev --stack rsw-dev

Run it after `aws cloudformation deploy` of main_account/ and before `chalice deploy --stage dev`.
The stage's policy (.chalice/policy-<stage>.json) names the stack's resources as rsw-<stage>-*, so
the stack must be named rsw-<stage>; any other name is refused.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import boto3

from chalicelib.settings import environment_from_outputs

CONFIG = Path(__file__).resolve().parent.parent / ".chalice" / "config.json"


def expected_stack(stage: str) -> str:
    return f"rsw-{stage}"


def check_stack_name(stage: str, stack: str) -> None:
    """SystemExit unless stack is rsw-<stage>: the stage's IAM policy grants only that stack's resources."""
    if stack != expected_stack(stage):
        raise SystemExit(f"stack {stack!r} does not match stage {stage!r}: .chalice/policy-{stage}.json grants "
                         f"only the resources of stack {expected_stack(stage)!r} (deploy main_account/ as "
                         f"{expected_stack(stage)}, or edit the policy for another name)")


def stage_environment(outputs: dict[str, str]) -> dict[str, str]:
    try:
        return environment_from_outputs(outputs)
    except ValueError as error:
        raise SystemExit(str(error)) from None


def configure(stage: str, outputs: dict[str, str], config_path: Path = CONFIG) -> dict:
    config = json.loads(config_path.read_text())
    stage_config = config["stages"].setdefault(stage, {})
    stage_config.setdefault("environment_variables", {}).update({"STAGE": stage, **stage_environment(outputs)})
    config_path.write_text(json.dumps(config, indent=2) + "\n")
    return stage_config


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m scripts.configure_stage", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stage", required=True)
    parser.add_argument("--stack", help="the main_account stack name; must be rsw-<stage> (the default)")
    args = parser.parse_args(argv)
    args.stack = args.stack or expected_stack(args.stage)
    check_stack_name(args.stage, args.stack)
    stack = boto3.client("cloudformation").describe_stacks(StackName=args.stack)["Stacks"][0]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    configure(args.stage, outputs)
    print(f"stage {args.stage} now reads stack {args.stack}; next: chalice deploy --stage {args.stage}")


if __name__ == "__main__":
    main()
