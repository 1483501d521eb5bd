"""CloudFormation create-or-update through change sets, as `aws cloudformation deploy` does.

A change set shows nothing is deleted behind the operator's back (the stacks' data is retained anyway)
and an unchanged template is a no-op rather than an error, so re-running a deployment is safe.
"""

from __future__ import annotations

import time
from typing import Any

from botocore.exceptions import ClientError, WaiterError

# A stack in one of these can only be deleted (a first create that rolled back) or is mid-change.
DEAD = {"ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "DELETE_FAILED"}
NO_CHANGES = ("didn't contain changes", "No updates are to be performed")
WAIT = {"Delay": 10, "MaxAttempts": 360}  # an hour: CloudFront-free stacks finish well within it


def stack_status(cfn: Any, stack: str) -> str | None:
    try:
        return cfn.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
    except ClientError as error:
        if "does not exist" in str(error):
            return None
        raise


def stack_outputs(cfn: Any, stack: str) -> dict[str, str]:
    described = cfn.describe_stacks(StackName=stack)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}


def parameters_for(given: dict[str, str | None], updating: bool) -> list[dict[str, Any]]:
    """None means not given: the stack keeps its previous value on update (a re-run without the BYON
    settings must not tear the entry point down), the template's default on create."""
    parameters: list[dict[str, Any]] = []
    for key, value in given.items():
        if value is not None:
            parameters.append({"ParameterKey": key, "ParameterValue": value})
        elif updating:
            parameters.append({"ParameterKey": key, "UsePreviousValue": True})
    return parameters


def deploy_stack(cfn: Any, stack: str, template: dict[str, str], parameters: dict[str, str | None],
                 capabilities: list[str], say: Any = print) -> str:
    """Create or update `stack` from template ({"TemplateBody": …} or {"TemplateURL": …});
    "created", "updated" or "unchanged". Raises RuntimeError with the stack's failure reasons."""
    status = stack_status(cfn, stack)
    if status in DEAD:
        raise RuntimeError(f"stack {stack} is {status}: delete it (its data is retained) and run again")
    kind = "UPDATE" if status else "CREATE"
    name = f"deploy-{int(time.time())}"
    cfn.create_change_set(StackName=stack, ChangeSetName=name, ChangeSetType=kind, Capabilities=capabilities,
                          Parameters=parameters_for(parameters, updating=kind == "UPDATE"), **template)
    try:
        cfn.get_waiter("change_set_create_complete").wait(StackName=stack, ChangeSetName=name,
                                                          WaiterConfig={"Delay": 5, "MaxAttempts": 120})
    except WaiterError:
        reason = cfn.describe_change_set(StackName=stack, ChangeSetName=name).get("StatusReason", "")
        if any(marker in reason for marker in NO_CHANGES):
            cfn.delete_change_set(StackName=stack, ChangeSetName=name)
            return "unchanged"
        raise RuntimeError(f"change set of {stack} failed: {reason}") from None
    changes = cfn.describe_change_set(StackName=stack, ChangeSetName=name).get("Changes", [])
    for change in changes:
        detail = change["ResourceChange"]
        say(f"    {detail['Action']:<7} {detail['LogicalResourceId']} ({detail['ResourceType']})")
    cfn.execute_change_set(StackName=stack, ChangeSetName=name)
    waiter = "stack_create_complete" if kind == "CREATE" else "stack_update_complete"
    try:
        cfn.get_waiter(waiter).wait(StackName=stack, WaiterConfig=WAIT)
    except WaiterError:
        raise RuntimeError(f"stack {stack} did not complete:\n" + "\n".join(failure_reasons(cfn, stack))) from None
    return "created" if kind == "CREATE" else "updated"


def failure_reasons(cfn: Any, stack: str, limit: int = 5) -> list[str]:
    """The latest FAILED events of the stack: what CloudFormation says went wrong."""
    events = cfn.describe_stack_events(StackName=stack)["StackEvents"]
    failed = [e for e in events if e["ResourceStatus"].endswith("FAILED")][:limit]
    return [f"    {e['LogicalResourceId']}: {e.get('ResourceStatusReason', e['ResourceStatus'])}" for e in failed]
