"""The CloudFormation types the emulation adds: Ref and GetAtt, updates in place, deletes, strict mode."""

from __future__ import annotations

import json
import logging
from typing import Any

import boto3
import pytest
import yaml
from botocore.exceptions import ClientError
from moto.cloudformation.utils import yaml_tag_constructor

from local.emulation import account_credentials

from .scenario import new_account

REGION = "us-east-1"


class CfnLoader(yaml.SafeLoader):
    """CloudFormation YAML, short forms (!Ref ...) read as their long forms."""


CfnLoader.add_multi_constructor("", yaml_tag_constructor)

TEMPLATE = """
Parameters:
  MinimumLength: {Type: Number, Default: 12}
  Flows: {Type: CommaDelimitedList, Default: "ALLOW_USER_SRP_AUTH,ALLOW_REFRESH_TOKEN_AUTH"}
  Precedence: {Type: Number, Default: 1}
  Versioning: {Type: String, Default: Enabled}
  QueueSid: {Type: String, Default: First}
  PortfolioName: {Type: String, Default: environments}
  TimeToLive: {Type: String, Default: "true"}
Resources:
  Pool:
    Type: AWS::Cognito::UserPool
    Properties:
      UserPoolName: !Sub "${AWS::StackName}-pool"
      AdminCreateUserConfig: {AllowAdminCreateUserOnly: true}
      Policies: {PasswordPolicy: {MinimumLength: !Ref MinimumLength, RequireSymbols: true}}
  Client:
    Type: AWS::Cognito::UserPoolClient
    Properties: {UserPoolId: !Ref Pool, ClientName: web, GenerateSecret: true, ExplicitAuthFlows: !Ref Flows}
  Group:
    Type: AWS::Cognito::UserPoolGroup
    Properties: {UserPoolId: !Ref Pool, GroupName: Admins, Precedence: !Ref Precedence}
  Secret:
    Type: AWS::SecretsManager::Secret
    Properties:
      GenerateSecretString:
        SecretStringTemplate: '{"username": "app"}'
        GenerateStringKey: password
        PasswordLength: 20
        ExcludePunctuation: true
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration: {Status: !Ref Versioning}
  BucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Statement: [{Sid: Tls, Effect: Deny, Principal: {AWS: "*"}, Action: "S3:*",
                     Resource: !Sub "${Bucket.Arn}/*", Condition: {Bool: {"aws:SecureTransport": "false"}}}]
  Queue:
    Type: AWS::SQS::Queue
  QueuePolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Queue]
      PolicyDocument:
        Statement: [{Sid: !Ref QueueSid, Effect: Allow, Principal: {Service: events.amazonaws.com},
                     Action: "sqs:SendMessage", Resource: !GetAtt Queue.Arn}]
  Portfolio:
    Type: AWS::ServiceCatalog::Portfolio
    Properties: {DisplayName: !Ref PortfolioName, ProviderName: Research}
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
      TimeToLiveSpecification: {AttributeName: expiresAt, Enabled: !Ref TimeToLive}
      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}
Outputs:
  PoolId: {Value: !Ref Pool}
  PoolArn: {Value: !GetAtt Pool.Arn}
  ProviderName: {Value: !GetAtt Pool.ProviderName}
  ProviderURL: {Value: !GetAtt Pool.ProviderURL}
  ClientId: {Value: !Ref Client}
  ClientIdAttribute: {Value: !GetAtt Client.ClientId}
  ClientSecret: {Value: !GetAtt Client.ClientSecret}
  ClientName: {Value: !GetAtt Client.Name}
  GroupName: {Value: !Ref Group}
  SecretArn: {Value: !Ref Secret}
  SecretId: {Value: !GetAtt Secret.Id}
  BucketName: {Value: !Ref Bucket}
  QueueUrl: {Value: !Ref Queue}
  QueuePolicyId: {Value: !Ref QueuePolicy}
  PortfolioId: {Value: !Ref Portfolio}
  PortfolioName: {Value: !GetAtt Portfolio.PortfolioName}
  TableName: {Value: !Ref Table}
"""


def session_in(account_id: str) -> boto3.session.Session:
    return boto3.session.Session(region_name=REGION, **account_credentials(account_id, REGION))


def create(cfn: Any, name: str, body: str = TEMPLATE, **parameters: str) -> dict[str, str]:
    cfn.create_stack(StackName=name, TemplateBody=body,
                     Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()])
    stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


@pytest.fixture
def session(aws) -> boto3.session.Session:
    aws(strict_cloudformation=True)
    return session_in(new_account())


@pytest.fixture
def deployed(session) -> dict[str, str]:
    return create(session.client("cloudformation"), "types")


def test_refs_and_getatts_resolve_to_the_created_resources(session, deployed):
    idp = session.client("cognito-idp")
    pool = idp.describe_user_pool(UserPoolId=deployed["PoolId"])["UserPool"]
    assert (deployed["PoolArn"], pool["Name"]) == (pool["Arn"], "types-pool")
    assert deployed["ProviderName"] == f"cognito-idp.{REGION}.amazonaws.com/{pool['Id']}"
    assert deployed["ProviderURL"] == f"https://{deployed['ProviderName']}"
    assert pool["Policies"]["PasswordPolicy"] == {"MinimumLength": 12, "RequireSymbols": True}
    client = idp.describe_user_pool_client(UserPoolId=pool["Id"], ClientId=deployed["ClientId"])["UserPoolClient"]
    assert (deployed["ClientIdAttribute"], deployed["ClientName"], deployed["ClientSecret"]) == (
        client["ClientId"], "web", client["ClientSecret"])
    assert client["ExplicitAuthFlows"] == ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    assert idp.get_group(UserPoolId=pool["Id"], GroupName=deployed["GroupName"])["Group"]["Precedence"] == 1

    secrets = session.client("secretsmanager")
    assert deployed["SecretId"] == deployed["SecretArn"] == secrets.describe_secret(SecretId=deployed["SecretArn"])["ARN"]
    value = json.loads(secrets.get_secret_value(SecretId=deployed["SecretArn"])["SecretString"])
    assert value["username"] == "app" and len(value["password"]) == 20 and value["password"].isalnum()

    assert deployed["BucketName"].startswith("types-bucket-")
    statement = json.loads(session.client("s3").get_bucket_policy(Bucket=deployed["BucketName"])["Policy"])["Statement"]
    assert statement[0]["Resource"] == f"arn:aws:s3:::{deployed['BucketName']}/*"
    attributes = session.client("sqs").get_queue_attributes(QueueUrl=deployed["QueueUrl"], AttributeNames=["All"])
    policy = json.loads(attributes["Attributes"]["Policy"])
    assert policy["Statement"][0]["Resource"] == attributes["Attributes"]["QueueArn"]
    assert deployed["QueuePolicyId"].startswith("types-QueuePolicy-")
    portfolio = session.client("servicecatalog").describe_portfolio(Id=deployed["PortfolioId"])["PortfolioDetail"]
    assert (portfolio["DisplayName"], deployed["PortfolioName"]) == ("environments", "environments")

    resources = session.client("cloudformation").list_stack_resources(StackName="types")["StackResourceSummaries"]
    assert all(r["PhysicalResourceId"] for r in resources) and len(resources) == 10


def test_update_stack_changes_them_in_place(session, deployed):
    cfn = session.client("cloudformation")
    cfn.update_stack(StackName="types", TemplateBody=TEMPLATE, Parameters=[
        {"ParameterKey": "MinimumLength", "ParameterValue": "16"},
        {"ParameterKey": "Flows", "ParameterValue": "ALLOW_USER_PASSWORD_AUTH,ALLOW_REFRESH_TOKEN_AUTH"},
        {"ParameterKey": "Precedence", "ParameterValue": "5"},
        {"ParameterKey": "Versioning", "ParameterValue": "Suspended"},
        {"ParameterKey": "QueueSid", "ParameterValue": "Second"},
        {"ParameterKey": "PortfolioName", "ParameterValue": "renamed"},
        {"ParameterKey": "TimeToLive", "ParameterValue": "false"},
    ])
    stack = cfn.describe_stacks(StackName="types")["Stacks"][0]
    assert stack["StackStatus"] == "UPDATE_COMPLETE"
    updated = {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}
    assert {k: updated[k] for k in ("PoolId", "ClientId", "SecretArn", "BucketName", "PortfolioId", "TableName")} == {
        k: deployed[k] for k in ("PoolId", "ClientId", "SecretArn", "BucketName", "PortfolioId", "TableName")}

    idp = session.client("cognito-idp")
    pool = idp.describe_user_pool(UserPoolId=deployed["PoolId"])["UserPool"]
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] == 16
    client = idp.describe_user_pool_client(UserPoolId=deployed["PoolId"], ClientId=deployed["ClientId"])
    assert client["UserPoolClient"]["ExplicitAuthFlows"] == ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    assert idp.get_group(UserPoolId=deployed["PoolId"], GroupName="Admins")["Group"]["Precedence"] == 5
    assert session.client("s3").get_bucket_versioning(Bucket=deployed["BucketName"])["Status"] == "Suspended"
    policy = session.client("sqs").get_queue_attributes(QueueUrl=deployed["QueueUrl"], AttributeNames=["Policy"])
    assert json.loads(policy["Attributes"]["Policy"])["Statement"][0]["Sid"] == "Second"
    portfolio = session.client("servicecatalog").describe_portfolio(Id=deployed["PortfolioId"])["PortfolioDetail"]
    assert portfolio["DisplayName"] == updated["PortfolioName"] == "renamed"
    ttl = session.client("dynamodb").describe_time_to_live(TableName=deployed["TableName"])["TimeToLiveDescription"]
    assert ttl["TimeToLiveStatus"] == "DISABLED"


def test_delete_stack_removes_them(session, deployed):
    session.client("cloudformation").delete_stack(StackName="types")

    with pytest.raises(ClientError, match="ResourceNotFound"):
        session.client("cognito-idp").describe_user_pool(UserPoolId=deployed["PoolId"])
    with pytest.raises(ClientError, match="ResourceNotFound"):
        session.client("secretsmanager").describe_secret(SecretId=deployed["SecretArn"])
    with pytest.raises(ClientError, match="Not Found"):
        session.client("s3").head_bucket(Bucket=deployed["BucketName"])
    with pytest.raises(ClientError, match="NonExistentQueue"):
        session.client("sqs").get_queue_attributes(QueueUrl=deployed["QueueUrl"])
    portfolios = session.client("servicecatalog").list_portfolios()["PortfolioDetails"]
    assert deployed["PortfolioId"] not in [p["Id"] for p in portfolios]
    with pytest.raises(ClientError, match="ResourceNotFound"):
        session.client("dynamodb").describe_table(TableName=deployed["TableName"])


def test_removing_a_policy_client_or_group_from_the_template_deletes_only_it(session, deployed):
    template = yaml.load(TEMPLATE, Loader=CfnLoader)
    for logical_id in ("BucketPolicy", "QueuePolicy", "Client", "Group"):
        del template["Resources"][logical_id]
    template["Outputs"] = {k: v for k, v in template["Outputs"].items()
                           if not k.startswith(("Client", "QueuePolicy", "Group"))}
    cfn = session.client("cloudformation")
    cfn.update_stack(StackName="types", TemplateBody=json.dumps(template))

    s3, sqs, idp = session.client("s3"), session.client("sqs"), session.client("cognito-idp")
    with pytest.raises(ClientError, match="NoSuchBucketPolicy"):
        s3.get_bucket_policy(Bucket=deployed["BucketName"])
    assert "Policy" not in sqs.get_queue_attributes(QueueUrl=deployed["QueueUrl"], AttributeNames=["All"])["Attributes"]
    assert idp.list_user_pool_clients(UserPoolId=deployed["PoolId"], MaxResults=10)["UserPoolClients"] == []
    assert idp.list_groups(UserPoolId=deployed["PoolId"])["Groups"] == []
    assert idp.describe_user_pool(UserPoolId=deployed["PoolId"])
    rows = cfn.list_stack_resources(StackName="types")["StackResourceSummaries"]
    assert sorted(r["LogicalResourceId"] for r in rows) == ["Bucket", "Pool", "Portfolio", "Queue", "Secret", "Table"]


# ---- strict_cloudformation ------------------------------------------------------------------
UNKNOWN = """
Resources:
  Topic: {Type: AWS::SNS::Topic}
  Thing: {Type: AWS::Made::Up, Properties: {Name: x}}
  Other: {Type: AWS::Cognito::IdentityPool, Properties: {AllowUnauthenticatedIdentities: false}}
"""


def _error(call: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call()
    assert caught.value.response["Error"]["Code"] == "ValidationError"
    return caught.value.response["Error"]["Message"]


def test_strict_refuses_a_type_moto_would_skip_and_creates_nothing(session):
    cfn = session.client("cloudformation")
    message = _error(lambda: cfn.create_stack(StackName="unknown", TemplateBody=UNKNOWN))
    assert "Unrecognized resource types: [AWS::Cognito::IdentityPool, AWS::Made::Up]" in message
    assert "strict_cloudformation" in message
    assert cfn.describe_stacks()["Stacks"] == []
    assert session.client("sns").list_topics()["Topics"] == []


def test_strict_refuses_properties_and_attributes_the_emulation_does_not_implement(session):
    cfn = session.client("cloudformation")
    body = """
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties: {WebsiteConfiguration: {IndexDocument: index.html}}
  Pool:
    Type: AWS::Cognito::UserPool
    Properties: {EnabledMfas: [SOFTWARE_TOKEN_MFA]}
Outputs:
  Domain: {Value: !GetAtt Pool.Domain}
  Url: {Value: !Sub "${Bucket.NoSuchThing}/x"}
"""
    message = _error(lambda: cfn.create_stack(StackName="props", TemplateBody=body))
    assert "Bucket (AWS::S3::Bucket): the embedded AWS does not implement properties [WebsiteConfiguration]" in message
    assert "Pool (AWS::Cognito::UserPool): the embedded AWS does not implement properties [EnabledMfas]" in message
    assert "Fn::GetAtt Pool.Domain" in message and "Fn::GetAtt Bucket.NoSuchThing" in message
    assert cfn.describe_stacks()["Stacks"] == []


def test_strict_refuses_an_update_that_adds_an_unknown_type_and_keeps_the_stack(session, deployed):
    cfn = session.client("cloudformation")
    body = TEMPLATE.replace("Resources:\n", "Resources:\n  Thing: {Type: AWS::Made::Up}\n", 1)
    assert "AWS::Made::Up" in _error(lambda: cfn.update_stack(StackName="types", TemplateBody=body))
    stack = cfn.describe_stacks(StackName="types")["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    assert "Thing" not in {r["LogicalResourceId"] for r in cfn.list_stack_resources(StackName="types")[
        "StackResourceSummaries"]}
    change_set = lambda: cfn.create_change_set(  # noqa: E731
        StackName="types", ChangeSetName="cs", TemplateBody=body, ChangeSetType="UPDATE")
    assert "AWS::Made::Up" in _error(change_set)


def test_without_strict_moto_skips_an_unknown_type_as_before(aws):
    aws(strict_cloudformation=False)
    cfn = session_in(new_account()).client("cloudformation")
    cfn.create_stack(StackName="lenient", TemplateBody=UNKNOWN)
    assert cfn.describe_stacks(StackName="lenient")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    rows = cfn.list_stack_resources(StackName="lenient")["StackResourceSummaries"]
    assert [r["LogicalResourceId"] for r in rows] == ["Topic"]


def test_uninstall_gives_moto_its_own_registry_back(configure):
    from moto.cloudformation import parsing

    from local import emulation

    assert "AWS::Cognito::UserPool" in parsing.get_model_map()
    emulation.uninstall()
    assert "AWS::Cognito::UserPool" not in parsing.get_model_map()
    assert "AWS::S3::Bucket" in parsing.get_model_map()
    emulation.install()
    assert parsing.get_model_map()["AWS::Cognito::UserPool"].__module__ == "local.emulation.cfn_cognito"


# ---- server mode ----------------------------------------------------------------------------
def test_deploy_main_account_works_through_a_threaded_moto_server(configure):
    from moto.server import ThreadedMotoServer

    from local.main_account import deploy_main_account, load_template

    configure(strict_cloudformation=True)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        account = session_in(new_account())

        class Remote(boto3.session.Session):
            def client(self, service: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
                return account.client(service, *args, endpoint_url=endpoint, **kwargs)

        outputs = deploy_main_account(Remote(region_name=REGION), stack_name="rsw-server", stage="local")
        assert set(outputs) == {k for k, o in load_template()["Outputs"].items() if "Condition" not in o}
        remote = Remote(region_name=REGION)
        pool = remote.client("cognito-idp").describe_user_pool(UserPoolId=outputs["UserPoolId"])["UserPool"]
        assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] == 12
        secret = remote.client("secretsmanager").get_secret_value(SecretId=outputs["PaginationSecretArn"])
        assert len(secret["SecretString"]) == 64
        assert remote.client("servicecatalog").describe_portfolio(Id=outputs["EnvironmentPortfolioId"])
    finally:
        server.stop()
