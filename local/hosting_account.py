"""Deploys hosting_account/template.yaml into a hosting account, as its IT admin would on AWS."""

from __future__ import annotations

from pathlib import Path

import boto3

TEMPLATE_PATH = Path(__file__).resolve().parent.parent / "hosting_account" / "template.yaml"
STACK_NAME = "rsw-hosting-account"


def deploy_hosting_account(session: boto3.session.Session, main_account_id: str, external_id: str,
                           stack_name: str = STACK_NAME, template_body: str | None = None,
                           **parameters: str) -> dict[str, str]:
    """`session` acts in the hosting account (e.g. with local.emulation.account_credentials)."""
    cfn = session.client("cloudformation")
    # Trust only this stage's app roles (local.app_identity's role is research-workbench-local-…).
    params = {"MainAccountId": main_account_id, "ExternalId": external_id,
              "WorkbenchRolePrefix": "research-workbench-local", **parameters}
    cfn.create_stack(StackName=stack_name, TemplateBody=template_body or TEMPLATE_PATH.read_text(),
                     Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in params.items()],
                     Capabilities=["CAPABILITY_NAMED_IAM"])
    cfn.get_waiter("stack_create_complete").wait(StackName=stack_name, WaiterConfig={"Delay": 1, "MaxAttempts": 120})
    stack = cfn.describe_stacks(StackName=stack_name)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
