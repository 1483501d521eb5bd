"""Creating a product's CloudFormation stack the way Service Catalog does, never leaving it stuck."""

from __future__ import annotations

import contextlib
import re
from typing import Any

from moto.cloudformation.models import Stack, cloudformation_backends
from moto.cloudformation.utils import get_stack_from_s3_url
from moto.utilities.utils import get_partition


def launch_stack(
    account_id: str,
    region: str,
    name: str,
    template_url: str,
    params: dict[str, str],
    tags: dict[str, str],
    role_arn: str | None,
) -> tuple[str | None, list[dict[str, str]], str | None]:
    """Create the stack; returns (stack id, record outputs, error message or None).

    A template or parameter problem is an error, not an exception: the record reports it.
    moto raises synchronously when a resource fails (e.g. a bad InstanceType) and leaves the
    stack CREATE_IN_PROGRESS; such a stack is rolled back to ROLLBACK_COMPLETE, as on AWS.
    """
    try:
        template = get_stack_from_s3_url(
            template_url, account_id=account_id, partition=get_partition(region)
        )
        check_parameters(Stack.parse_template(template), params)
    except Exception as exc:
        return None, [], f"Failed to launch the template {template_url}: {_message(exc)}"
    backend = cloudformation_backends[account_id][region]
    try:
        stack = backend.create_stack(
            name=name, template=template, parameters=params, tags=tags, role_arn=role_arn
        )
    except Exception as exc:
        stack_id = _roll_back(backend, name, _message(exc))
        return stack_id, [], _message(exc)
    outputs = [
        {"OutputKey": o["OutputKey"], "OutputValue": str(o["OutputValue"]),
         "Description": o.get("Description") or ""}
        for o in stack.outputs or []
    ]
    outputs.append({"OutputKey": "CloudformationStackARN", "OutputValue": stack.stack_id,
                    "Description": "The ARN of the launched Cloudformation Stack"})
    return stack.stack_id, outputs, None


def check_parameters(template: dict[str, Any], given: dict[str, str]) -> None:
    """CloudFormation's own parameter validation, with its messages."""
    declared: dict[str, Any] = template.get("Parameters") or {}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise ValueError(f"Parameters: {unknown} do not exist in the template")
    missing = sorted(k for k, v in declared.items() if k not in given and "Default" not in v)
    if missing:
        raise ValueError(f"Parameters: {missing} must have values")
    for key, spec in declared.items():
        value = str(given.get(key, spec.get("Default", "")))
        allowed = spec.get("AllowedValues")
        if allowed and value not in [str(a) for a in allowed]:
            raise ValueError(f"Parameter '{key}' must be one of AllowedValues")
        pattern = spec.get("AllowedPattern")
        if pattern and key in given and not re.fullmatch(pattern, value):
            raise ValueError(f"Parameter '{key}' must match pattern {pattern}")


def _roll_back(backend: Any, name: str, reason: str) -> str | None:
    stack = next((s for s in backend.stacks.values() if s.name == name), None)
    if stack is None:
        return None
    stack._add_stack_event("CREATE_FAILED", resource_status_reason=reason)
    stack._add_stack_event("ROLLBACK_IN_PROGRESS", resource_status_reason=reason)
    with contextlib.suppress(Exception):  # resources that never got created cannot be deleted
        stack.resource_map.delete()
    stack._add_stack_event("ROLLBACK_COMPLETE")
    stack.status = "ROLLBACK_COMPLETE"
    return stack.stack_id


def _message(exc: Exception) -> str:
    return str(getattr(exc, "message", None) or exc)
