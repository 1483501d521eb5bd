"""A two-account world: a main account shares a launch document and a portfolio with a hosting
account, whose env-mgmt role trusts main (with an ExternalId).

Every World gets fresh account ids (and so a fresh bucket name): the suite may run inside a
session-wide mock_aws that is never reset between tests, so tests must not share names."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import boto3

from local.emulation import account_credentials

REGION = "us-east-1"
EXTERNAL_ID = "ext-7f3a"
DOC_NAME = "SWB-SageMakerLaunch"


def new_account() -> str:
    return f"9{uuid.uuid4().int % 10**11:011d}"

NOTEBOOK_TEMPLATE = """
AWSTemplateFormatVersion: '2010-09-09'
Description: SageMaker notebook environment
Parameters:
  InstanceType: {Type: String, Default: ml.t3.medium}
  EnvId: {Type: String}
Resources:
  InstanceRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - {Effect: Allow, Principal: {Service: sagemaker.amazonaws.com}, Action: sts:AssumeRole}
  Notebook:
    Type: AWS::SageMaker::NotebookInstance
    Properties:
      InstanceType: !Ref InstanceType
      RoleArn: !GetAtt InstanceRole.Arn
      Tags: [{Key: Project, Value: demo}]
Outputs:
  NotebookInstanceName: {Value: !GetAtt Notebook.NotebookInstanceName}
  NotebookArn: {Value: !Ref Notebook}
  EnvironmentInstanceRoleArn: {Value: !GetAtt InstanceRole.Arn}
"""

LAUNCH_DOCUMENT = """
schemaVersion: '0.3'
description: Launch a SageMaker notebook environment through Service Catalog.
parameters:
  ProductId: {type: String}
  ProvisioningArtifactId: {type: String}
  PathId: {type: String}
  EnvId: {type: String, allowedPattern: '^[a-z0-9-]+$'}
  InstanceType: {type: String, default: ml.t3.medium}
mainSteps:
  - name: Launch
    action: aws:executeAwsApi
    inputs:
      Service: servicecatalog
      Api: ProvisionProduct
      ProductId: '{{ ProductId }}'
      ProvisioningArtifactId: '{{ ProvisioningArtifactId }}'
      PathId: '{{ PathId }}'
      ProvisionedProductName: 'env-{{ EnvId }}'
      ProvisionToken: '{{ automation:EXECUTION_ID }}'
      ProvisioningParameters:
        - {Key: InstanceType, Value: '{{ InstanceType }}'}
        - {Key: EnvId, Value: '{{ EnvId }}'}
      Tags: [{Key: Env, Value: '{{ EnvId }}'}]
    outputs:
      - {Name: RecordId, Selector: $.RecordDetail.RecordId, Type: String}
      - {Name: ProvisionedProductId, Selector: $.RecordDetail.ProvisionedProductId, Type: String}
  - name: WaitForProvisioning
    action: aws:waitForAwsResourceProperty
    timeoutSeconds: 600
    inputs:
      Service: servicecatalog
      Api: DescribeRecord
      Id: '{{ Launch.RecordId }}'
      PropertySelector: $.RecordDetail.Status
      DesiredValues: [SUCCEEDED, FAILED]
  - name: GetRecord
    action: aws:executeAwsApi
    inputs: {Service: servicecatalog, Api: DescribeRecord, Id: '{{ Launch.RecordId }}'}
    outputs:
      - {Name: Status, Selector: $.RecordDetail.Status, Type: String}
      - {Name: Error, Selector: '$.RecordDetail.RecordErrors[0].Description', Type: String}
      - {Name: OutputKeys, Selector: '$.RecordOutputs[*].OutputKey', Type: StringList}
  - name: ChooseOutcome
    action: aws:branch
    inputs:
      Choices:
        - {NextStep: ReportSuccess, Variable: '{{ GetRecord.Status }}', StringEquals: SUCCEEDED}
      Default: ReportFailure
  - name: ReportSuccess
    action: aws:executeAwsApi
    isEnd: true
    inputs:
      Service: events
      Api: PutEvents
      Entries:
        - Source: automation
          DetailType: Environment Launch
          Detail: '{"EnvId": "{{ EnvId }}", "Status": "COMPLETED", "RecordId": "{{ Launch.RecordId }}", "ProvisionedProductId": "{{ Launch.ProvisionedProductId }}"}'
  - name: ReportFailure
    action: aws:executeAwsApi
    inputs:
      Service: events
      Api: PutEvents
      Entries:
        - Source: automation
          DetailType: Environment Launch
          Detail: '{"EnvId": "{{ EnvId }}", "Status": "FAILED", "RecordId": "{{ Launch.RecordId }}"}'
  - name: FailLaunch
    action: aws:assertAwsResourceProperty
    isEnd: true
    inputs:
      Service: servicecatalog
      Api: DescribeRecord
      Id: '{{ Launch.RecordId }}'
      PropertySelector: $.RecordDetail.Status
      DesiredValues: [SUCCEEDED]
outputs: [Launch.RecordId, Launch.ProvisionedProductId, GetRecord.Status]
"""


def trust_policy(principal: str) -> str:
    return json.dumps({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": EXTERNAL_ID}},
        }],
    })


@dataclass
class World:
    endpoint_url: str | None = None
    main: str = field(default_factory=new_account)
    host: str = field(default_factory=new_account)
    ids: dict[str, str] = field(default_factory=dict)

    @property
    def env_mgmt_role(self) -> str:
        return f"arn:aws:iam::{self.host}:role/swb-env-mgmt"

    @property
    def bucket(self) -> str:
        return f"swb-artifacts-{self.main}"

    @property
    def template_url(self) -> str:
        return f"https://{self.bucket}.s3.amazonaws.com/catalog/notebook.yaml"

    @property
    def doc_arn(self) -> str:
        return f"arn:aws:ssm:{REGION}:{self.main}:document/{DOC_NAME}"

    def client(self, service: str, creds: dict[str, str]) -> Any:
        return boto3.client(service, region_name=REGION, endpoint_url=self.endpoint_url, **creds)

    def admin(self, service: str, account: str) -> Any:
        return self.client(service, account_credentials(account, REGION))

    def env_mgmt(self, service: str) -> Any:
        sts = self.admin("sts", self.main)
        creds = sts.assume_role(RoleArn=self.env_mgmt_role, RoleSessionName="launch",
                                ExternalId=EXTERNAL_ID)["Credentials"]
        return self.client(service, {"aws_access_key_id": creds["AccessKeyId"],
                                     "aws_secret_access_key": creds["SecretAccessKey"],
                                     "aws_session_token": creds["SessionToken"]})


def build(endpoint_url: str | None = None) -> World:
    """Seed both accounts; World.ids holds product, artifact, portfolio, queue url."""
    world = World(endpoint_url)
    main, host = world.main, world.host
    s3 = world.admin("s3", main)
    s3.create_bucket(Bucket=world.bucket)
    s3.put_object(Bucket=world.bucket, Key="catalog/notebook.yaml", Body=NOTEBOOK_TEMPLATE.encode())
    ssm = world.admin("ssm", main)
    ssm.create_document(Name=DOC_NAME, Content=LAUNCH_DOCUMENT, DocumentType="Automation",
                        DocumentFormat="YAML")
    ssm.modify_document_permission(Name=DOC_NAME, PermissionType="Share", AccountIdsToAdd=[host])

    sc = world.admin("servicecatalog", main)
    portfolio = sc.create_portfolio(DisplayName="workbench", ProviderName="IT")["PortfolioDetail"]["Id"]
    product = sc.create_product(
        Name="sagemaker-notebook", Owner="IT", ProductType="CLOUD_FORMATION_TEMPLATE",
        ProvisioningArtifactParameters={"Name": "v1", "Type": "CLOUD_FORMATION_TEMPLATE",
                                        "Info": {"LoadTemplateFromURL": world.template_url}},
    )
    product_id = product["ProductViewDetail"]["ProductViewSummary"]["Id"]
    sc.associate_product_with_portfolio(ProductId=product_id, PortfolioId=portfolio)
    sc.create_constraint(PortfolioId=portfolio, ProductId=product_id, Type="LAUNCH",
                         Parameters=json.dumps({"RoleArn": f"arn:aws:iam::{main}:role/sc-launch"}),
                         IdempotencyToken="c1")
    sc.create_portfolio_share(PortfolioId=portfolio, AccountId=host)

    iam = world.admin("iam", host)
    iam.create_role(RoleName="swb-env-mgmt",
                    AssumeRolePolicyDocument=trust_policy(f"arn:aws:iam::{main}:root"))
    host_sc = world.admin("servicecatalog", host)
    host_sc.accept_portfolio_share(PortfolioId=portfolio)
    host_sc.associate_principal_with_portfolio(PortfolioId=portfolio, PrincipalARN=world.env_mgmt_role,
                                               PrincipalType="IAM")

    queue_url = _forward_events_to_main_queue(world)
    world.ids.update(portfolio=portfolio, product=product_id, queue_url=queue_url,
                     artifact=product["ProvisioningArtifactDetail"]["Id"])
    return world


def _forward_events_to_main_queue(world: World) -> str:
    """Hosting default bus -> main default bus -> SQS queue in main (the app's status path)."""
    pattern = json.dumps({"source": ["automation", "aws.sagemaker"]})
    host_events = world.admin("events", world.host)
    host_events.put_rule(Name="forward-to-main", EventPattern=pattern)
    host_events.put_targets(Rule="forward-to-main", Targets=[
        {"Id": "main", "Arn": f"arn:aws:events:{REGION}:{world.main}:event-bus/default"}])
    sqs = world.admin("sqs", world.main)
    queue_url = sqs.create_queue(QueueName="status-events")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    main_events = world.admin("events", world.main)
    main_events.put_permission(Action="events:PutEvents", Principal=world.host, StatementId="host")
    main_events.put_rule(Name="route-host-events", EventPattern=pattern)
    main_events.put_targets(Rule="route-host-events", Targets=[{"Id": "q", "Arn": queue_arn}])
    return queue_url


def received_events(world: World) -> list[dict[str, Any]]:
    sqs = world.admin("sqs", world.main)
    events = []
    while True:
        batch = sqs.receive_message(QueueUrl=world.ids["queue_url"], MaxNumberOfMessages=10,
                                    WaitTimeSeconds=0).get("Messages", [])
        if not batch:
            return events
        for message in batch:
            events.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=world.ids["queue_url"], ReceiptHandle=message["ReceiptHandle"])


def launch(world: World, env_id: str, instance_type: str = "ml.t3.medium") -> str:
    """As env-mgmt in the hosting account: find the launch path and start the shared document."""
    sc = world.env_mgmt("servicecatalog")
    path = sc.list_launch_paths(ProductId=world.ids["product"])["LaunchPathSummaries"][0]["Id"]
    ssm = world.env_mgmt("ssm")
    return ssm.start_automation_execution(DocumentName=world.doc_arn, Parameters={
        "ProductId": [world.ids["product"]], "ProvisioningArtifactId": [world.ids["artifact"]],
        "PathId": [path], "EnvId": [env_id], "InstanceType": [instance_type],
    })["AutomationExecutionId"]
