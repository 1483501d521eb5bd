"""SSM Automation executions run the document's steps; shared documents work by ARN."""

from __future__ import annotations

import json
import time

import pytest
from botocore.exceptions import ClientError

from local.emulation import wait_idle

from . import scenario
from .scenario import new_account
from .shape_check import assert_conforms


def _execution(world, execution_id: str) -> dict:
    response = world.env_mgmt("ssm").get_automation_execution(AutomationExecutionId=execution_id)
    assert_conforms("ssm", "GetAutomationExecution", response)
    return response["AutomationExecution"]


def _steps(execution: dict) -> dict[str, str]:
    return {s["StepName"]: s["StepStatus"] for s in execution["StepExecutions"]}


def test_shared_document_provisions_a_notebook_end_to_end_from_the_hosting_account(aws):
    world = scenario.build()
    execution = _execution(world, scenario.launch(world, "env-1"))

    assert execution["AutomationExecutionStatus"] == "Success"
    assert execution["ExecutedBy"] == f"arn:aws:sts::{world.host}:assumed-role/swb-env-mgmt/launch"
    assert _steps(execution) == {"Launch": "Success", "WaitForProvisioning": "Success",
                                 "GetRecord": "Success", "ChooseOutcome": "Success",
                                 "ReportSuccess": "Success"}
    assert execution["Outputs"]["GetRecord.Status"] == ["SUCCEEDED"]
    record = world.env_mgmt("servicecatalog").describe_record(
        Id=execution["Outputs"]["Launch.RecordId"][0])
    outputs = {o["OutputKey"]: o["OutputValue"] for o in record["RecordOutputs"]}
    notebook = world.admin("sagemaker", world.host).describe_notebook_instance(
        NotebookInstanceName=outputs["NotebookInstanceName"])
    assert notebook["NotebookInstanceStatus"] == "InService"
    assert notebook["NotebookInstanceArn"].split(":")[4] == world.host

    events = scenario.received_events(world)  # hosting bus -> main bus -> SQS
    assert {e["account"] for e in events} == {world.host}  # forwarding keeps the source account
    launched = [e["detail"] for e in events if e["source"] == "automation"]
    assert launched == [{"EnvId": "env-1", "Status": "COMPLETED", "RecordId": record["RecordDetail"]["RecordId"],
                         "ProvisionedProductId": record["RecordDetail"]["ProvisionedProductId"]}]
    states = [e["detail"]["NotebookInstanceStatus"] for e in events if e["source"] == "aws.sagemaker"]
    assert states == ["Pending", "InService"]


def test_a_wrong_parameter_ends_failed_with_a_message_and_no_stuck_stack(aws):
    world = scenario.build()
    execution = _execution(world, scenario.launch(world, "env-2", instance_type="ml.bogus"))

    assert execution["AutomationExecutionStatus"] == "Failed"
    assert "is 'FAILED', expected one of ['SUCCEEDED']" in execution["FailureMessage"]
    record = world.env_mgmt("servicecatalog").describe_record(
        Id=execution["Outputs"]["Launch.RecordId"][0])["RecordDetail"]
    assert record["Status"] == "FAILED"
    assert "Value 'ml.bogus' at 'instanceType'" in record["RecordErrors"][0]["Description"]
    assert _steps(execution)["ReportFailure"] == "Success"
    assert "ReportSuccess" not in _steps(execution)
    stacks = world.admin("cloudformation", world.host).list_stacks()["StackSummaries"]
    assert [s["StackStatus"] for s in stacks] == ["ROLLBACK_COMPLETE"]
    failed = [e["detail"] for e in scenario.received_events(world) if e["source"] == "automation"]
    assert failed[0]["Status"] == "FAILED"


def test_a_wait_step_that_never_sees_its_value_times_out(aws):
    aws(delay_seconds=1.0, time_scale=0.0005)  # record IN_PROGRESS 1 s; the wait allows 0.3 s
    world = scenario.build()
    execution_id = scenario.launch(world, "env-3")
    assert wait_idle(10)
    execution = _execution(world, execution_id)

    assert execution["AutomationExecutionStatus"] == "TimedOut"
    assert _steps(execution) == {"Launch": "Success", "WaitForProvisioning": "TimedOut"}
    assert "timed out" in execution["FailureMessage"]
    assert execution["Outputs"]["GetRecord.Status"] == [
        "No output available yet because the step is not successfully executed"]


def test_a_shared_document_is_visible_by_arn_only_to_accounts_it_is_shared_with(aws):
    world = scenario.build()
    host_ssm = world.admin("ssm", world.host)
    described = host_ssm.describe_document(Name=world.doc_arn)
    assert_conforms("ssm", "DescribeDocument", described)
    assert described["Document"]["Owner"] == world.main
    assert "mainSteps" in host_ssm.get_document(Name=world.doc_arn)["Content"]

    stranger = world.admin("ssm", new_account())
    with pytest.raises(ClientError, match="InvalidDocument"):
        stranger.describe_document(Name=world.doc_arn)
    with pytest.raises(ClientError, match="AutomationDefinitionNotFoundException"):
        stranger.start_automation_execution(DocumentName=world.doc_arn)


def test_parameters_are_checked_against_the_document(aws):
    world = scenario.build()
    ssm = world.env_mgmt("ssm")
    base = {"ProductId": ["p"], "ProvisioningArtifactId": ["a"], "PathId": ["l"]}
    for parameters in ({**base, "EnvId": ["Bad Id!"]}, {**base, "EnvId": ["ok"], "Extra": ["x"]}, base):
        with pytest.raises(ClientError, match="InvalidAutomationExecutionParametersException"):
            ssm.start_automation_execution(DocumentName=world.doc_arn, Parameters=parameters)


FLOW_DOCUMENT = {
    "schemaVersion": "0.3",
    "parameters": {"Size": {"type": "Integer", "default": 3}, "Names": {"type": "StringList"}},
    "mainSteps": [
        {"name": "Store", "action": "aws:executeAwsApi",
         "inputs": {"Service": "ssm", "Api": "PutParameter", "Name": "/flow/{{ global:ACCOUNT_ID }}",
                    "Value": "{{ Size }}", "Type": "String"},
         "outputs": [{"Name": "Version", "Selector": "$.Version", "Type": "Integer"}]},
        {"name": "Route", "action": "aws:branch", "inputs": {
            "Choices": [
                {"NextStep": "Broken", "And": [
                    {"Variable": "{{ Store.Version }}", "NumericEquals": 1},
                    {"Not": {"Variable": "{{ global:REGION }}", "StringEquals": "eu-west-1"}},
                    {"Or": [{"Variable": "{{ Names }}", "Contains": "b"},
                            {"Variable": "{{ Size }}", "NumericGreater": 10}]}]}],
            "Default": "Unreachable"}},
        {"name": "Unreachable", "action": "aws:sleep", "inputs": {"Duration": "PT1S"}, "isEnd": True},
        {"name": "Broken", "action": "aws:executeAwsApi", "maxAttempts": 2, "onFailure": "step:Recover",
         "inputs": {"Service": "ssm", "Api": "GetParameter", "Name": "/missing"}},
        {"name": "Never", "action": "aws:sleep", "inputs": {"Duration": "PT1S"}},
        {"name": "Recover", "action": "aws:executeAwsApi",
         "inputs": {"Service": "ssm", "Api": "GetParameter", "Name": "/flow/{{ global:ACCOUNT_ID }}"},
         "outputs": [{"Name": "Value", "Selector": "$.Parameter.Value", "Type": "String"}],
         "isEnd": True},
    ],
    "outputs": ["Store.Version", "Recover.Value"],
}


def test_branches_failure_routing_and_outputs_follow_the_document(aws):
    world = scenario.World()
    ssm = world.admin("ssm", world.main)
    ssm.create_document(Name="Flow", Content=json.dumps(FLOW_DOCUMENT), DocumentType="Automation")
    execution_id = ssm.start_automation_execution(
        DocumentName="Flow", Parameters={"Names": ["a", "b"]})["AutomationExecutionId"]
    execution = ssm.get_automation_execution(AutomationExecutionId=execution_id)["AutomationExecution"]

    assert [(s["StepName"], s["StepStatus"]) for s in execution["StepExecutions"]] == [
        ("Store", "Success"), ("Route", "Success"), ("Broken", "Failed"), ("Recover", "Success")]
    # the critical step failed, so the execution fails even though the document recovered
    assert execution["AutomationExecutionStatus"] == "Failed"
    assert "ParameterNotFound" in execution["FailureMessage"]
    assert execution["Outputs"] == {"Store.Version": ["1"], "Recover.Value": ["3"]}
    assert execution["Parameters"] == {"Size": ["3"], "Names": ["a", "b"]}


def test_executions_can_be_listed_filtered_and_stopped(aws):
    aws(delay_seconds=0.5, time_scale=1.0)  # asynchronous: the sleep really waits
    world = scenario.World()
    ssm = world.admin("ssm", world.main)
    document = {"schemaVersion": "0.3", "mainSteps": [
        {"name": "Nap", "action": "aws:sleep", "inputs": {"Duration": "PT10M"}}]}
    ssm.create_document(Name="Napper", Content=json.dumps(document), DocumentType="Automation")
    execution_id = ssm.start_automation_execution(DocumentName="Napper")["AutomationExecutionId"]
    time.sleep(0.1)

    running = ssm.describe_automation_executions(
        Filters=[{"Key": "ExecutionStatus", "Values": ["InProgress"]},
                 {"Key": "DocumentNamePrefix", "Values": ["Nap"]}])
    assert_conforms("ssm", "DescribeAutomationExecutions", running)
    assert [e["AutomationExecutionId"] for e in running["AutomationExecutionMetadataList"]] == [execution_id]
    assert running["AutomationExecutionMetadataList"][0]["CurrentStepName"] == "Nap"

    assert_conforms("ssm", "StopAutomationExecution",
                    ssm.stop_automation_execution(AutomationExecutionId=execution_id))
    assert wait_idle(5)
    stopped = ssm.get_automation_execution(AutomationExecutionId=execution_id)["AutomationExecution"]
    assert stopped["AutomationExecutionStatus"] == "Cancelled"
    assert stopped["StepExecutions"][0]["StepStatus"] == "Cancelled"
    with pytest.raises(ClientError, match="InvalidAutomationStatusUpdateException"):
        ssm.stop_automation_execution(AutomationExecutionId=execution_id)
    with pytest.raises(ClientError, match="AutomationExecutionNotFoundException"):
        ssm.get_automation_execution(AutomationExecutionId="0" * 36)
    with pytest.raises(ClientError, match="InvalidFilterKey"):
        ssm.describe_automation_executions(Filters=[{"Key": "Bogus", "Values": ["x"]}])


def test_document_expressions_resolve_like_ssm():
    from local.emulation.ssm_expressions import duration_seconds, select, substitute

    variables = {"Ids": ["a", "b"], "Step.Count": 2, "Name": "nb"}
    assert substitute("{{ Ids }}", variables) == ["a", "b"]
    assert substitute("n-{{Name}}-{{ Step.Count }}", variables) == "n-nb-2"
    assert substitute({"K": ["{{ Name }}"]}, variables) == {"K": ["nb"]}
    response = {"A": {"B": [{"C": 1}, {"C": 2}]}}
    assert select(response, "$.A.B[1].C") == 2
    assert select(response, "$.A.B[*].C") == [1, 2]
    assert select(response, "$.A.Missing") is None
    assert duration_seconds("PT1M30S") == 90 and duration_seconds("P1DT1H") == 90000
