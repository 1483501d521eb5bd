"""`make destroy STAGE=dev [REGION=…]`: removes the app, never the data.

Deletes the app stack (research-workbench-<stage>: functions, API, roles) and the console stack's
code, and leaves the main_account stack standing: its tables, buckets, keys, user pool and secret
carry DeletionPolicy Retain (checked here, so a template change cannot make this script destructive),
and the stack holds the entry point the app is reached through. What stays is listed at the end.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from scripts import cfn_deploy
from scripts.deploy_checks import _IgnoreTags

ROOT = Path(__file__).resolve().parent.parent
MAIN_TEMPLATE = ROOT / "main_account" / "template.yaml"
DATA_TYPES = {"AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::KMS::Key", "AWS::Cognito::UserPool",
              "AWS::SecretsManager::Secret"}


def unretained_data(template_path: Path = MAIN_TEMPLATE) -> list[str]:
    """Data resources of main_account/ that a stack deletion would delete (should be none)."""
    import yaml

    resources = yaml.load(template_path.read_text(), Loader=_IgnoreTags)["Resources"]  # noqa: S506
    return sorted(name for name, r in resources.items()
                  if r["Type"] in DATA_TYPES and r.get("DeletionPolicy") != "Retain")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make destroy", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stage", default=os.environ.get("STAGE"))
    parser.add_argument("--region", default=os.environ.get("REGION") or os.environ.get("AWS_DEFAULT_REGION"))
    args = parser.parse_args(argv)
    if not args.stage:
        parser.error("STAGE is required (make destroy STAGE=dev)")
    unsafe = unretained_data()
    if unsafe:
        raise SystemExit(f"refusing: {unsafe} in main_account/ lack DeletionPolicy Retain (they hold data)")
    import boto3

    cfn = boto3.session.Session(region_name=args.region).client("cloudformation")
    app_stack, main_stack = f"research-workbench-{args.stage}", f"rsw-{args.stage}"
    if cfn_deploy.stack_status(cfn, app_stack):
        print(f"deleting stack {app_stack} (functions, API, roles)")
        cfn.delete_stack(StackName=app_stack)
        cfn.get_waiter("stack_delete_complete").wait(StackName=app_stack, WaiterConfig=cfn_deploy.WAIT)
    else:
        print(f"stack {app_stack}: not there")
    print(f"Left behind (data is never deleted here), in stack {main_stack}:")
    for key, value in sorted(cfn_deploy.stack_outputs(cfn, main_stack).items() if cfn_deploy.stack_status(
            cfn, main_stack) else []):
        if key.endswith(("TableName", "BucketName", "KeyArn", "UserPoolId", "SecretArn")):
            print(f"    {key}: {value}")
    print(f"The data resources are DeletionPolicy Retain: deleting stack {main_stack} by hand keeps them (and the "
          "tables' deletion protection); the hosting accounts' stacks are theirs to delete. "
          f"`make deploy STAGE={args.stage}` brings the app back onto the same data.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
