"""`make local` as a user meets it: start it, read stack.json, sign in, call the API, Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from local.token import access_token

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, token: str | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture(scope="module")
def local_stack(tmp_path_factory):
    state = tmp_path_factory.mktemp("local")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "APP_", "AUTH_", "USER_POOL"))}
    process = subprocess.Popen([sys.executable, "-m", "local", "--api-port", str(_free_port()),
                                "--aws-port", str(_free_port()), "--notebook-port", str(_free_port()),
                                "--state-dir", str(state)],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 120
    while not (state / "stack.json").exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"make local did not come up:\n{process.stdout.read()[-3000:]}")
        time.sleep(0.5)
    yield json.loads((state / "stack.json").read_text()), process, state
    if process.poll() is None:
        process.kill()


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
    status, me = _get(f"{stack['apiUrl']}/me", admin)
    assert status == 200 and me["roles"] == ["ITAdmin"]
    status, projects = _get(f"{stack['apiUrl']}/projects", researcher)
    assert status == 200 and [p["id"] for p in projects["data"]] == [by_role["Researcher"]["projectId"]]
    status, accounts = _get(f"{stack['apiUrl']}/awsAccounts", admin)
    assert status == 200 and accounts["data"][0]["status"] == "CURRENT"
    assert _get(f"{stack['apiUrl']}/awsAccounts", researcher)[0] == 403
    assert _get(f"{stack['apiUrl']}/me")[0] == 401


def test_the_demo_project_can_launch_the_approved_notebook_configuration(local_stack):
    stack, _, _ = local_stack
    researcher = next(u for u in stack["users"] if u["role"] == "Researcher")
    token = access_token(stack, researcher["username"])
    status, env_type = _get(f"{stack['apiUrl']}/environmentTypes/{stack['environmentTypeId']}", token)
    assert status == 200 and env_type["status"] == "APPROVED" and env_type["productName"] == "sagemaker-notebook"
    path = f"/projects/{researcher['projectId']}/environmentTypes/{stack['environmentTypeId']}/configurations"
    status, linked = _get(f"{stack['apiUrl']}{path}", token)
    assert status == 200 and [c["id"] for c in linked["data"]] == [stack["configurationId"]]


def test_ctrl_c_stops_everything_and_removes_stack_json(local_stack):
    stack, process, state = local_stack
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0
    assert not (state / "stack.json").exists()
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{stack['apiUrl']}/health", timeout=2)
