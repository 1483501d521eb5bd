"""Deploy main_account/template.yaml into the embedded AWS with create_stack, as an admin would on AWS.

Every resource type the template uses is created by moto's CloudFormation as extended by
local.emulation (install it first, in this process: it serves mock_aws and ThreadedMotoServer).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import yaml
from moto.cloudformation.utils import yaml_tag_constructor

TEMPLATE_PATH = Path(__file__).resolve().parent.parent / "main_account" / "template.yaml"


class _CfnLoader(yaml.SafeLoader):
    """Reads CloudFormation YAML: short forms (!Ref, !Sub, !GetAtt ...) become their long forms."""


_CfnLoader.add_multi_constructor("", yaml_tag_constructor)


def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    """The template as a dict, intrinsic functions in long form (`{"Fn::GetAtt": [id, attr]}`)."""
    return yaml.load(path.read_text(), Loader=_CfnLoader)  # noqa: S506 - a SafeLoader


def deploy_main_account(
    session: boto3.session.Session, stack_name: str = "rsw-local", stage: str = "local"
) -> dict[str, str]:
    """Create the main-account stack, wait for CREATE_COMPLETE and return its outputs by name."""
    cfn = session.client("cloudformation")
    cfn.create_stack(
        StackName=stack_name,
        TemplateBody=TEMPLATE_PATH.read_text(),
        Parameters=[{"ParameterKey": "Stage", "ParameterValue": stage}],
        Capabilities=["CAPABILITY_NAMED_IAM"],
    )
    cfn.get_waiter("stack_create_complete").wait(
        StackName=stack_name, WaiterConfig={"Delay": 1, "MaxAttempts": 600}
    )
    stack = cfn.describe_stacks(StackName=stack_name)["Stacks"][0]
    return {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}
