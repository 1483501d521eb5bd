"""The README's environment tour over HTTP, as the researcher, against `make local` (issue 8).

Every step is a request the tour's curl makes: launch, watch PENDING become COMPLETED, get the
connection link and open the notebook page it points at, stop, start, stop, terminate. The embedded
AWS takes about 3 s per phase, so each wait polls for up to a minute.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.parse
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


def _poll(read, done, what: str) -> dict:
    """Repeats a GET until `done` holds, as the tour's `sleep; curl` does (the pumps deliver S3 events)."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while time.monotonic() < deadline:
        seen = read()
        if done(seen):
            return seen
        time.sleep(1)
    raise AssertionError(f"{what} within {SETTLE_SECONDS} s: {seen}")


def test_upload_a_file_with_curl_and_see_it_in_files_as_the_readme_tour_does(local_stack):
    stack, _, _ = local_stack
    me = Researcher(stack)
    me.environments = me.environments.removesuffix("/environments") + f"/datasets/{stack['datasetId']}"
    # The seeded dataset: its three files indexed once the pumps ran, shared read-only with the partner.
    before = _poll(lambda: me.call("GET")[1], lambda d: d["objectCount"] == 3, "the seeded files never indexed")
    assert before["accessLevel"] == "owner" and before["totalBytes"] > 0, before

    data = b"sample,reads\nmy-sample,42\n"
    code, answer = me.call("POST", "/upload-requests", {"files": [{"path": "notes/my-notes.csv", "size": len(data)}]})
    assert code == 200, answer
    [upload] = answer["uploads"]
    assert upload["method"] == "PUT", upload
    # What `curl -T` sends: the bytes and their Content-Length, no Content-Type (urllib would add a
    # form type, and the embedded S3 then reads the body as a form and stores nothing).
    url = urllib.parse.urlsplit(upload["url"])
    connection = http.client.HTTPConnection(url.netloc, timeout=30)
    try:
        connection.request("PUT", f"{url.path}?{url.query}", body=data)
        assert connection.getresponse().status == 200
    finally:
        connection.close()

    files = _poll(lambda: me.call("GET", "/files?prefix=notes/")[1], lambda f: f.get("data"),
                  "the uploaded file never appeared in /files")
    assert [(f["path"], f["size"]) for f in files["data"]] == [("notes/my-notes.csv", len(data))], files
    after = _poll(lambda: me.call("GET")[1], lambda d: d["objectCount"] == 4, "the totals never changed")
    assert after["totalBytes"] == before["totalBytes"] + len(data), (before, after)

    # The partner project's member sees it shared read-only, and may not upload.
    partner = stack["sharedProject"]
    reader = Researcher({**stack, "users": partner["users"]})
    reader.environments = f"{stack['apiUrl']}/projects/{partner['id']}/datasets/{stack['datasetId']}"
    code, shared = reader.call("GET")
    assert code == 200 and shared["accessLevel"] == "read-only" == partner["accessLevel"], shared
    code, refused = reader.call("POST", "/upload-requests", {"files": [{"path": "x.csv", "size": 1}]})
    assert code == 403, refused
