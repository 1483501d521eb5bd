"""The embedded AWS and the app, as fixtures: one per test session, built from the real main_account template.

Registered once by tests/conftest.py (one definition, so every directory shares the one session
stack); moto and the app are imported only when a test asks for a fixture, so the unit tier never loads them.
"""

from __future__ import annotations

import os
import uuid

import boto3
import pytest

from tests.helpers import NOTEBOOK_PARAMETERS, PASSWORD, Person, random_account_id


def moto_jwks() -> dict:
    """moto signs every pool's tokens with one static key; its public half ships with moto."""
    from moto.utilities.utils import load_resource
    return load_resource("cognitoidp/resources/jwks-public.json")


@pytest.fixture(scope="session")
def stack():
    from moto import mock_aws

    from chalicelib import deps
    from chalicelib.aws import AwsClients
    from chalicelib.settings import environment_from_outputs, get_settings
    from local import emulation
    from local.app_identity import app_credentials
    from local.main_account import deploy_main_account

    with mock_aws():
        emulation.install(emulation.EmulationSettings(strict_cloudformation=True))  # instant; unknown types fail
        outputs = deploy_main_account(boto3.session.Session())
        os.environ.update(environment_from_outputs(outputs))
        get_settings.cache_clear()
        outputs["appCredentials"] = app_credentials()  # the app acts as its role, as on Lambda
        deps.reset(deps.Container(aws=AwsClients(boto3.session.Session(**outputs["appCredentials"])), jwks=moto_jwks))
        yield outputs
        deps.reset()
        emulation.uninstall()


@pytest.fixture(scope="session")
def app(stack):
    from app import app as chalice_app
    from local import gateway
    gateway.install()  # API Gateway's own answers, and the edge authorizer left to the pipeline, as in make local
    return chalice_app


@pytest.fixture
def api(app):
    from chalice.test import Client
    with Client(app) as client:
        yield client


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
def onboard(stack, admin):
    """Deploys the hosting_account stack in a fresh account and registers it through the service."""
    from chalicelib import deps
    from chalicelib.models.accounts import CreateAccount
    from local.emulation import account_credentials
    from local.hosting_account import deploy_hosting_account

    def make(external_id: str = "ext-1234", registered_external_id: str | None = None, check: bool = True, **params):
        aws_id = random_account_id()
        session = boto3.session.Session(**account_credentials(aws_id))
        outputs = deploy_hosting_account(session, "123456789012", external_id, **params)
        account = deps.container().accounts.register(admin.id, CreateAccount(
            name=f"hosting-{aws_id}", aws_account_id=aws_id, env_mgmt_role_arn=outputs["EnvMgmtRoleArn"],
            hosting_account_handler_role_arn=outputs["HostingAccountHandlerRoleArn"],
            external_id=registered_external_id or external_id))
        return (deps.container().accounts.check(account) if check else account), session
    return make


@pytest.fixture(scope="session")
def hosting_account(onboard):
    """A CURRENT hosting account, onboarded the way an IT admin does it."""
    account, _ = onboard()
    assert account.status == "CURRENT", (account.status_reason, account.checks)
    return account


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


@pytest.fixture(scope="session")
def new_environment_type(stack):
    """Makes an environment type as an import from Service Catalog would (the import is tested on its own)."""
    from chalicelib import deps
    from chalicelib.models.base import now
    from chalicelib.models.environment_types import EnvironmentType
    from chalicelib.parameters import from_template

    def make(status: str = "APPROVED"):
        stamp = now()
        product, artifact = f"prod-{uuid.uuid4().hex[:12]}", f"pa-{uuid.uuid4().hex[:12]}"
        return deps.container().environment_types_repo.add(EnvironmentType(
            id=f"et-{uuid.uuid4()}", name=f"notebook-{artifact}", product_id=product, provisioning_artifact_id=artifact,
            product_name="sagemaker-notebook", params=from_template(NOTEBOOK_PARAMETERS), status=status,
            created_at=stamp, updated_at=stamp, created_by="import", updated_by="import"))
    return make


@pytest.fixture(scope="session")
def new_configuration(new_environment_type, admin):
    from chalicelib import deps
    from chalicelib.models.configurations import ConfigParam, CreateConfiguration

    def make(env_type=None, projects=()):
        env_type = env_type or new_environment_type()
        configuration = deps.container().configurations.create(admin.id, env_type.id, CreateConfiguration(
            name=f"small-{uuid.uuid4().hex[:6]}", params=[ConfigParam(key="InstanceType", value="ml.t3.large"),
                                                          ConfigParam(key="CIDR", value="10.0.0.0/16")]))
        for project in projects:
            deps.container().configurations.link(project.id, env_type.id, configuration.id)
        return configuration
    return make


@pytest.fixture
def counted(stack):
    """The app's container with a counter on its boto3 session (warm: policy and secret cached)."""
    from chalicelib import deps
    from chalicelib.aws import AwsClients
    from local.aws_calls import CallCounter

    previous = deps.container()
    session = boto3.session.Session(**stack["appCredentials"])
    counter = CallCounter(session)
    deps.reset(deps.Container(aws=AwsClients(session), jwks=moto_jwks))
    yield counter
    deps.reset(previous)
