"""STS: AssumeRole honours the target role's trust policy (Principal, sts:ExternalId), as AWS does."""

from __future__ import annotations

import fnmatch
import json
from typing import Any
from urllib.parse import unquote

from moto.core.exceptions import AccessDeniedError
from moto.iam.models import iam_backends
from moto.sts.responses import TokenResponse
from moto.utilities.utils import get_partition

from . import settings
from .accounts import Caller, caller_from_access_key
from .patching import original, patch

_POSITIVE = {"StringEquals", "StringLike", "StringEqualsIgnoreCase", "ArnEquals", "ArnLike"}
_NEGATIVE = {"StringNotEquals", "StringNotLike", "ArnNotEquals", "ArnNotLike"}


def is_allowed(policy: dict[str, Any], caller: Caller, external_id: str | None) -> bool:
    """Evaluate a role trust policy for sts:AssumeRole by caller; an explicit Deny wins."""
    context = {
        "sts:externalid": external_id,
        "aws:principalarn": caller.principal_arn,
        "aws:principalaccount": caller.account_id,
    }
    statements = policy.get("Statement", [])
    allowed = False
    for statement in statements if isinstance(statements, list) else [statements]:
        if not (
            _action_matches(statement.get("Action"))
            and _principal_matches(statement.get("Principal"), caller)
            and _conditions_hold(statement.get("Condition") or {}, context)
        ):
            continue
        if statement.get("Effect") == "Deny":
            return False
        allowed = allowed or statement.get("Effect") == "Allow"
    return allowed


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _action_matches(actions: Any) -> bool:
    return any(
        fnmatch.fnmatchcase("sts:assumerole", str(a).lower()) for a in _as_list(actions or [])
    )


def _principal_matches(principal: Any, caller: Caller) -> bool:
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    for value in _as_list(principal.get("AWS", [])):
        if value == "*" or value in (caller.account_id, caller.principal_arn, caller.arn):
            return True
        if value.endswith(f"::{caller.account_id}:root"):
            return True  # the account trusts all its identities (their IAM policies decide)
        if ":role/" in value and caller.role_arn:  # a role named with a path
            same_account = value.split(":")[4] == caller.account_id
            if same_account and value.split("/")[-1] == caller.role_arn.split("/")[-1]:
                return True
    return False  # Service / Federated principals never match an IAM caller


def _conditions_hold(conditions: dict[str, Any], context: dict[str, Any]) -> bool:
    for operator, checks in conditions.items():
        base = operator.split(":")[-1]  # ForAnyValue:StringEquals -> StringEquals
        if_exists = base.endswith("IfExists")
        base = base.removesuffix("IfExists")
        for key, expected in checks.items():
            actual = context.get(key.lower())
            if actual is None:
                if not (if_exists or base in _NEGATIVE):
                    return False
                continue
            if not _compare(base, str(actual), [str(e) for e in _as_list(expected)]):
                return False
    return True


def _compare(operator: str, actual: str, expected: list[str]) -> bool:
    if operator in ("StringEquals", "ArnEquals"):
        return actual in expected
    if operator == "StringEqualsIgnoreCase":
        return actual.lower() in [e.lower() for e in expected]
    if operator in ("StringLike", "ArnLike"):
        return any(fnmatch.fnmatchcase(actual, e) for e in expected)
    if operator in _NEGATIVE:
        return not _compare(operator.replace("Not", ""), actual, expected)
    return False  # an operator our templates do not use: fail closed, as a missing key would


def trust_policy_of(role_arn: str, region: str) -> dict[str, Any] | None:
    """The role's trust policy, or None when the role does not exist."""
    parts = role_arn.split(":")
    if len(parts) < 6 or not parts[5].startswith("role/"):
        return None
    backend = iam_backends[parts[4]][get_partition(region)]
    role = next((r for r in backend.get_roles() if r.name == parts[5].split("/")[-1]), None)
    if role is None:
        return None
    document = role.assume_role_policy_document or "{}"
    if isinstance(document, dict):
        return document
    try:
        return json.loads(document)
    except ValueError:
        return json.loads(unquote(document))


def check_assume_role(caller: Caller, role_arn: str, external_id: str | None, region: str) -> None:
    policy = trust_policy_of(role_arn, region)
    if policy is None or not is_allowed(policy, caller, external_id):
        raise AccessDeniedError(
            user_arn=caller.arn, action=f"sts:AssumeRole on resource: {role_arn}"
        )


def _assume_role(self: TokenResponse) -> Any:
    if settings.current().enforce_trust_policies:
        caller = caller_from_access_key(self.get_access_key(), self.current_account, self.region)
        check_assume_role(
            caller, self._get_param("RoleArn"), self._get_param("ExternalId"), self.region
        )
    return original(TokenResponse, "assume_role")(self)


def install() -> None:
    """Wrap moto's STS AssumeRole handler."""
    patch(TokenResponse, "assume_role", _assume_role)
