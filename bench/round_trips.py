"""AWS round trips per API request on a warm container, against the embedded AWS (in-process moto)."""

from __future__ import annotations

import json
import os
import time
import uuid
from typing import Any

import boto3


def measure() -> list[tuple[str, dict[str, int], float]]:
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        os.environ.pop(name, None)
    os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="us-east-1",
                      POWERTOOLS_LOG_LEVEL="WARNING")
    from moto import mock_aws

    with mock_aws():
        return _measure_inside()


def _measure_inside() -> list[tuple[str, dict[str, int], float]]:
    from chalice.test import Client
    from moto.utilities.utils import load_resource

    from local.aws_calls import CallCounter
    from local.main_account import deploy_main_account

    outputs = deploy_main_account(boto3.session.Session(), stack_name="rsw-bench")
    os.environ.update(APP_TABLE_NAME=outputs["AppTableName"], AUTH_TABLE_NAME=outputs["AuthorizationTableName"],
                      USER_POOL_ID=outputs["UserPoolId"], USER_POOL_CLIENT_ID=outputs["UserPoolClientId"],
                      PAGINATION_SECRET_ARN=outputs["PaginationSecretArn"])
    from app import app
    from chalicelib import deps
    from chalicelib.aws import AwsClients

    session = boto3.session.Session()
    counter = CallCounter(session)
    deps.reset(deps.Container(aws=AwsClients(session),
                              jwks=lambda: load_resource("cognitoidp/resources/jwks-public.json")))
    world = _seed(outputs)
    results = []
    with Client(app) as client:
        for label, method, path, who, payload in _requests(world):
            headers = {"Authorization": f"Bearer {world[who]}", "Content-Type": "application/json"}
            call = lambda: client.http.request(method, path, headers=headers,  # noqa: E731
                                               body=json.dumps(payload()) if payload else b"")
            call()  # warm the per-container caches
            counter.reset()
            started = time.perf_counter()
            response = call()
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code < 300, (label, response.status_code, response.body)
            results.append((label, dict(counter.calls), elapsed))
    return results


def _seed(outputs: dict[str, str]) -> dict[str, Any]:
    from chalicelib import deps
    from chalicelib.models.accounts import CreateAccount
    from chalicelib.models.cost_centers import CreateCostCenter
    from chalicelib.models.memberships import AddMembership
    from chalicelib.models.projects import CreateProject
    from chalicelib.models.users import CreateUser

    c = deps.container()
    cognito = boto3.client("cognito-idp")

    def person(tag: str, it_admin: bool = False) -> tuple[str, str]:
        user = c.users.create("bench", CreateUser(first_name="B", last_name=tag, email=f"{tag}@example.org",
                                                  roles=["ITAdmin"] if it_admin else []))
        cognito.admin_set_user_password(UserPoolId=outputs["UserPoolId"], Username=user.username,
                                        Password="Bench-Passw0rd!!", Permanent=True)
        token = cognito.initiate_auth(ClientId=outputs["UserPoolClientId"], AuthFlow="USER_PASSWORD_AUTH",
                                      AuthParameters={"USERNAME": user.username, "PASSWORD": "Bench-Passw0rd!!"})
        return user.id, token["AuthenticationResult"]["AccessToken"]

    admin_id, admin = person("admin", it_admin=True)
    researcher_id, researcher = person("researcher")
    account = c.accounts.check(c.accounts.register(admin_id, CreateAccount(
        name="bench", aws_account_id="210987654321", env_mgmt_role_arn="arn:aws:iam::210987654321:role/e",
        hosting_account_handler_role_arn="arn:aws:iam::210987654321:role/h", external_id="bench-ext")))
    cc = c.cost_centers.create(admin_id, CreateCostCenter(name="bench", account_id=account.id))
    projects = [c.projects.create(admin_id, CreateProject(name=f"bench-{i}", cost_center_id=cc.id)) for i in range(20)]
    for project in projects[:10]:
        c.members.add(admin_id, project.id, researcher_id, AddMembership(role="Researcher"))
    return {"admin": admin, "researcher": researcher, "project": projects[0].id, "cc": cc.id}


def _requests(world: dict[str, Any]) -> list[tuple]:
    pid = world["project"]
    return [
        ("GET /projects/{pid} as Researcher", "GET", f"/projects/{pid}", "researcher", None),
        ("GET /projects as Researcher (10 memberships)", "GET", "/projects", "researcher", None),
        ("GET /projects as ITAdmin (page of 50)", "GET", "/projects", "admin", None),
        ("GET /me as Researcher", "GET", "/me", "researcher", None),
        ("GET /projects/{pid}/users as ITAdmin", "GET", f"/projects/{pid}/users", "admin", None),
        ("POST /projects as ITAdmin", "POST", "/projects", "admin",
         lambda: {"name": f"bench-{uuid.uuid4().hex[:8]}", "costCenterId": world["cc"]}),
        ("PATCH /projects/{pid} as ITAdmin", "PATCH", f"/projects/{pid}", "admin",
         lambda: {"description": uuid.uuid4().hex}),
    ]
