"""Shared fixtures: one embedded AWS per test session, built from the real main_account template."""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, field

import boto3
import pytest
from moto import mock_aws

for _name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
    os.environ.pop(_name, None)
os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_SESSION_TOKEN="testing",
                  AWS_DEFAULT_REGION="us-east-1", AWS_REGION="us-east-1")

import app as _app  # noqa: E402,F401 - registers every route, so ROUTES is complete when tests are collected

PASSWORD = "Correct-Horse-9-Battery!"


def moto_jwks() -> dict:
    """moto signs every pool's tokens with one static key; its public half ships with moto."""
    from moto.utilities.utils import load_resource
    return load_resource("cognitoidp/resources/jwks-public.json")


@pytest.fixture(scope="session")
def stack():
    from chalicelib import deps
    from chalicelib.settings import get_settings
    from local.main_account import deploy_main_account

    with mock_aws():
        outputs = deploy_main_account(boto3.session.Session())
        os.environ.update(APP_TABLE_NAME=outputs["AppTableName"], AUTH_TABLE_NAME=outputs["AuthorizationTableName"],
                          USER_POOL_ID=outputs["UserPoolId"], USER_POOL_CLIENT_ID=outputs["UserPoolClientId"],
                          PAGINATION_SECRET_ARN=outputs["PaginationSecretArn"],
                          DATASETS_BUCKET_NAME=outputs["DatasetsBucketName"],
                          ARTIFACTS_BUCKET_NAME=outputs["ArtifactsBucketName"])
        get_settings.cache_clear()
        deps.reset(deps.Container(jwks=moto_jwks))
        yield outputs
        deps.reset()


@pytest.fixture(scope="session")
def app(stack):
    from app import app as chalice_app
    return chalice_app


@pytest.fixture
def api(app):
    from chalice.test import Client
    with Client(app) as client:
        yield client


@dataclass
class Person:
    id: str
    username: str
    email: str
    token: str
    memberships: dict = field(default_factory=dict)

    @property
    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}


class People:
    """Creates users the way the product does (the user service), then signs them in via Cognito."""

    def __init__(self, outputs: dict) -> None:
        self._outputs = outputs

    def make(self, *, it_admin: bool = False, projects: dict | None = None, active: bool = True) -> Person:
        from chalicelib import deps
        from chalicelib.models.memberships import AddMembership
        from chalicelib.models.users import CreateUser, UpdateUser

        c = deps.container()
        tag = uuid.uuid4().hex[:8]
        user = c.users.create("bootstrap", CreateUser(first_name="Test", last_name=tag, email=f"u{tag}@example.org",
                                                      roles=["ITAdmin"] if it_admin else []))
        cognito = boto3.client("cognito-idp")
        cognito.admin_set_user_password(UserPoolId=self._outputs["UserPoolId"], Username=user.username,
                                        Password=PASSWORD, Permanent=True)
        token = cognito.initiate_auth(ClientId=self._outputs["UserPoolClientId"], AuthFlow="USER_PASSWORD_AUTH",
                                      AuthParameters={"USERNAME": user.username, "PASSWORD": PASSWORD}
                                      )["AuthenticationResult"]["AccessToken"]
        for project_id, role in (projects or {}).items():
            c.members.add("bootstrap", project_id, user.id, AddMembership(role=role))
        if not active:
            c.users.update("bootstrap", user.id, UpdateUser(status="INACTIVE"), None)
        return Person(user.id, user.username, user.email, token, dict(projects or {}))


@pytest.fixture(scope="session")
def people(stack) -> People:
    return People(stack)


@pytest.fixture(scope="session")
def admin(people) -> Person:
    return people.make(it_admin=True)


@pytest.fixture(scope="session")
def hosting_account(stack, admin):
    """A CURRENT hosting account, registered and checked through the product's services."""
    from chalicelib import deps
    from chalicelib.models.accounts import CreateAccount

    c = deps.container()
    aws_id = f"{uuid.uuid4().int % 10**12:012d}"
    account = c.accounts.register(admin.id, CreateAccount(
        name="hosting", aws_account_id=aws_id, env_mgmt_role_arn=f"arn:aws:iam::{aws_id}:role/env-mgmt",
        hosting_account_handler_role_arn=f"arn:aws:iam::{aws_id}:role/handler", external_id="ext-1234"))
    return c.accounts.check(account)


@pytest.fixture(scope="session")
def cost_center(hosting_account, admin):
    from chalicelib import deps
    from chalicelib.models.cost_centers import CreateCostCenter
    return deps.container().cost_centers.create(admin.id, CreateCostCenter(name="cc", account_id=hosting_account.id))


@pytest.fixture(scope="session")
def new_project(cost_center, admin):
    """Makes a fresh project per call, so tests never see each other's changes."""
    from chalicelib import deps
    from chalicelib.models.projects import CreateProject

    def make(name: str | None = None):
        return deps.container().projects.create(
            admin.id, CreateProject(name=name or f"p-{uuid.uuid4().hex[:10]}", cost_center_id=cost_center.id))
    return make


def body(response) -> dict:
    return json.loads(response.body) if response.body else {}
