"""The audit trail, cost centers and dataset shares: the library's methods and their `rsw` commands,
against the fake Workbench (the CLI gets its client from the fake instead of a saved profile)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from typer.testing import CliRunner

from rsw import ApiError
from rsw.cli import session
from rsw.cli.main import app
from rsw.config import Store

from .fake import FakeWorkbench, problem


@pytest.fixture
def fake():
    return FakeWorkbench()


@pytest.fixture
def client(fake, tmp_path):
    client = fake.client(Store(tmp_path))
    client.sign_in("jane", "secret")
    return client


@pytest.fixture
def rsw(client, monkeypatch):
    """Runs `rsw …` in-process on the signed-in fake client; returns (exit code, stdout, all output)."""
    monkeypatch.setattr(session, "client", lambda: client)
    runner = CliRunner()

    def run(*args: str):
        result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
        return result.exit_code, result.stdout, result.output

    return run


def events(n: int) -> list[dict]:
    return [{"id": f"audit-{i}", "time": f"2026-11-30T12:{59 - i:02}:00Z", "actor": "user-1",
             "action": "project:update" if i % 2 else "dataset:manage", "resource": f"/projects/proj-{i % 3}",
             "projectId": f"proj-{i % 3}", "decision": "ALLOWED", "status": 200} for i in range(n)]


def test_audit_events_follow_every_page_with_the_filters_on_each_request(fake, client):
    fake.audit_events = events(9)
    since = datetime(2026, 11, 30, 13, 0, tzinfo=timezone(timedelta(hours=1)))
    found = list(client.audit.list(action="project:update", since=since, until="2026-12-01T00:00:00Z", page_size=2))
    assert [e["id"] for e in found] == ["audit-1", "audit-3", "audit-5", "audit-7"]  # newest first, as answered
    queries = [r.url.params for r in fake.requests if r.url.path == "/auditEvents"]
    assert len(queries) == 2 and queries[1]["paginationToken"] == "2"
    assert all(q["action"] == "project:update" and q["since"] == "2026-11-30T12:00:00Z"  # a datetime goes as UTC
               and q["until"] == "2026-12-01T00:00:00Z" for q in queries)


def test_a_project_admin_without_a_project_gets_the_apis_field_error(fake, client):
    fake.script("GET", "/auditEvents", problem(400, "INVALID_INPUT", "add ?projectId="))
    with pytest.raises(ApiError) as raised:
        list(client.audit.list())
    assert (raised.value.status, raised.value.code) == (400, "INVALID_INPUT")


def test_cost_centers_create_update_and_delete(fake, client):
    created = client.cost_centers.create("genomics", "acc-1", description="lab")
    assert created == {"id": "cc-1", "etag": "1", "status": "AVAILABLE", "name": "genomics", "accountId": "acc-1",
                       "description": "lab"}
    assert fake.idempotency_keys[-1]  # a POST that is safe to retry
    updated = client.cost_centers.update("cc-1", name="genomics-2026", etag="1")
    patch = fake.requests[-1]
    assert json.loads(patch.content) == {"name": "genomics-2026"} and patch.headers["If-Match"] == "1"
    assert updated["etag"] == "2" and client.cost_centers.get("cc-1")["name"] == "genomics-2026"
    assert [c["id"] for c in client.cost_centers.list(page_size=1)] == ["cc-1"]
    client.cost_centers.delete("cc-1")
    assert fake.cost_centers == {}


def test_a_dataset_is_shared_its_permissions_read_and_unshared(fake, client):
    share = client.datasets.share("proj-1", "dataset-1", "proj-2", "read-write")
    assert share["accessLevel"] == "read-write" and json.loads(fake.requests[-1].content) == {
        "accessLevel": "read-write"}
    assert client.datasets.permissions("proj-1", "dataset-1")["shares"][0]["projectId"] == "proj-2"
    client.datasets.unshare("proj-1", "dataset-1", "proj-2")
    assert client.datasets.permissions("proj-1", "dataset-1")["shares"] == []


def test_rsw_audit_ls_shows_a_table_and_the_apis_objects_as_json(fake, rsw):
    fake.me["roles"] = ["ITAdmin"]
    fake.audit_events = events(3)
    code, stdout, output = rsw("audit", "ls", "--action", "project:update")
    assert code == 0, output
    header = stdout.splitlines()[1]
    assert [c.strip() for c in header.strip("┃ ").split("┃")] == ["time", "actor", "action", "resource", "decision",
                                                                 "status"]
    assert "/projects/proj-1" in stdout and "dataset:manage" not in stdout
    code, stdout, output = rsw("audit", "ls", "--actor", "user-1", "-o", "json")
    assert code == 0 and json.loads(stdout) == fake.audit_events, output
    assert "projectId" not in fake.requests[-1].url.params  # an IT admin reads the whole trail


def test_rsw_audit_ls_reads_only_the_pages_it_shows_and_takes_ages(fake, rsw):
    fake.me["roles"] = ["ITAdmin"]
    fake.audit_events = events(9)
    code, stdout, output = rsw("audit", "ls", "--limit", "3", "--since", "2h", "-o", "json")
    assert code == 0 and len(json.loads(stdout)) == 3, output
    [query] = [r.url.params for r in fake.requests if r.url.path == "/auditEvents"]
    assert query["pageSize"] == "3"
    since = datetime.fromisoformat(query["since"].replace("Z", "+00:00"))
    assert abs(since - (datetime.now(UTC) - timedelta(hours=2))) < timedelta(minutes=1)
    code, _, output = rsw("audit", "ls", "--since", "yesterday")
    assert code == 2 and "ISO 8601" in output


def test_rsw_audit_ls_takes_the_project_a_project_admin_administers(fake, rsw):
    fake.me["projects"] = [{"projectId": "proj-9", "role": "Researcher"}, {"projectId": "proj-2", "role":
                                                                           "ProjectAdmin"}]
    fake.audit_events = events(6)
    code, stdout, output = rsw("audit", "ls", "-o", "json")
    assert code == 0 and {e["projectId"] for e in json.loads(stdout)} == {"proj-2"}, output
    fake.me["projects"].append({"projectId": "proj-3", "role": "ProjectAdmin"})
    code, _, output = rsw("audit", "ls")
    assert code == 2 and "--project" in output


def test_a_researcher_running_rsw_audit_ls_exits_1_with_the_hint(fake, rsw):
    fake.me["projects"] = [{"projectId": "proj-1", "role": "Researcher"}]
    fake.script("GET", "/auditEvents", problem(403, "ACTION_NOT_ALLOWED", "you may not read the audit trail"))
    code, _, output = rsw("audit", "ls")
    assert code == 1 and "Forbidden (403 ACTION_NOT_ALLOWED)" in output and "hint:" in output, output
    assert "projectId" not in fake.requests[-1].url.params


def test_rsw_cost_centers_commands(fake, rsw):
    code, stdout, output = rsw("cost-centers", "create", "genomics", "--account", "acc-1", "-o", "json")
    assert code == 0 and json.loads(stdout)["accountId"] == "acc-1", output
    code, stdout, output = rsw("cost-centers", "update", "cc-1", "--description", "grants", "--etag", "1", "-o",
                               "json")
    assert code == 0 and json.loads(stdout)["description"] == "grants", output
    code, stdout, output = rsw("cost-centers", "ls")
    assert code == 0 and "genomics" in stdout and "acc-1" in stdout, output
    code, stdout, _ = rsw("cost-centers", "get", "cc-1", "-o", "json")
    assert json.loads(stdout)["etag"] == "2"
    code, stdout, output = rsw("cost-centers", "delete", "cc-1", "-o", "json")
    assert code == 0 and json.loads(stdout) == {"id": "cc-1", "deleted": True}, output
    code, _, output = rsw("cost-centers", "get", "cc-1")
    assert code == 1 and "404 NOT_FOUND" in output


def test_rsw_dataset_share_unshare_and_permissions(fake, rsw):
    code, stdout, output = rsw("dataset", "share", "dataset-1", "proj-2", "--level", "read-write", "-p", "proj-1",
                               "-o", "json")
    assert code == 0 and json.loads(stdout)["accessLevel"] == "read-write", output
    code, stdout, output = rsw("dataset", "permissions", "dataset-1", "-p", "proj-1")
    assert code == 0 and "proj-2" in stdout and "read-write" in stdout and "belongs to proj-1" in output, output
    code, stdout, output = rsw("dataset", "unshare", "dataset-1", "proj-2", "-p", "proj-1", "-o", "json")
    assert code == 0 and json.loads(stdout) == {"id": "dataset-1", "projectId": "proj-2", "shared": False}, output
    code, stdout, _ = rsw("dataset", "permissions", "dataset-1", "-p", "proj-1", "-o", "json")
    assert json.loads(stdout) == {"datasetId": "dataset-1", "ownerProjectId": "proj-1", "shares": []}
    code, _, output = rsw("dataset", "share", "dataset-1", "proj-2", "--level", "write", "-p", "proj-1")
    assert code == 2 and "read-only" in output
