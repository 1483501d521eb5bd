"""The README's environment tour over HTTP, as the researcher, against `make local` (issue 8).

Every step is a request the tour's curl makes: launch, watch PENDING become COMPLETED, get the
connection link and open the notebook page it points at, stop, start, stop, terminate. The embedded
AWS takes about 3 s per phase, so each wait polls for up to a minute.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any

from local.token import access_token

SETTLE_SECONDS = 60  # a phase takes ~3 s locally; the margin is for a loaded machine (2 shared cores)


class Researcher:
    def __init__(self, stack: dict) -> None:
        user = next(u for u in stack["users"] if u["role"] == "Researcher")
        self.token = access_token(stack, user["username"])
        self.environments = f"{stack['apiUrl']}/projects/{user['projectId']}/environments"

    def call(self, method: str, path: str = "", payload: Any = None) -> tuple[int, dict]:
        # PUT without a body, as `curl -X PUT` sends it: the actions take no input.
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(  # noqa: S310 - the local API's http URL
            f"{self.environments}{path}", data=data, method=method,
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - the local API
                return answer.status, json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def settle(self, env_id: str, status: str) -> dict:
        """GETs the environment until it reaches `status` (what the tour's repeated curl does)."""
        seen: list[str] = []
        deadline = time.monotonic() + SETTLE_SECONDS
        while time.monotonic() < deadline:
            code, env = self.call("GET", f"/{env_id}")
            assert code == 200, env
            if not seen or seen[-1] != env["status"]:
                seen.append(env["status"])
            if env["status"] == status:
                return env
            assert not env["status"].endswith("FAILED"), env  # a failure will not turn into `status`
            time.sleep(1)
        raise AssertionError(f"{env_id} never became {status} in {SETTLE_SECONDS} s; went {seen}: {env}")

    def act(self, env_id: str, action: str, expected: str) -> dict:
        code, env = self.call("PUT", f"/{env_id}/{action}")
        assert (code, env["status"]) == (202, expected), (action, code, env)
        return env


def test_launch_connect_stop_start_terminate_as_the_readme_tour_does(local_stack):
    stack, _, _ = local_stack
    me = Researcher(stack)

    code, env = me.call("POST", payload={"name": "my-notebook", "envTypeId": stack["environmentTypeId"],
                                         "envTypeConfigId": stack["environmentTypeConfigId"]})
    assert code == 202 and env["status"] == "PENDING", env
    env_id = env["id"]
    ready = me.settle(env_id, "COMPLETED")
    assert set(ready["allowedActions"]) == {"stop", "connect"} and ready["instanceId"], ready

    code, connection = me.call("GET", f"/{env_id}/connections")
    assert code == 200 and connection["expiresAt"], connection
    with urllib.request.urlopen(connection["url"], timeout=10) as page:  # noqa: S310 - the local notebook page
        assert page.status == 200
        assert ready["instanceId"] in page.read().decode()

    me.act(env_id, "stop", "STOPPING")
    assert set(me.settle(env_id, "STOPPED")["allowedActions"]) == {"start", "terminate"}
    me.act(env_id, "start", "STARTING")
    me.settle(env_id, "COMPLETED")
    me.act(env_id, "stop", "STOPPING")
    me.settle(env_id, "STOPPED")
    me.act(env_id, "terminate", "TERMINATING")
    gone = me.settle(env_id, "TERMINATED")
    assert gone["allowedActions"] == []

    code, listed = me.call("GET")
    assert code == 200 and env_id not in [e["id"] for e in listed["data"]]  # lists omit TERMINATED


def test_the_reconciliation_schedule_reaches_the_demo_environments(local_stack):
    """The schedule's fan-out goes through the platform-events queue to the SQS handler: a live
    environment gets lastReconciledAt from it. Runs after the tour, so a fresh launch is waited for."""
    stack, _, _ = local_stack
    me = Researcher(stack)
    code, env = me.call("POST", payload={"name": "reconciled", "envTypeId": stack["environmentTypeId"],
                                         "envTypeConfigId": stack["environmentTypeConfigId"]})
    assert code == 202, env
    me.settle(env["id"], "COMPLETED")
    deadline = time.monotonic() + SETTLE_SECONDS
    while time.monotonic() < deadline:
        code, current = me.call("GET", f"/{env['id']}")
        if current.get("lastReconciledAt"):
            return
        time.sleep(1)
    raise AssertionError(f"the reconciliation never stamped {env['id']}: {current}")
