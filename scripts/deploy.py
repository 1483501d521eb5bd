"""`make deploy STAGE=dev [REGION=…] [FROM=step] [DRY_RUN=1]`: the whole workbench into one AWS account.

Steps, in order (FROM=<step> resumes at one): main-account (stack rsw-<stage>), console (its stack
and files, when console/ has them: the API's CORS allows its origin), stage-config
(.chalice/config.json from its outputs), package (`chalice package` + gateway responses), app (the
package as stack research-workbench-<stage>: the hosting accounts trust only roles named
research-workbench-<stage>-*), entry-point (BYON load balancer targets), catalog, admin, next-steps.
Each is idempotent, so re-running updates in place. BYON settings (VPC_ID, SUBNET_IDS,
API_VPC_ENDPOINT_ID, CLIENT_CIDR, LOAD_BALANCER, CERTIFICATE_ARN, DOMAIN_NAME, HOSTED_ZONE_ID) persist
across runs; VPC_ID=off returns to the public API. See docs/deploy.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scripts import app_package, deploy_checks, deploy_steps

ROOT = Path(__file__).resolve().parent.parent
BYON_ENV = {"VpcId": "VPC_ID", "SubnetIds": "SUBNET_IDS", "ApiVpcEndpointId": "API_VPC_ENDPOINT_ID",
            "ClientCidr": "CLIENT_CIDR", "LoadBalancer": "LOAD_BALANCER", "CertificateArn": "CERTIFICATE_ARN",
            "DomainName": "DOMAIN_NAME", "HostedZoneId": "HOSTED_ZONE_ID"}
# What the dry run packages beside the operator's own settings with EXAMPLES=1: both BYON variants.
_VPC = {"VpcId": "vpc-0123456789abcdef0", "SubnetIds": "subnet-0123456789abcdef0,subnet-0fedcba9876543210"}
EXAMPLES = {
    "byon-private-api": {**_VPC, "LoadBalancer": "none"},
    "byon-load-balancer": {**_VPC, "LoadBalancer": "internal", "DomainName": "workbench.example.edu",
                           "CertificateArn": "arn:aws:acm:us-east-1:111122223333:certificate/"
                                             "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"},
}


@dataclass
class Deployment:
    """What the steps share; outputs are read from the stack when a run resumes past main-account."""
    stage: str
    region: str
    byon: dict[str, str | None]
    admin: dict[str, str]
    session: Any = None
    outputs: dict[str, str] = field(default_factory=dict)
    package_dir: Path = ROOT / "build" / "deploy"

    @property
    def main_stack(self) -> str:
        return f"rsw-{self.stage}"

    @property
    def app_stack(self) -> str:
        return f"research-workbench-{self.stage}"


def byon_from_env(env: dict[str, str]) -> dict[str, str | None]:
    """The BYON parameters as given (None: not given, keep the stack's value); VPC_ID=off clears them."""
    if env.get("VPC_ID") == "off":
        return {**{key: "" for key in BYON_ENV}, "LoadBalancer": "none", "ClientCidr": None}
    return {key: env.get(name) or None for key, name in BYON_ENV.items()}


def run_steps(steps: list[tuple[str, Callable[[Deployment], Any]]], deployment: Deployment,
              start: str | None, say: Callable[[str], None] = print) -> bool:
    """Each step from `start` on, numbered; on a failure, which step and how to resume."""
    names = [name for name, _ in steps]
    if start and start not in names:
        raise SystemExit(f"FROM={start}: no such step; the steps are {', '.join(names)}")
    first = names.index(start) if start else 0
    for number, (name, step) in enumerate(steps[first:], start=first + 1):
        say(f"[{number}/{len(steps)}] {name}")
        try:
            step(deployment)
        except Exception as error:  # noqa: BLE001 - every failure ends the run with its step named
            say(f"FAILED at step {name}: {error}")
            say(f"Fix the cause, then resume: make deploy STAGE={deployment.stage} "
                f"REGION={deployment.region} FROM={name}")
            return False
    return True


STEPS: list[tuple[str, Callable[[Deployment], Any]]] = [
    ("main-account", deploy_steps.main_account), ("console", deploy_steps.console),
    ("stage-config", deploy_steps.stage_config), ("package", deploy_steps.package), ("app", deploy_steps.app),
    ("entry-point", deploy_steps.entry_point), ("catalog", deploy_steps.catalog), ("admin", deploy_steps.admin),
    ("next-steps", deploy_steps.next_steps),
]


def dry_run(deployment: Deployment, examples: bool, keep: str | None = None,
            say: Callable[[str], None] = print) -> bool:
    """Everything short of AWS, for the operator's settings (and both BYON examples with EXAMPLES=1);
    keep: a directory that keeps each variant's stage config and package for inspection."""
    variants = {"as given": deployment.byon, **(EXAMPLES if examples else {})}
    with tempfile.TemporaryDirectory(prefix="rsw-dry-run-") as scratch:
        work = Path(keep) if keep else Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        say(f"[1/4] stage config and package, from sample outputs: {', '.join(variants)}")
        static_lines: list[str] = []
        # The repository's templates are linted while the packages build (the run is mostly waiting).
        with ThreadPoolExecutor(max_workers=3) as pool:
            static = pool.submit(deploy_checks.lint, deploy_checks.static_templates(), [], static_lines.append)
            results = list(pool.map(lambda item: _dry_variant(deployment, work, *item), variants.items()))
            problems = [p for _, found, _ in results for p in found]
            for name, found, _ in results:
                say(f"    {name}: {'ok' if not found else 'FAILED'} ({work.name}/{name.replace(' ', '-')}-stage.json)")
            say("[2/4] templates: cfn-lint and checkov (every template, and each package)")
            problems += static.result()
        for line in static_lines:
            say(line)
        problems += deploy_checks.lint([], [sam for _, _, sam in results], say)
        say("[3/4] console")
        deploy_steps.console_files(say)
        say("[4/4] AWS: not called (dry run)")
    for problem in problems:
        say(f"PROBLEM: {problem}")
    say("dry run: " + ("all clear" if not problems else f"{len(problems)} problem(s)"))
    return not problems


def _dry_variant(deployment: Deployment, work: Path, name: str,
                 byon: dict[str, str | None]) -> tuple[str, list[str], Path]:
    slug = name.replace(" ", "-")
    outputs = deploy_checks.sample_outputs(deployment.stage, byon, deployment.region)
    project = app_package.project_copy(work / f"{slug}-project")
    config_path = project / ".chalice" / "config.json"
    stage_config = app_package.configure_app_stage(deployment.stage, outputs, config_path)
    (work / f"{slug}-stage.json").write_text(json.dumps(stage_config, indent=2))
    problems = [f"{name}: {p}" for p in deploy_checks.environment_problems(json.loads(config_path.read_text()),
                                                                          deployment.stage)]
    sam = app_package.package(project, deployment.stage, outputs, work / f"{slug}-package", deployment.region)
    problems += [f"{name}: {p}" for p in app_package.package_problems(json.loads(sam.read_text()), outputs)]
    return name, problems, sam


def parse(argv: list[str] | None, env: dict[str, str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="make deploy", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stage", default=env.get("STAGE") or "dev")
    parser.add_argument("--region", default=env.get("REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1")
    parser.add_argument("--from", dest="start", default=env.get("FROM") or None, help="resume at this step")
    parser.add_argument("--dry-run", action="store_true", default=bool(env.get("DRY_RUN")))
    parser.add_argument("--keep", default=env.get("DRY_RUN_DIR") or None,
                        help="dry run: keep stage configs and packages in this directory")
    parser.add_argument("--examples", action="store_true", default=bool(env.get("EXAMPLES")),
                        help="dry run: also package both BYON examples")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None, env: dict[str, str] | None = None) -> int:
    env = dict(os.environ if env is None else env)
    args = parse(argv, env)
    if not (ROOT / ".chalice" / f"policy-{args.stage}.json").exists():
        raise SystemExit(f"STAGE={args.stage}: there is no .chalice/policy-{args.stage}.json (the stage's IAM "
                         "policy); the deployable stages are dev and prod")
    admin = {"email": env.get("ADMIN_EMAIL", ""), "firstName": env.get("ADMIN_FIRST_NAME", "IT"),
             "lastName": env.get("ADMIN_LAST_NAME", "Admin")}
    deployment = Deployment(args.stage, args.region, byon_from_env(env), admin)
    if args.dry_run:
        return 0 if dry_run(deployment, args.examples, args.keep) else 1
    import boto3  # only a real deployment needs credentials

    deployment.session = boto3.session.Session(region_name=args.region)
    return 0 if run_steps(STEPS, deployment, args.start) else 1


if __name__ == "__main__":
    sys.exit(main())
