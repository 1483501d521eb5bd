"""`make local` as a user meets it: start it, read stack.json, sign in, call the API, Ctrl-C."""

from __future__ import annotations

import signal
import urllib.request

import pytest

from local.token import access_token
from tests.e2e.conftest import get_json


def test_stack_json_has_what_api_md_promises(local_stack):
    stack, _, _ = local_stack
    assert set(stack) >= {"apiUrl", "awsEndpoint", "region", "userPoolId", "clientId", "users"}
    roles = {u["role"] for u in stack["users"]}
    assert roles >= {"ITAdmin", "ProjectAdmin", "Researcher"}
    project_ids = {u.get("projectId") for u in stack["users"] if u["role"] != "ITAdmin"}
    assert len(project_ids) == 1 and None not in project_ids


def test_tokens_from_stack_json_work_against_the_api(local_stack):
    stack, _, _ = local_stack
    by_role = {u["role"]: u for u in stack["users"]}
    admin = access_token(stack, by_role["ITAdmin"]["username"])
    researcher = access_token(stack, by_role["Researcher"]["username"])
    status, me = get_json(f"{stack['apiUrl']}/me", admin)
    assert status == 200 and me["roles"] == ["ITAdmin"]
    status, projects = get_json(f"{stack['apiUrl']}/projects", researcher)
    assert status == 200 and [p["id"] for p in projects["data"]] == [by_role["Researcher"]["projectId"]]
    status, accounts = get_json(f"{stack['apiUrl']}/awsAccounts", admin)
    assert status == 200 and accounts["data"][0]["status"] == "CURRENT"
    assert get_json(f"{stack['apiUrl']}/awsAccounts", researcher)[0] == 403
    assert get_json(f"{stack['apiUrl']}/me")[0] == 401


def test_the_demo_project_can_launch_the_approved_notebook_configuration(local_stack):
    stack, _, _ = local_stack
    researcher = next(u for u in stack["users"] if u["role"] == "Researcher")
    token = access_token(stack, researcher["username"])
    status, env_type = get_json(f"{stack['apiUrl']}/environmentTypes/{stack['environmentTypeId']}", token)
    assert status == 200 and env_type["status"] == "APPROVED" and env_type["productName"] == "sagemaker-notebook"
    path = f"/projects/{researcher['projectId']}/environmentTypes/{stack['environmentTypeId']}/configurations"
    status, linked = get_json(f"{stack['apiUrl']}{path}", token)
    assert status == 200 and [c["id"] for c in linked["data"]] == [stack["configurationId"]]


def test_ctrl_c_stops_everything_and_removes_stack_json(local_stack):
    stack, process, state = local_stack
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0
    assert not (state / "stack.json").exists()
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{stack['apiUrl']}/health", timeout=2)
