"""The audit trail: every change and every refusal, credentials masked, each project's to its admins."""

from __future__ import annotations

import json

import pytest

from tests.helpers import body, random_account_id


def events(api, person, query=""):
    return body(api.http.get(f"/auditEvents?pageSize=100{query}", headers=person.headers))["data"]


@pytest.fixture(scope="module")
def project_and_people(new_project, people):
    project, other = new_project(), new_project()
    return project, other, people.make(projects={project.id: "ProjectAdmin"}), people.make(
        projects={project.id: "Researcher"})


def test_creates_updates_and_deletes_are_recorded_with_who_what_and_the_decision(api, admin, project_and_people):
    project, _, _, _ = project_and_people
    api.http.patch(f"/projects/{project.id}", headers=admin.headers, body=b'{"description": "audited"}')
    found = [e for e in events(api, admin, f"&projectId={project.id}") if e["action"] == "project:update"]
    assert found, "the update is in the trail"
    event = found[0]
    assert event["actor"] == admin.id and event["decision"] == "ALLOWED" and event["status"] == 200
    assert event["resource"] == f"/projects/{project.id}" and event["requestId"] and event["method"] == "PATCH"
    assert event["changes"] == {"description": "audited"}


def test_credentials_in_a_body_are_masked(api, admin):
    api.http.post("/awsAccounts", headers=admin.headers, body=json.dumps({
        "name": "masked", "awsAccountId": random_account_id(), "envMgmtRoleArn": "arn:aws:iam::111111111111:role/x",
        "hostingAccountHandlerRoleArn": "arn:aws:iam::111111111111:role/y", "externalId": "very-secret-id"}).encode())
    found = [e for e in events(api, admin, "&action=account:create")]
    assert found and found[0]["changes"]["externalId"] == "***"
    assert "very-secret-id" not in json.dumps(found)


def test_a_denied_decision_is_recorded_even_for_a_read(api, admin, project_and_people, people):
    project, _, _, researcher = project_and_people
    assert api.http.patch(f"/projects/{project.id}", headers=researcher.headers,
                          body=b'{"description": "no"}').status_code == 403
    outsider = people.make()
    assert api.http.get(f"/projects/{project.id}", headers=outsider.headers).status_code == 404
    denied = [e for e in events(api, admin, f"&projectId={project.id}") if e["decision"] == "DENIED"]
    assert {(e["actor"], e["status"]) for e in denied} >= {(researcher.id, 403), (outsider.id, 404)}


def test_a_project_admin_reads_only_their_projects_trail(api, project_and_people):
    project, other, project_admin, _ = project_and_people
    mine = api.http.get(f"/auditEvents?projectId={project.id}", headers=project_admin.headers)
    assert mine.status_code == 200
    assert all(e["projectId"] == project.id for e in body(mine)["data"])
    assert api.http.get(f"/auditEvents?projectId={other.id}", headers=project_admin.headers).status_code == 403
    assert api.http.get("/auditEvents", headers=project_admin.headers).status_code == 400


def test_since_and_until_bound_the_trail(api, admin, project_and_people):
    project, _, _, _ = project_and_people
    api.http.patch(f"/projects/{project.id}", headers=admin.headers, body=b'{"description": "timed"}')
    assert events(api, admin, f"&projectId={project.id}&since=2000-01-01T00:00:00Z")
    assert events(api, admin, f"&projectId={project.id}&until=2000-01-01T00:00:00Z") == []
    bad = api.http.get("/auditEvents?since=yesterday", headers=admin.headers)
    assert bad.status_code == 400 and body(bad)["errors"][0]["field"] == "since"


def test_event_handlers_audit_as_system(api, admin):
    from chalicelib import deps

    deps.container().dispatcher  # noqa: B018 - built as the SQS handler builds it
    event = {"source": "aws.sagemaker", "detail-type": "SageMaker Notebook Instance State Change",
             "detail": {"NotebookInstanceName": "nb-audited", "NotebookInstanceStatus": "Stopped"}}
    deps.container().audit.event_applied(event, True)
    deps.container().audit.event_applied({**event, "detail": {"NotebookInstanceName": "nb-unchanged"}}, False)
    found = [e for e in events(api, admin, "&actor=system") if "nb-" in e["resource"]]
    assert [e["resource"] for e in found] == ["environment nb-audited"]
    assert found[0]["decision"] == "SYSTEM" and found[0]["changes"] == {"status": "Stopped"}
