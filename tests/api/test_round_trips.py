"""AWS round trips per request on a warm container: the decision costs one DynamoDB query."""

from __future__ import annotations


def _warm_then_count(api, counter, path, person):
    api.http.get(path, headers=person.headers)  # fills the per-container caches (policy, signing key)
    counter.reset()
    response = api.http.get(path, headers=person.headers)
    assert response.status_code == 200
    return dict(counter.calls)


def test_get_project_as_researcher_is_two_round_trips(api, counted, people, new_project):
    project = new_project()
    researcher = people.make(projects={project.id: "Researcher"})
    calls = _warm_then_count(api, counted, f"/projects/{project.id}", researcher)
    assert calls == {"Query": 1, "GetItem": 1}


def test_list_projects_is_two_round_trips_for_members_and_admins(api, counted, people, admin, new_project):
    project = new_project()
    researcher = people.make(projects={project.id: "Researcher", new_project().id: "ProjectAdmin"})
    assert _warm_then_count(api, counted, "/projects", researcher) == {"Query": 1, "BatchGetItem": 1}
    assert _warm_then_count(api, counted, "/projects?pageSize=10", admin) == {"Query": 2}


def test_me_and_plain_updates_need_no_extra_read(api, counted, people, admin, new_project):
    import json
    project = new_project()
    researcher = people.make(projects={project.id: "Researcher"})
    assert _warm_then_count(api, counted, "/me", researcher) == {"Query": 1}
    api.http.get(f"/projects/{project.id}", headers=admin.headers)  # warm: the policy is read once a minute
    counted.reset()
    response = api.http.patch(f"/projects/{project.id}", headers=admin.headers, body=json.dumps({"description": "x"}))
    # The update itself, and the audit event every change writes (one PutItem, no read)
    assert response.status_code == 200 and dict(counted.calls) == {"Query": 1, "UpdateItem": 1, "PutItem": 1}
