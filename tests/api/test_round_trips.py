"""AWS round trips per request on a warm container: the decision shares one round trip with the read."""

from __future__ import annotations


def _warm_then_count(api, counter, path, person):
    api.http.get(path, headers=person.headers)  # fills the per-container caches (policy, signing key)
    counter.reset()
    response = api.http.get(path, headers=person.headers)
    assert response.status_code == 200
    return dict(counter.calls)


def test_get_project_as_researcher_is_one_round_trip(api, counted, people, new_project):
    project = new_project()
    researcher = people.make(projects={project.id: "Researcher"})
    calls = _warm_then_count(api, counted, f"/projects/{project.id}", researcher)
    assert calls == {"BatchGetItem": 1}  # profile, role in the project and the project, together


def _environment_in(project, account):
    from chalicelib import deps
    from chalicelib.models.base import new_id, now
    from chalicelib.models.environments import Environment

    stamp = now()
    return deps.container().environments_repo.add(Environment(
        id=new_id("env"), name="read", project_id=project.id, env_type_id="et-x", env_type_config_id="etc-x",
        owner="someone", account_id=account.id, aws_account_id=account.aws_account_id,
        driver="sagemaker-notebook", status="STOPPED", status_reason="test", status_changed_at=stamp,
        created_at=stamp, updated_at=stamp, created_by="test", updated_by="test"))


def test_get_environment_is_one_round_trip(api, counted, people, new_project, hosting_account):
    project = new_project()
    researcher = people.make(projects={project.id: "Researcher"})
    env = _environment_in(project, hosting_account)
    calls = _warm_then_count(api, counted, f"/projects/{project.id}/environments/{env.id}", researcher)
    assert calls == {"BatchGetItem": 1}


def test_a_removed_membership_counts_on_the_very_next_read(api, people, admin, new_project):
    project = new_project()
    researcher = people.make(projects={project.id: "Researcher"})
    assert api.http.get(f"/projects/{project.id}", headers=researcher.headers).status_code == 200
    gone = api.http.delete(f"/projects/{project.id}/users/{researcher.id}/relationships", headers=admin.headers)
    assert gone.status_code == 204
    assert api.http.get(f"/projects/{project.id}", headers=researcher.headers).status_code == 404


def test_a_disabled_user_is_refused_on_the_very_next_read(api, people, admin, new_project):
    import json
    project = new_project()
    researcher = people.make(projects={project.id: "Researcher"})
    assert api.http.get(f"/projects/{project.id}", headers=researcher.headers).status_code == 200
    disabled = api.http.patch(f"/users/{researcher.id}", headers=admin.headers, body=json.dumps({"status": "INACTIVE"}))
    assert disabled.status_code == 200
    assert api.http.get(f"/projects/{project.id}", headers=researcher.headers).status_code == 403


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
    # The caller, the update itself, and the audit event every change writes (one PutItem, no read)
    assert response.status_code == 200
    assert dict(counted.calls) == {"BatchGetItem": 1, "UpdateItem": 1, "PutItem": 1}
