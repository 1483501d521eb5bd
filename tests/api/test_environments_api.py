"""Environments end to end through the real documents and product in an emulated hosting account."""

from __future__ import annotations

import pytest

from tests.api.environment_world import EventPump, notebook_type
from tests.helpers import body


@pytest.fixture(scope="module")
def world(stack, app, admin, people, new_project):
    from chalicelib import deps
    from chalicelib.models.configurations import ConfigParam, CreateConfiguration

    env_type = notebook_type(stack, admin.id)
    project = new_project()
    configuration = deps.container().configurations.create(admin.id, env_type.id, CreateConfiguration(
        name="small", params=[ConfigParam(key="InstanceType", value="ml.t3.medium")]))
    deps.container().configurations.link(project.id, env_type.id, configuration.id)
    researcher = people.make(projects={project.id: "Researcher"})
    return {"project": project, "type": env_type, "configuration": configuration, "researcher": researcher,
            "colleague": people.make(projects={project.id: "Researcher"}),
            "project_admin": people.make(projects={project.id: "ProjectAdmin"}), "pump": EventPump(app, stack)}


def launch(api, world, name="nb", **extra):
    payload = {"name": name, "envTypeId": world["type"].id, "envTypeConfigId": world["configuration"].id, **extra}
    return api.http.post(f"/projects/{world['project'].id}/environments", headers=world["researcher"].headers,
                         body=__import__("json").dumps(payload).encode())


def reader(api, world, env_id, person="researcher"):
    path = f"/projects/{world['project'].id}/environments/{env_id}"
    return lambda: body(api.http.get(path, headers=world[person].headers))


def act(api, world, env_id, action, person="researcher"):
    return api.http.put(f"/projects/{world['project'].id}/environments/{env_id}/{action}",
                        headers=world[person].headers, body=b"")


def settle(world, read, status):
    return world["pump"].until(read, lambda e: e["status"] == status)


def test_launch_connect_stop_start_terminate_through_the_hosting_account(api, world):
    response = launch(api, world)
    assert response.status_code == 202, body(response)
    env = body(response)
    assert env["status"] == "PENDING" and env["statusReason"] and response.headers["Location"].endswith(env["id"])
    read = reader(api, world, env["id"])
    env = settle(world, read, "COMPLETED")
    assert env["status"] == "COMPLETED", env
    assert env["instanceId"] and env["outputs"]["NotebookInstanceName"] == env["instanceId"]
    assert set(env["allowedActions"]) == {"stop", "connect"}

    connection = api.http.get(f"/projects/{world['project'].id}/environments/{env['id']}/connections",
                              headers=world["researcher"].headers)
    assert connection.status_code == 200 and body(connection)["url"].startswith("http"), body(connection)

    assert body(act(api, world, env["id"], "stop"))["status"] == "STOPPING"
    assert settle(world, read, "STOPPED")["status"] == "STOPPED"
    assert act(api, world, env["id"], "stop").status_code == 202  # an allowed no-op
    assert body(act(api, world, env["id"], "start"))["status"] == "STARTING"
    assert settle(world, read, "COMPLETED")["status"] == "COMPLETED"
    assert body(act(api, world, env["id"], "stop"))["status"] == "STOPPING"
    assert settle(world, read, "STOPPED")["status"] == "STOPPED"
    assert body(act(api, world, env["id"], "terminate"))["status"] == "TERMINATING"
    assert settle(world, read, "TERMINATED")["status"] == "TERMINATED"

    listed = body(api.http.get(f"/projects/{world['project'].id}/environments", headers=world["researcher"].headers))
    assert env["id"] not in [e["id"] for e in listed["data"]]
    gone = body(api.http.get(f"/projects/{world['project'].id}/environments?status=TERMINATED",
                             headers=world["researcher"].headers))
    assert env["id"] in [e["id"] for e in gone["data"]]


def test_illegal_transitions_are_409_naming_what_is_allowed(api, world):
    env = body(launch(api, world, "illegal"))
    env = settle(world, reader(api, world, env["id"]), "COMPLETED")
    response = act(api, world, env["id"], "terminate")
    assert response.status_code == 409 and body(response)["code"] == "ENVIRONMENT_INVALID_STATE"
    assert "stop" in body(response)["hint"]


def test_only_the_owner_connects_and_only_owner_or_admins_operate(api, world):
    env = settle(world, reader(api, world, body(launch(api, world, "mine"))["id"]), "COMPLETED")
    path = f"/projects/{world['project'].id}/environments/{env['id']}"
    colleague = world["colleague"].headers
    assert api.http.get(f"{path}/connections", headers=colleague).status_code == 403
    assert act(api, world, env["id"], "stop", "colleague").status_code == 403
    seen = body(api.http.get(path, headers=colleague))
    assert seen["allowedActions"] == []
    assert act(api, world, env["id"], "stop", "project_admin").status_code == 202


def test_launch_refuses_an_unlinked_configuration_and_unknown_datasets_without_creating_anything(api, world, new_project):
    other = new_project()
    from chalicelib import deps
    from chalicelib.models.configurations import ConfigParam, CreateConfiguration
    unlinked = deps.container().configurations.create("admin", world["type"].id, CreateConfiguration(
        name="unlinked", params=[ConfigParam(key="InstanceType", value="ml.t3.medium")]))
    response = launch(api, world, envTypeConfigId=unlinked.id)
    assert response.status_code == 400 and body(response)["errors"][0]["field"] == "envTypeConfigId"
    response = launch(api, world, datasetIds=["dataset-1"])
    assert response.status_code == 400 and body(response)["errors"][0]["field"] == "datasetIds.0"
    assert other.id  # the other project exists but is not where anything was made


def test_an_environment_id_from_another_project_is_not_found(api, world, new_project, people):
    env = body(launch(api, world, "private"))
    other = new_project()
    outsider = people.make(projects={other.id: "ProjectAdmin"})
    response = api.http.get(f"/projects/{other.id}/environments/{env['id']}", headers=outsider.headers)
    assert response.status_code == 404


def test_what_a_live_environment_uses_cannot_be_removed_until_it_is_terminated(api, world, admin):
    env = settle(world, reader(api, world, body(launch(api, world, "guarded"))["id"]), "COMPLETED")
    project, env_type, configuration = world["project"], world["type"], world["configuration"]
    link = f"/projects/{project.id}/environmentTypes/{env_type.id}/configurations/{configuration.id}/relationships"
    refused = {
        "project": api.http.delete(f"/projects/{project.id}", headers=admin.headers),
        "unlink": api.http.delete(link, headers=admin.headers),
        "configuration": api.http.delete(f"/environmentTypes/{env_type.id}/configurations/{configuration.id}",
                                         headers=admin.headers),
        "account": api.http.delete(f"/awsAccounts/{project.account_id}", headers=admin.headers),
    }
    for what, response in refused.items():
        assert response.status_code == 409, (what, body(response))
        assert body(response)["hint"], what
    assert "environments" in body(refused["project"])["detail"] and env["id"] in body(refused["unlink"])["detail"]
    act(api, world, env["id"], "stop")
    settle(world, reader(api, world, env["id"]), "STOPPED")
    act(api, world, env["id"], "terminate")
    settle(world, reader(api, world, env["id"]), "TERMINATED")
    assert api.http.delete(f"/environmentTypes/{env_type.id}/configurations/{configuration.id}",
                           headers=admin.headers).status_code == 409  # still linked: the links guard, not ours
    others = body(api.http.get(f"/projects/{project.id}/environments", headers=admin.headers))["data"]
    if not others:  # every environment of the project terminated: unlinking is allowed again
        assert api.http.delete(link, headers=admin.headers).status_code in (200, 204)


def test_a_launch_retried_with_its_idempotency_key_creates_one_environment(api, world):
    payload = {"name": "once", "envTypeId": world["type"].id, "envTypeConfigId": world["configuration"].id}
    headers = {**world["researcher"].headers, "Idempotency-Key": "launch-once-1"}
    path = f"/projects/{world['project'].id}/environments"
    first = api.http.post(path, headers=headers, body=__import__("json").dumps(payload).encode())
    second = api.http.post(path, headers=headers, body=__import__("json").dumps(payload).encode())
    assert first.status_code == second.status_code == 202
    assert body(first)["id"] == body(second)["id"] and second.headers.get("Idempotent-Replayed") == "true"
    mine = body(api.http.get(f"{path}?owner={world['researcher'].id}", headers=world["researcher"].headers))["data"]
    assert [e["name"] for e in mine].count("once") == 1


def test_the_launch_stamps_the_env_tag_the_hosting_policies_test(api, world):
    import boto3

    from local.emulation import account_credentials
    env = settle(world, reader(api, world, body(launch(api, world, "tagged"))["id"]), "COMPLETED")
    sagemaker = boto3.session.Session(**account_credentials(env["awsAccountId"])).client("sagemaker")
    notebook = sagemaker.describe_notebook_instance(NotebookInstanceName=env["instanceId"])
    tags = {t["Key"]: t["Value"] for t in sagemaker.list_tags(ResourceArn=notebook["NotebookInstanceArn"])["Tags"]}
    assert tags["Env"] == env["id"] and env["id"].startswith("env-")  # OperateNotebooks: aws:ResourceTag/Env env-*
    role = boto3.session.Session(**account_credentials(env["awsAccountId"])).client("iam").get_role(
        RoleName=env["outputs"]["EnvironmentInstanceRoleArn"].rsplit("/", 1)[-1])["Role"]
    assert {t["Key"]: t["Value"] for t in role.get("Tags", [])}.get("Env") == env["id"]  # NotebookSelf: PrincipalTag
