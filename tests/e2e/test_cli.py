"""The `rsw` command line and library against `make local` (issue 11): sign in, a 403 as exit 1 with
its hint, a launch waited to COMPLETED with JSON output, a multipart upload interrupted and resumed, and an IT
admin's audit trail showing a change just made.

One module, one local stack; the stack runs with a small multipart threshold so a 11 MiB file goes in
parts (S3's minimum part is 5 MiB).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rsw import Client
from rsw.cli.main import app
from rsw.config import Settings, Store

MiB = 1024 * 1024
SETTLE_SECONDS = 60  # the file index follows S3 events through the platform-events queue


@pytest.fixture(scope="module")
def small_parts():
    with pytest.MonkeyPatch.context() as env:  # read by the stack's settings when it starts
        env.setenv("MULTIPART_THRESHOLD_BYTES", str(6 * MiB))
        env.setenv("MULTIPART_PART_SIZE_BYTES", str(5 * MiB))
        yield


@pytest.fixture(scope="module")
def rsw(small_parts, local_stack, tmp_path_factory):
    """Runs `rsw --local …` in-process with its own config folder; returns (exit code, stdout, all output)."""
    _, _, state = local_stack
    env = {"RSW_CONFIG_DIR": str(tmp_path_factory.mktemp("rsw-config")), "RSW_LOCAL_STACK": str(state / "stack.json"),
           "COLUMNS": "120"}
    runner = CliRunner()

    def run(*args: str, config: str | None = None):
        result = runner.invoke(app, ["--local", *args], env={**env, **({"RSW_CONFIG_DIR": config} if config else {})})
        return result.exit_code, result.stdout, result.output

    run.env = env  # type: ignore[attr-defined]
    return run


def test_login_as_the_demo_researcher_prints_who_signed_in_as_json(rsw, local_stack):
    code, stdout, output = rsw("login", "--as", "Researcher", "-o", "json")
    assert code == 0, output
    me = json.loads(stdout)
    researcher = next(u for u in local_stack[0]["users"] if u["role"] == "Researcher")
    assert me["username"] == researcher["username"]
    assert [p["projectId"] for p in me["projects"]] == [researcher["projectId"]]


def test_a_researcher_listing_users_is_refused_with_exit_1_and_a_hint(rsw):
    rsw("login", "--as", "Researcher")
    code, _, output = rsw("users", "ls")
    assert code == 1, output
    assert "Forbidden (403 ACTION_NOT_ALLOWED)" in output and "hint:" in output


def test_without_a_session_commands_exit_3(rsw, tmp_path):
    code, _, output = rsw("whoami", config=str(tmp_path))
    assert code == 3 and "rsw login" in output, output


def test_launch_waits_until_completed_and_connect_gives_the_link(rsw):
    rsw("login", "--as", "Researcher")
    code, stdout, output = rsw("env", "launch", "--name", "cli-notebook", "--wait", "--timeout", "90", "-o", "json")
    assert code == 0, output
    env = json.loads(stdout)
    assert env["status"] == "COMPLETED" and set(env["allowedActions"]) == {"stop", "connect"}, env
    code, stdout, output = rsw("env", "connect", env["id"], "-o", "json")
    assert code == 0 and json.loads(stdout)["url"].startswith("http"), output
    code, stdout, output = rsw("env", "ls", "-o", "json")
    assert env["id"] in [e["id"] for e in json.loads(stdout)], output


class StopAfter:
    """A progress display that interrupts the upload once `limit` bytes of the file went out."""

    def __init__(self, limit: int) -> None:
        self.limit, self.sent = limit, 0

    def start(self, key: str, total: int) -> None: ...
    def finish(self, key: str) -> None: ...

    def advance(self, key: str, amount: int) -> None:
        self.sent += amount
        if self.sent > self.limit:
            raise KeyboardInterrupt


def test_a_multipart_upload_interrupted_then_resumed_sends_only_missing_parts(rsw, local_stack, tmp_path):
    rsw("login", "--as", "ProjectAdmin")
    code, stdout, output = rsw("dataset", "create", "cli-upload", "-o", "json")
    if code == 1 and '"status": 404' in output:
        pytest.skip("the datasets routes are not there yet")
    assert code == 0, output
    dataset = json.loads(stdout)
    source = tmp_path / "big.bin"
    source.write_bytes(bytes(range(256)) * (11 * MiB // 256))  # three parts: 5 + 5 + 1 MiB
    state = tmp_path / "resume.json"
    client = Client(Settings.from_stack(local_stack[0]), profile="local", store=Store(Path(rsw.env["RSW_CONFIG_DIR"])))
    with pytest.raises(KeyboardInterrupt):
        client.datasets.upload(dataset["projectId"], dataset["id"], [source], workers=1, state_file=state,
                               progress=StopAfter(5 * MiB + 1))
    assert json.loads(state.read_text())["files"]["big.bin"]["parts"].keys() == {"1"}

    [result] = client.datasets.upload(dataset["projectId"], dataset["id"], [source], state_file=state)
    assert (result.multipart, result.parts_reused, result.parts_sent) == (True, 1, 2)
    deadline = time.monotonic() + SETTLE_SECONDS
    while time.monotonic() < deadline:
        code, stdout, output = rsw("dataset", "files", dataset["id"], "-o", "json")
        if {f["path"]: f["size"] for f in json.loads(stdout)}.get("big.bin") == source.stat().st_size:
            return
        time.sleep(1)
    raise AssertionError(f"big.bin never appeared in the file index: {output}")


def test_an_it_admins_audit_trail_shows_a_project_change_just_made_and_a_researcher_is_refused(rsw, local_stack):
    rsw("login", "--as", "ITAdmin")
    project_id = next(u for u in local_stack[0]["users"] if u["role"] == "ProjectAdmin")["projectId"]
    description = f"described by the CLI at {time.time_ns()}"  # unique: the event found is this one
    code, _, output = rsw("projects", "update", project_id, "--description", description, "-o", "json")
    assert code == 0, output
    code, stdout, output = rsw("audit", "ls", "--action", "project:update", "-o", "json")
    assert code == 0, output
    newest = json.loads(stdout)[0]  # newest first
    assert (newest["action"], newest["resource"], newest["decision"], newest["status"]) == (
        "project:update", f"/projects/{project_id}", "ALLOWED", 200), newest
    assert newest["changes"]["description"] == description and newest["projectId"] == project_id

    rsw("login", "--as", "Researcher")
    code, _, output = rsw("audit", "ls")
    assert code == 1 and "403" in output and "hint:" in output, output
