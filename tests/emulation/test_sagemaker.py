"""SageMaker notebooks: pre-signed URLs, transitional phases, state-change events."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from botocore.exceptions import ClientError
from moto.core.utils import utcnow

from local.emulation import account_credentials, lookup_notebook_token, wait_idle

from .scenario import new_account
from .shape_check import assert_conforms

ROLE = "arn:aws:iam::123456789012:role/notebook"


@pytest.fixture
def host() -> str:
    return new_account()


def _client(service: str, account: str):
    return boto3.client(service, region_name="us-east-1", **account_credentials(account))


def _status(sagemaker, name: str = "nb-1") -> str:
    return sagemaker.describe_notebook_instance(NotebookInstanceName=name)["NotebookInstanceStatus"]


def _create(sagemaker, name: str = "nb-1") -> None:
    sagemaker.create_notebook_instance(NotebookInstanceName=name, InstanceType="ml.t3.medium",
                                       RoleArn=ROLE, Tags=[{"Key": "Env", "Value": "env-9"}])


def test_a_presigned_url_names_the_notebook_and_a_token_that_expires(aws, host):
    sagemaker = _client("sagemaker", host)
    _create(sagemaker)
    response = sagemaker.create_presigned_notebook_instance_url(
        NotebookInstanceName="nb-1", SessionExpirationDurationInSeconds=1800)
    assert_conforms("sagemaker", "CreatePresignedNotebookInstanceUrl", response)
    url = urlsplit(response["AuthorizedUrl"])
    assert url.netloc == "nb-1.notebook.us-east-1.sagemaker.aws"
    token = parse_qs(url.query)["authToken"][0]
    grant = lookup_notebook_token(token)
    assert grant["notebook_name"] == "nb-1" and grant["account_id"] == host
    assert not grant["expired"]
    assert 1790 < (grant["expires_at"] - utcnow()).total_seconds() <= 1800
    assert lookup_notebook_token("forged") is None


def test_the_presigned_url_base_is_configurable_and_the_notebook_must_exist(aws, host):
    aws(notebook_url_base="http://127.0.0.1:8000/notebooks/")
    sagemaker = _client("sagemaker", host)
    _create(sagemaker)
    url = sagemaker.create_presigned_notebook_instance_url(NotebookInstanceName="nb-1")["AuthorizedUrl"]
    assert url.startswith("http://127.0.0.1:8000/notebooks/nb-1?authToken=")
    with pytest.raises(ClientError, match="RecordNotFound"):
        sagemaker.create_presigned_notebook_instance_url(NotebookInstanceName="missing")


def test_notebooks_pass_through_pending_stopping_and_deleting_with_a_delay(aws, host):
    aws(delay_seconds=0.5)
    sagemaker = _client("sagemaker", host)
    _create(sagemaker)
    assert _status(sagemaker) == "Pending"
    with pytest.raises(ClientError, match=r"Status \(Pending\) not in \(\[InService\]\)"):
        sagemaker.stop_notebook_instance(NotebookInstanceName="nb-1")
    assert wait_idle(5)
    assert _status(sagemaker) == "InService"

    sagemaker.stop_notebook_instance(NotebookInstanceName="nb-1")
    assert _status(sagemaker) == "Stopping"
    assert wait_idle(5)
    assert _status(sagemaker) == "Stopped"

    sagemaker.delete_notebook_instance(NotebookInstanceName="nb-1")
    described = sagemaker.describe_notebook_instance(NotebookInstanceName="nb-1")
    assert_conforms("sagemaker", "DescribeNotebookInstance", described)
    assert described["NotebookInstanceStatus"] == "Deleting"
    assert wait_idle(5)
    with pytest.raises(ClientError, match="RecordNotFound"):
        sagemaker.describe_notebook_instance(NotebookInstanceName="nb-1")


def test_without_a_delay_transitions_complete_at_once(aws, host):
    sagemaker = _client("sagemaker", host)
    _create(sagemaker)
    assert _status(sagemaker) == "InService"
    sagemaker.stop_notebook_instance(NotebookInstanceName="nb-1")
    assert _status(sagemaker) == "Stopped"
    sagemaker.start_notebook_instance(NotebookInstanceName="nb-1")
    assert _status(sagemaker) == "InService"


def test_state_changes_reach_an_sqs_queue_through_a_rule_on_the_default_bus(aws, host):
    sqs = _client("sqs", host)
    queue_url = sqs.create_queue(QueueName="notebook-events")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    events = _client("events", host)
    events.put_rule(Name="notebooks", EventPattern=json.dumps({
        "source": ["aws.sagemaker"], "detail-type": ["SageMaker Notebook Instance State Change"]}))
    events.put_targets(Rule="notebooks", Targets=[{"Id": "q", "Arn": queue_arn}])
    sagemaker = _client("sagemaker", host)
    _create(sagemaker)
    sagemaker.stop_notebook_instance(NotebookInstanceName="nb-1")

    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)["Messages"]
    bodies = [json.loads(m["Body"]) for m in messages]
    assert [b["detail"]["NotebookInstanceStatus"] for b in bodies] == [
        "Pending", "InService", "Stopping", "Stopped"]
    first = bodies[0]
    assert first["source"] == "aws.sagemaker" and first["account"] == host
    assert first["detail"]["NotebookInstanceName"] == "nb-1"
    assert first["detail"]["NotebookInstanceArn"] == first["resources"][0]
    assert first["detail"]["Tags"] == {"Env": "env-9"}


def test_a_notebook_created_by_cloudformation_keeps_its_name_and_tags(aws, host):
    template = {
        "Resources": {"Notebook": {"Type": "AWS::SageMaker::NotebookInstance", "Properties": {
            "NotebookInstanceName": "named-nb", "InstanceType": "ml.t3.medium", "RoleArn": ROLE,
            "VolumeSizeInGB": 20, "Tags": [{"Key": "Owner", "Value": "me"}]}}},
    }
    cfn = _client("cloudformation", host)
    cfn.create_stack(StackName="nb", TemplateBody=json.dumps(template),
                     Tags=[{"Key": "Env", "Value": "env-9"}])
    sagemaker = _client("sagemaker", host)
    notebook = sagemaker.describe_notebook_instance(NotebookInstanceName="named-nb")
    assert notebook["VolumeSizeInGB"] == 20
    tags = sagemaker.list_tags(ResourceArn=notebook["NotebookInstanceArn"])["Tags"]
    assert {"Key": "Owner", "Value": "me"} in tags and {"Key": "Env", "Value": "env-9"} in tags

    cfn.delete_stack(StackName="nb")  # CloudFormation stops and deletes in one go
    with pytest.raises(ClientError, match="RecordNotFound"):
        sagemaker.describe_notebook_instance(NotebookInstanceName="named-nb")
