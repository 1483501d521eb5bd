"""make local: a launch with a dataset creates its access point through the app's own sessions
(server mode, local/s3_hosts.py), and terminate removes it."""

from __future__ import annotations

import time
import uuid

import boto3
import pytest
from botocore.exceptions import ClientError

from local import s3_hosts
from local.token import access_token

from .test_environment_tour import Researcher


def test_a_dataset_mounted_at_launch_gets_an_access_point_that_terminate_removes(local_stack):
    stack, _, _ = local_stack
    me = Researcher(stack)
    admin = next(u for u in stack["users"] if u["role"] == "ProjectAdmin")
    owner = Researcher(stack)
    owner.token = access_token(stack, admin["username"])
    owner.environments = f"{stack['apiUrl']}/projects/{admin['projectId']}/datasets"
    code, dataset = owner.call("POST", payload={"name": f"mounted-{uuid.uuid4().hex[:6]}"})
    assert code == 201, dataset

    code, env = me.call("POST", payload={"name": "with-data", "envTypeId": stack["environmentTypeId"],
                                         "envTypeConfigId": stack["environmentTypeConfigId"],
                                         "datasetIds": [dataset["id"]]})
    assert code == 202, env
    ready = me.settle(env["id"], "COMPLETED")
    [mount] = ready["mounts"]
    assert mount["accessLevel"] == "read-write" and mount["alias"], mount

    s3_hosts.install(stack["awsEndpoint"], stack["region"])  # this test's own sessions need it too
    try:
        s3control = boto3.session.Session(aws_access_key_id="local", aws_secret_access_key="local",
                                          region_name=stack["region"]).client("s3control",
                                                                              endpoint_url=stack["awsEndpoint"])
        main = "123456789012"
        assert s3control.get_access_point(AccountId=main, Name=mount["accessPointName"])["Alias"] == mount["alias"]
        me.act(env["id"], "stop", "STOPPING")
        me.settle(env["id"], "STOPPED")
        me.act(env["id"], "terminate", "TERMINATING")
        assert me.settle(env["id"], "TERMINATED")["statusReason"] == "terminated"
        # The access point goes right after the TERMINATED transition (same handler): allow it a moment.
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                s3control.get_access_point(AccountId=main, Name=mount["accessPointName"])
            except ClientError as gone:
                assert "NoSuchAccessPoint" in str(gone)
                break
            time.sleep(0.2)
        else:
            pytest.fail(f"access point {mount['accessPointName']} still exists 15 s after TERMINATED")
    finally:
        s3_hosts.uninstall()
