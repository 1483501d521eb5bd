"""AWS round trips per API request on a warm container, against the embedded AWS (in-process moto)."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import boto3

from .world import embedded_aws, onboard


def measure() -> list[tuple[str, dict[str, int], float]]:
    from chalice.test import Client

    from app import app

    results = []
    with embedded_aws("rsw-bench") as (outputs, counter), Client(app) as client:
        world = _seed(outputs)
        for label, method, path, who, payload in _requests(world):
            headers = {"Authorization": f"Bearer {world[who]}", "Content-Type": "application/json"}
            _send(client, method, path, headers, payload)  # warm the per-container caches
            counter.reset()
            started = time.perf_counter()
            response = _send(client, method, path, headers, payload)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code >= 300:
                raise RuntimeError(f"{label}: {response.status_code} {response.body!r}")
            results.append((label, dict(counter.calls), elapsed))
    return results


def _send(client: Any, method: str, path: str, headers: dict[str, str], payload: Any) -> Any:
    return client.http.request(method, path, headers=headers, body=json.dumps(payload()) if payload else b"")


def _seed(outputs: dict[str, str]) -> dict[str, Any]:
    from chalicelib import deps
    from chalicelib.models.cost_centers import CreateCostCenter
    from chalicelib.models.datasets import CreateDataset, PutShare
    from chalicelib.models.memberships import AddMembership
    from chalicelib.models.projects import CreateProject
    from chalicelib.models.users import CreateUser

    c = deps.container()
    cognito = boto3.client("cognito-idp")

    def person(tag: str, it_admin: bool = False) -> tuple[str, str]:
        user = c.users.create("bench", CreateUser(first_name="B", last_name=tag, email=f"{tag}@example.org",
                                                  roles=["ITAdmin"] if it_admin else []))
        cognito.admin_set_user_password(UserPoolId=outputs["UserPoolId"], Username=user.username,
                                        Password="Bench-Passw0rd!!", Permanent=True)  # noqa: S106 - embedded AWS
        token = cognito.initiate_auth(ClientId=outputs["UserPoolClientId"], AuthFlow="USER_PASSWORD_AUTH",
                                      AuthParameters={"USERNAME": user.username, "PASSWORD": "Bench-Passw0rd!!"})
        return user.id, token["AuthenticationResult"]["AccessToken"]

    admin_id, admin = person("admin", it_admin=True)
    researcher_id, researcher = person("researcher")
    account = c.accounts.check(onboard(admin_id, 0))
    cc = c.cost_centers.create(admin_id, CreateCostCenter(name="bench", account_id=account.id))
    projects = [c.projects.create(admin_id, CreateProject(name=f"bench-{i}", cost_center_id=cc.id)) for i in range(20)]
    for project in projects[:10]:
        c.members.add(admin_id, project.id, researcher_id, AddMembership(role="Researcher"))
    dataset = c.datasets.create(admin_id, projects[0].id, CreateDataset(name="bench"))
    c.datasets.share(admin_id, projects[0].id, dataset.id, projects[1].id, PutShare(access_level="read-only"))
    return {"admin": admin, "researcher": researcher, "project": projects[0].id, "cc": cc.id,
            "account": account.id, "dataset": dataset.id, "partner": projects[1].id}


def _requests(world: dict[str, Any]) -> list[tuple]:
    pid = world["project"]
    return [
        ("GET /projects/{pid} as Researcher", "GET", f"/projects/{pid}", "researcher", None),
        ("GET /awsAccounts/{id} as ITAdmin", "GET", f"/awsAccounts/{world['account']}", "admin", None),
        ("GET /costCenters/{id} as ITAdmin", "GET", f"/costCenters/{world['cc']}", "admin", None),
        ("GET /projects/{pid}/datasets/{id} (owned)", "GET", f"/projects/{pid}/datasets/{world['dataset']}",
         "researcher", None),
        ("GET /projects/{pid}/datasets/{id} (shared in)", "GET",
         f"/projects/{world['partner']}/datasets/{world['dataset']}", "researcher", None),
        ("GET /datasets/{id} as ITAdmin", "GET", f"/datasets/{world['dataset']}", "admin", None),
        ("GET /projects as Researcher (10 memberships)", "GET", "/projects", "researcher", None),
        ("GET /projects as ITAdmin (page of 50)", "GET", "/projects", "admin", None),
        ("GET /me as Researcher", "GET", "/me", "researcher", None),
        ("GET /projects/{pid}/users as ITAdmin", "GET", f"/projects/{pid}/users", "admin", None),
        ("POST /projects as ITAdmin", "POST", "/projects", "admin",
         lambda: {"name": f"bench-{uuid.uuid4().hex[:8]}", "costCenterId": world["cc"]}),
        ("PATCH /projects/{pid} as ITAdmin", "PATCH", f"/projects/{pid}", "admin",
         lambda: {"description": uuid.uuid4().hex}),
    ]
