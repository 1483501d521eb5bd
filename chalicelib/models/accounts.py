"""Hosting accounts: AWS accounts onboarded to run environments."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StringConstraints

from .base import Name, RequestModel, Resource

AccountStatus = Literal["PENDING", "CURRENT", "NEEDS_UPDATE", "ERRORED", "DELETED"]
AwsAccountId = Annotated[str, StringConstraints(pattern=r"^\d{12}$")]
RoleArn = Annotated[str, StringConstraints(max_length=600,
                                           pattern=r"^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$")]
ExternalId = Annotated[str, StringConstraints(min_length=2, max_length=1224, pattern=r"^[A-Za-z0-9+=,.@:/_-]+$")]


class Account(Resource):
    name: Name
    aws_account_id: str
    env_mgmt_role_arn: str
    hosting_account_handler_role_arn: str
    external_id: str
    status: AccountStatus = "PENDING"
    status_reason: str = "waiting for the first account check"
    last_checked_at: str | None = None


class CreateAccount(RequestModel):
    name: Name
    aws_account_id: AwsAccountId
    env_mgmt_role_arn: RoleArn
    hosting_account_handler_role_arn: RoleArn
    external_id: ExternalId


class UpdateAccount(RequestModel):
    name: Name | None = None
