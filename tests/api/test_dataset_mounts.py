"""Datasets mounted at launch: one access point per (environment, dataset), read-only really read-only,
the mount list handed to the notebook, guards while mounted, and clean-up at terminate."""

from __future__ import annotations

import json
import re
import uuid

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.api.environment_world import EventPump, notebook_type
from tests.helpers import body

WRITE = {"s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"}
BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")  # what mount-datasets.sh accepts as a bucket


@pytest.fixture(scope="module")
def world(stack, app, admin, people, new_project):
    from chalicelib import deps
    from chalicelib.models.configurations import ConfigParam, CreateConfiguration

    env_type = notebook_type(stack, admin.id)
    project, other = new_project(), new_project()
    configuration = deps.container().configurations.create(admin.id, env_type.id, CreateConfiguration(
        name=f"mounts-{uuid.uuid4().hex[:6]}", params=[ConfigParam(key="InstanceType", value="ml.t3.medium")]))
    deps.container().configurations.link(project.id, env_type.id, configuration.id)
    return {"project": project, "other": other, "type": env_type, "configuration": configuration,
            "admin": people.make(projects={project.id: "ProjectAdmin", other.id: "ProjectAdmin"}),
            "researcher": people.make(projects={project.id: "Researcher"}), "pump": EventPump(app, stack),
            "bucket": stack["DatasetsBucketName"], "main": boto3.client("sts").get_caller_identity()["Account"]}


def new_dataset(api, world, project="project"):
    response = api.http.post(f"/projects/{world[project].id}/datasets", headers=world["admin"].headers,
                             body=json.dumps({"name": f"ds-{uuid.uuid4().hex[:8]}"}).encode())
    assert response.status_code == 201, body(response)
    return body(response)


def dataset_path(world, dataset, project="project"):
    return f"/projects/{world[project].id}/datasets/{dataset['id']}"


def launch(api, world, dataset_ids):
    payload = {"name": f"nb-{uuid.uuid4().hex[:6]}", "envTypeId": world["type"].id,
               "envTypeConfigId": world["configuration"].id, "datasetIds": dataset_ids}
    return api.http.post(f"/projects/{world['project'].id}/environments", headers=world["researcher"].headers,
                         body=json.dumps(payload).encode())


def settle(api, world, env_id, status):
    path = f"/projects/{world['project'].id}/environments/{env_id}"
    return world["pump"].until(lambda: body(api.http.get(path, headers=world["researcher"].headers)),
                               lambda e: e["status"] == status)


def act(api, world, env_id, action):
    return api.http.put(f"/projects/{world['project'].id}/environments/{env_id}/{action}",
                        headers=world["researcher"].headers, body=b"")


def access_point_policy(world, name):
    answer = boto3.client("s3control").get_access_point_policy(AccountId=world["main"], Name=name)
    return json.loads(answer["Policy"])


def notebook_parameters(env):
    """The parameters Service Catalog gave the product's stack in the hosting account."""
    from local.emulation import account_credentials

    hosting = boto3.session.Session(**account_credentials(env["awsAccountId"]))
    for stack in hosting.client("cloudformation").describe_stacks()["Stacks"]:
        parameters = {p["ParameterKey"]: p["ParameterValue"] for p in stack.get("Parameters", [])}
        if parameters.get("EnvId") == env["id"]:
            return parameters, hosting
    raise AssertionError(f"no stack of environment {env['id']} in {env['awsAccountId']}")


@pytest.fixture(scope="module")
def mounted(api_module, world):
    """A notebook launched with an owned dataset and one shared in read-only, COMPLETED."""
    api = api_module
    owned, shared = new_dataset(api, world), new_dataset(api, world, "other")
    share = api.http.put(f"{dataset_path(world, shared, 'other')}/shares/{world['project'].id}",
                         headers=world["admin"].headers, body=b'{"accessLevel": "read-only"}')
    assert share.status_code == 200, body(share)
    response = launch(api, world, [owned["id"], shared["id"]])
    assert response.status_code == 202, body(response)
    env = settle(api, world, body(response)["id"], "COMPLETED")
    assert env["status"] == "COMPLETED", env
    return {"env": env, "owned": owned, "shared": shared}


@pytest.fixture(scope="module")
def api_module(app):
    from chalice.test import Client
    with Client(app) as client:
        yield client


def test_each_dataset_gets_its_own_access_point_at_its_level(mounted, world):
    env, owned, shared = mounted["env"], mounted["owned"], mounted["shared"]
    mounts = {m["datasetId"]: m for m in env["mounts"]}
    assert mounts[owned["id"]]["accessLevel"] == "read-write" and mounts[shared["id"]]["accessLevel"] == "read-only"
    s3control = boto3.client("s3control")
    for mount in mounts.values():
        assert 3 <= len(mount["accessPointName"]) <= 50 and BUCKET_NAME.fullmatch(mount["alias"]), mount
        point = s3control.get_access_point(AccountId=world["main"], Name=mount["accessPointName"])
        assert point["Bucket"] == world["bucket"] and point["Alias"] == mount["alias"]
    assert len({m["accessPointName"] for m in mounts.values()}) == 2


def test_the_read_only_access_point_grants_no_write_and_both_admit_only_this_environments_role(mounted, world):
    env, owned, shared = mounted["env"], mounted["owned"], mounted["shared"]
    mounts = {m["datasetId"]: m for m in env["mounts"]}
    namespace = notebook_parameters(env)[0]["Namespace"]
    for dataset, level in ((owned, "read-write"), (shared, "read-only")):
        name = mounts[dataset["id"]]["accessPointName"]
        policy = access_point_policy(world, name)
        actions = {a for s in policy["Statement"] for a in ([s["Action"]] if isinstance(s["Action"], str)
                                                            else s["Action"])}
        assert ("s3:GetObject" in actions and "s3:ListBucket" in actions), policy
        assert (actions & WRITE) == (WRITE if level == "read-write" else set()), (level, policy)
        point = f"arn:aws:s3:us-east-1:{world['main']}:accesspoint/{name}"
        for statement in policy["Statement"]:
            assert statement["Effect"] == "Allow"
            assert statement["Principal"] == {"AWS": f"arn:aws:iam::{env['awsAccountId']}:root"}
            condition = statement["Condition"]
            assert condition["ArnLike"] == {
                "aws:PrincipalArn": f"arn:aws:iam::{env['awsAccountId']}:role/{namespace}/environments/*"}
            assert condition["StringEquals"] == {"aws:PrincipalTag/Env": env["id"]}
            if statement["Action"] == "s3:ListBucket":
                assert statement["Resource"] == point
                assert condition["StringLike"] == {"s3:prefix": [f"{dataset['prefix']}*"]}
            else:
                assert statement["Resource"] == f"{point}/object/{dataset['prefix']}*"


def test_the_notebook_gets_the_mount_list_and_its_role_the_env_tag_the_policies_ask_for(mounted):
    env, owned, shared = mounted["env"], mounted["owned"], mounted["shared"]
    parameters, hosting = notebook_parameters(env)
    listed = json.loads(parameters["DatasetMounts"])
    aliases = {m["datasetId"]: m["alias"] for m in env["mounts"]}
    assert sorted(listed, key=lambda m: m["accessLevel"]) == [
        {"name": shared["name"], "bucket": aliases[shared["id"]], "prefix": shared["prefix"],
         "accessLevel": "read-only"},
        {"name": owned["name"], "bucket": aliases[owned["id"]], "prefix": owned["prefix"],
         "accessLevel": "read-write"}]
    role_name = env["outputs"]["EnvironmentInstanceRoleArn"].rsplit("/", 1)[-1]
    role = hosting.client("iam").get_role(RoleName=role_name)["Role"]
    assert role["Path"] == f"/{parameters['Namespace']}/environments/"
    assert {"Key": "Env", "Value": env["id"]} in role.get("Tags", [])


def test_a_mounted_dataset_is_neither_unshared_nor_deleted_until_terminate_removes_the_access_points(
        api_module, mounted, world):
    api, env, owned, shared = api_module, mounted["env"], mounted["owned"], mounted["shared"]
    unshare = f"{dataset_path(world, shared, 'other')}/shares/{world['project'].id}"
    refused = api.http.delete(unshare, headers=world["admin"].headers)
    assert refused.status_code == 409 and body(refused)["code"] == "DATASET_IN_USE", body(refused)
    assert env["id"] in body(refused)["detail"]
    refused = api.http.delete(dataset_path(world, owned), headers=world["admin"].headers)
    assert refused.status_code == 409 and env["id"] in body(refused)["detail"], body(refused)

    assert act(api, world, env["id"], "stop").status_code == 202
    assert settle(api, world, env["id"], "STOPPED")["status"] == "STOPPED"
    assert act(api, world, env["id"], "terminate").status_code == 202
    done = settle(api, world, env["id"], "TERMINATED")
    assert done["status"] == "TERMINATED" and done["statusReason"] == "terminated", done
    for mount in env["mounts"]:
        with pytest.raises(ClientError, match="NoSuchAccessPoint"):
            boto3.client("s3control").get_access_point(AccountId=world["main"], Name=mount["accessPointName"])
    assert api.http.delete(unshare, headers=world["admin"].headers).status_code == 204
    assert api.http.delete(dataset_path(world, owned), headers=world["admin"].headers).status_code == 204


def test_launching_with_a_dataset_the_project_cannot_read_is_refused_before_anything_is_created(api_module, world):
    api = api_module
    readable, unshared = new_dataset(api, world), new_dataset(api, world, "other")
    envs = f"/projects/{world['project'].id}/environments"
    before = body(api.http.get(envs, headers=world["researcher"].headers))["data"]
    points = boto3.client("s3control").list_access_points(AccountId=world["main"], Bucket=world["bucket"])
    response = launch(api, world, [readable["id"], unshared["id"]])
    assert response.status_code == 400, body(response)
    problem = body(response)
    assert unshared["id"] in problem["detail"] and readable["id"] not in problem["detail"]
    assert [e["field"] for e in problem["errors"]] == ["datasetIds.1"]
    assert body(api.http.get(envs, headers=world["researcher"].headers))["data"] == before
    after = boto3.client("s3control").list_access_points(AccountId=world["main"], Bucket=world["bucket"])
    assert after["AccessPointList"] == points["AccessPointList"]
    assert api.http.delete(dataset_path(world, readable), headers=world["admin"].headers).status_code == 204
