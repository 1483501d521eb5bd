"""AWS round trips per request on a warm container: the decision shares one round trip with the read."""

from __future__ import annotations

from tests.helpers import body


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


def test_get_account_and_cost_center_are_one_round_trip(api, counted, admin, hosting_account, cost_center):
    assert _warm_then_count(api, counted, f"/awsAccounts/{hosting_account.id}", admin) == {"BatchGetItem": 1}
    assert _warm_then_count(api, counted, f"/costCenters/{cost_center.id}", admin) == {"BatchGetItem": 1}


def _dataset_shared(owner, reader, admin):
    from chalicelib import deps
    from chalicelib.models.datasets import CreateDataset, PutShare

    c = deps.container()
    dataset = c.datasets.create(admin.id, owner.id, CreateDataset(name=f"rt-{owner.id[-6:]}"))
    c.datasets.share(admin.id, owner.id, dataset.id, reader.id, PutShare(access_level="read-only"))
    return dataset


def test_get_dataset_owned_shared_or_any_is_one_round_trip(api, counted, people, admin, new_project):
    owner, reader, outsider = new_project(), new_project(), new_project()
    dataset = _dataset_shared(owner, reader, admin)
    member = people.make(projects={owner.id: "Researcher", reader.id: "Researcher", outsider.id: "Researcher"})
    for project in (owner, reader):  # the dataset and its share into the project, beside the caller's role
        path = f"/projects/{project.id}/datasets/{dataset.id}"
        assert _warm_then_count(api, counted, path, member) == {"BatchGetItem": 1}
    assert _warm_then_count(api, counted, f"/datasets/{dataset.id}", admin) == {"BatchGetItem": 1}


def test_a_dataset_neither_owned_nor_shared_reads_as_missing(api, people, admin, new_project):
    owner, reader, outsider = new_project(), new_project(), new_project()
    dataset = _dataset_shared(owner, reader, admin)
    member = people.make(projects={outsider.id: "ProjectAdmin", reader.id: "Researcher"})
    shared = api.http.get(f"/projects/{reader.id}/datasets/{dataset.id}", headers=member.headers)
    assert shared.status_code == 200 and body(shared)["accessLevel"] == "read-only"
    elsewhere = api.http.get(f"/projects/{outsider.id}/datasets/{dataset.id}", headers=member.headers)
    assert elsewhere.status_code == 404 and body(elsewhere)["code"] == "DATASET_NOT_FOUND"


def test_get_a_linked_configuration_is_one_round_trip_and_an_unlinked_one_is_missing(
        api, counted, people, new_project, new_configuration):
    linked, other = new_project(), new_project()
    configuration = new_configuration(projects=[linked])
    member = people.make(projects={linked.id: "Researcher", other.id: "Researcher"})
    path = f"/environmentTypes/{configuration.env_type_id}/configurations/{configuration.id}"
    assert _warm_then_count(api, counted, f"/projects/{linked.id}{path}", member) == {"BatchGetItem": 1}
    unlinked = api.http.get(f"/projects/{other.id}{path}", headers=member.headers)
    assert unlinked.status_code == 404 and body(unlinked)["code"] == "CONFIGURATION_NOT_FOUND"
    wrong_type = api.http.get(f"/projects/{linked.id}/environmentTypes/et-other/configurations/{configuration.id}",
                              headers=member.headers)
    assert wrong_type.status_code == 404
