"""Hosting accounts: AWS accounts onboarded to run environments."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .base import ApiModel, Name, RequestModel, Resource

AccountStatus = Literal["PENDING", "CURRENT", "NEEDS_UPDATE", "ERRORED", "DELETED"]
AwsAccountId = Annotated[str, StringConstraints(pattern=r"^\d{12}$")]
RoleArn = Annotated[str, StringConstraints(max_length=600,
                                           pattern=r"^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$")]
ExternalId = Annotated[str, StringConstraints(min_length=2, max_length=1224, pattern=r"^[A-Za-z0-9+=,.@:/_-]+$")]


StackName = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"^[A-Za-z][A-Za-z0-9-]*$")]
DEFAULT_STACK = "rsw-hosting-account"


class AccountCheck(ApiModel):
    name: str
    passed: bool
    detail: str
    hint: str | None = None


class Account(Resource):
    name: Name
    aws_account_id: str
    env_mgmt_role_arn: str
    hosting_account_handler_role_arn: str
    external_id: str
    status: AccountStatus = "PENDING"
    status_reason: str = "waiting for the first account check"
    stack_name: str = DEFAULT_STACK
    last_checked_at: str | None = None
    checks: list[AccountCheck] = []
    vpc_id: str | None = None
    subnet_ids: list[str] = []
    encryption_key_arn: str | None = None
    environment_boundary_arn: str | None = None
    launch_constraint_role_name: str | None = None
    template_version: str | None = None


class CreateAccount(RequestModel):
    name: Name
    aws_account_id: AwsAccountId
    env_mgmt_role_arn: RoleArn
    hosting_account_handler_role_arn: RoleArn
    external_id: ExternalId
    stack_name: StackName = DEFAULT_STACK


class UpdateAccount(RequestModel):
    name: Name | None = None


class Verification(ApiModel):
    status: AccountStatus
    status_reason: str
    checks: list[AccountCheck]


class TemplateUrlsRequest(RequestModel):
    external_id: ExternalId


class TemplateUrls(ApiModel):
    create_url: str
    update_url: str


class OnboardingUrls(ApiModel):
    """RSW's keys, kept so its API consumers move over unchanged."""
    default_network: TemplateUrls = Field(alias="onboard-account")
    bring_your_own_network: TemplateUrls = Field(alias="onboard-account-byon")
