"""The same emulation serves a ThreadedMotoServer in this process (no mock_aws here)."""

from __future__ import annotations

import boto3

from local.emulation import account_credentials, s3control_rewrite

from . import scenario
from .scenario import new_account
from .shape_check import assert_conforms


def test_the_shared_launch_document_runs_end_to_end_through_the_server(server):
    world = scenario.build(endpoint_url=server)
    execution_id = scenario.launch(world, "env-srv")
    response = world.env_mgmt("ssm").get_automation_execution(AutomationExecutionId=execution_id)
    assert_conforms("ssm", "GetAutomationExecution", response)
    execution = response["AutomationExecution"]

    assert execution["AutomationExecutionStatus"] == "Success", execution.get("FailureMessage")
    assert execution["Outputs"]["GetRecord.Status"] == ["SUCCEEDED"]
    events = scenario.received_events(world)
    assert {e["account"] for e in events} == {world.host}
    assert [e["detail"]["Status"] for e in events if e["source"] == "automation"] == ["COMPLETED"]
    notebooks = world.admin("sagemaker", world.host).list_notebook_instances()["NotebookInstances"]
    assert [n["NotebookInstanceStatus"] for n in notebooks] == ["InService"]


def test_access_points_work_in_server_mode_with_the_host_rewrite(server):
    account = new_account()
    bucket = f"datasets-{account}"
    session = boto3.session.Session(region_name="us-east-1", **account_credentials(account))
    s3control_rewrite.register(session, server, "us-east-1")
    s3 = session.client("s3", endpoint_url=server)
    s3.create_bucket(Bucket=bucket)
    s3control = session.client("s3control", endpoint_url=server)
    created = s3control.create_access_point(AccountId=account, Name="ds-1", Bucket=bucket)
    arn = s3control.get_access_point(AccountId=account, Name="ds-1")["AccessPointArn"]
    assert created["AccessPointArn"] == arn

    s3.put_object(Bucket=arn, Key="ds/a.txt", Body=b"hello")
    assert s3.get_object(Bucket=bucket, Key="ds/a.txt")["Body"].read() == b"hello"
