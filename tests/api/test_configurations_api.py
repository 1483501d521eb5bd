"""Environment types and configurations: approval, parameter rules, links to projects."""

from __future__ import annotations

import json

import pytest

from tests.helpers import body


def _create(api, admin, env_type_id, params, name="cfg"):
    return api.http.post(f"/environmentTypes/{env_type_id}/configurations", headers=admin.headers,
                         body=json.dumps({"name": name, "params": [{"key": k, "value": v} for k, v in params]}))


def test_instance_type_the_product_does_not_allow_is_rejected(api, admin, new_environment_type):
    env_type = new_environment_type()
    response = _create(api, admin, env_type.id, [("InstanceType", "ml.p4d.24xlarge"), ("CIDR", "10.0.0.0/16")])
    assert response.status_code == 400
    problem = body(response)
    assert problem["errors"] == [{"field": "params.0.value",
                                  "message": "InstanceType must be one of ml.t3.medium, ml.t3.large, ml.m5.large"}]


@pytest.mark.parametrize("params, message", [
    ([("Colour", "red"), ("CIDR", "10.0.0.0/16")], "Colour is not a parameter of this environment type"),
    ([("VpcId", "vpc-1"), ("CIDR", "10.0.0.0/16")], "VpcId is set by the workbench at launch"),
    ([("AutoStopIdleTimeInMinutes", "5000"), ("CIDR", "10.0.0.0/16")], "must be at most 1440"),
    ([("AutoStopIdleTimeInMinutes", "soon"), ("CIDR", "10.0.0.0/16")], "must be a number"),
    ([("CIDR", "everywhere")], "CIDR must match"),
    ([("InstanceType", "ml.t3.large")], "CIDR is required"),
    ([("CIDR", "10.0.0.0/16"), ("CIDR", "10.1.0.0/16")], "given twice"),
])
def test_parameters_are_checked_against_the_template(api, admin, new_environment_type, params, message):
    response = _create(api, admin, new_environment_type().id, params)
    assert response.status_code == 400
    assert any(message in e["message"] for e in body(response)["errors"]), body(response)


def test_valid_configuration_is_created_with_location(api, admin, new_environment_type):
    env_type = new_environment_type()
    response = _create(api, admin, env_type.id, [("InstanceType", "ml.m5.large"), ("CIDR", "10.0.0.0/16"),
                                                 ("AutoStopIdleTimeInMinutes", "30")])
    assert response.status_code == 201, body(response)
    configuration = body(response)
    assert configuration["id"].startswith("etc-") and configuration["envTypeId"] == env_type.id
    assert response.headers["Location"] == f"/environmentTypes/{env_type.id}/configurations/{configuration['id']}"


def test_configurations_need_an_approved_type_and_block_revoking_it(api, admin, new_environment_type):
    pending = new_environment_type(status="NOT_APPROVED")
    refused = _create(api, admin, pending.id, [("CIDR", "10.0.0.0/16")])
    assert refused.status_code == 409 and body(refused)["code"] == "ENVIRONMENT_TYPE_NOT_APPROVED"
    approved = api.http.patch(f"/environmentTypes/{pending.id}", headers=admin.headers,
                              body=json.dumps({"status": "APPROVED"}))
    assert approved.status_code == 200 and body(approved)["status"] == "APPROVED"
    assert _create(api, admin, pending.id, [("CIDR", "10.0.0.0/16")]).status_code == 201
    revoke = api.http.patch(f"/environmentTypes/{pending.id}", headers=admin.headers,
                            body=json.dumps({"status": "NOT_APPROVED"}))
    assert revoke.status_code == 409 and body(revoke)["code"] == "ENVIRONMENT_TYPE_IN_USE"


def test_members_see_only_configurations_linked_to_their_project(api, admin, people, new_project, new_configuration):
    project = new_project()
    linked = new_configuration(projects=[project])
    unlinked = new_configuration()
    researcher = people.make(projects={project.id: "Researcher"})
    base = f"/projects/{project.id}/environmentTypes/{linked.env_type_id}/configurations"
    listed = body(api.http.get(base, headers=researcher.headers))["data"]
    assert [c["id"] for c in listed] == [linked.id]
    direct = f"/environmentTypes/{linked.env_type_id}/configurations/{linked.id}"
    assert api.http.get(direct, headers=researcher.headers).status_code == 200
    hidden = f"/environmentTypes/{unlinked.env_type_id}/configurations/{unlinked.id}"
    assert api.http.get(hidden, headers=researcher.headers).status_code == 404
    assert api.http.get(hidden, headers=admin.headers).status_code == 200


def test_linked_configuration_cannot_be_deleted_until_unlinked(api, admin, new_project, new_configuration):
    project = new_project()
    configuration = new_configuration(projects=[project])
    path = f"/environmentTypes/{configuration.env_type_id}/configurations/{configuration.id}"
    projects = body(api.http.get(path + "/projects", headers=admin.headers))["data"]
    assert [p["id"] for p in projects] == [project.id]
    blocked = api.http.delete(path, headers=admin.headers)
    assert blocked.status_code == 409 and body(blocked)["code"] == "CONFIGURATION_IN_USE"
    blocked_project = api.http.delete(f"/projects/{project.id}", headers=admin.headers)
    assert blocked_project.status_code == 409 and body(blocked_project)["code"] == "PROJECT_IN_USE"
    link = f"/projects/{project.id}{path}/relationships"
    assert api.http.delete(link, headers=admin.headers).status_code == 204
    assert api.http.delete(link, headers=admin.headers).status_code == 404
    assert api.http.delete(path, headers=admin.headers).status_code == 204
    assert api.http.get(path, headers=admin.headers).status_code == 404


def test_linking_is_idempotent_and_needs_a_live_project(api, admin, new_project, new_configuration):
    project = new_project()
    configuration = new_configuration()
    link = (f"/projects/{project.id}/environmentTypes/{configuration.env_type_id}"
            f"/configurations/{configuration.id}/relationships")
    assert api.http.put(link, headers=admin.headers).status_code == 204
    assert api.http.put(link, headers=admin.headers).status_code == 204
    path = f"/environmentTypes/{configuration.env_type_id}/configurations/{configuration.id}/projects"
    assert len(body(api.http.get(path, headers=admin.headers))["data"]) == 1
    wrong_type = link.replace(configuration.env_type_id, "et-00000000-0000-0000-0000-000000000000")
    assert api.http.put(wrong_type, headers=admin.headers).status_code == 404


def test_everyone_signed_in_can_browse_environment_types(api, people, new_environment_type):
    env_type = new_environment_type()
    nobody = people.make()
    got = body(api.http.get(f"/environmentTypes/{env_type.id}", headers=nobody.headers))
    assert {p["key"] for p in got["params"]} >= {"InstanceType", "CIDR"}
    assert next(p for p in got["params"] if p["key"] == "VpcId")["suppliedByWorkbench"] is True
    approved = body(api.http.get("/environmentTypes?status=APPROVED&pageSize=100", headers=nobody.headers))
    assert all(t["status"] == "APPROVED" for t in approved["data"])
