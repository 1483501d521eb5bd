"""Our three templates deploy with create_stack under strict_cloudformation, every resource created.

main_account/ and hosting_account/ (both networks and a network of one's own) each in a fresh
account; every logical id of the template (whose Condition holds) has a physical resource that
the service's own API describes; then spot checks of the properties moto used to drop.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml
from moto import mock_aws
from moto.s3.models import s3_backends

from local import emulation
from local.emulation import account_credentials
from local.main_account import load_template

from .scenario import new_account

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "main_account" / "template.yaml"
HOSTING = ROOT / "hosting_account" / "template.yaml"
NOTEBOOK = ROOT / "catalog" / "sagemaker-notebook.yaml"
REGION = "us-east-1"
MAIN_ACCOUNT = "123456789012"


class Deployed:
    """A stack created in its own account: outputs, and physical id / type by logical id."""

    def __init__(self, session: boto3.session.Session, name: str, template: Path, **parameters: str) -> None:
        self.session, self.name, self.template = session, name, load_template(template)
        cfn = session.client("cloudformation")
        cfn.create_stack(StackName=name, TemplateBody=template.read_text(), Capabilities=["CAPABILITY_NAMED_IAM"],
                         Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()])
        self.stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
        self.account_id = self.stack["StackId"].split(":")[4]
        self.outputs = {o["OutputKey"]: o["OutputValue"] for o in self.stack.get("Outputs", [])}
        rows = cfn.list_stack_resources(StackName=name)["StackResourceSummaries"]
        self.rows = rows
        self.physical = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in rows}
        self.types = {r["LogicalResourceId"]: r["ResourceType"] for r in rows}

    def client(self, service: str) -> Any:
        return self.session.client(service)

    def of_type(self, kind: str) -> dict[str, str]:
        return {logical: self.physical[logical] for logical, t in self.types.items() if t == kind}

    def props(self, logical_id: str) -> dict[str, Any]:
        return self.template["Resources"][logical_id].get("Properties", {})


def session_in(account_id: str) -> boto3.session.Session:
    return boto3.session.Session(region_name=REGION, **account_credentials(account_id, REGION))


@pytest.fixture(scope="module")
def strict() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as env:
        for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "MOTO_ACCOUNT_ID", "AWS_SESSION_TOKEN"):
            env.delenv(name, raising=False)
        env.setenv("AWS_ACCESS_KEY_ID", "testing")
        env.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        env.setenv("AWS_DEFAULT_REGION", REGION)
        before = emulation.installed_settings()
        emulation.install(emulation.EmulationSettings(strict_cloudformation=True))
        try:
            with mock_aws():  # nests in a session-wide mock without a reset: fresh accounts below
                yield
                assert emulation.wait_idle(30)
        finally:
            if before is None:
                emulation.uninstall()
            else:
                emulation.install(before)


@pytest.fixture(scope="module")
def main(strict) -> Deployed:
    return Deployed(session_in(new_account()), f"rsw-{uuid.uuid4().hex[:6]}", MAIN, Stage="local")


def hosting(**parameters: str) -> Deployed:
    return Deployed(session_in(new_account()), "rsw-hosting-account", HOSTING,
                    MainAccountId=MAIN_ACCOUNT, ExternalId="ext-cfn-1234", **parameters)


@pytest.fixture(scope="module")
def hosting_private(strict) -> Deployed:
    return hosting()


@pytest.fixture(scope="module")
def hosting_public(strict) -> Deployed:
    return hosting(SubnetType="public", Namespace="pub")


@pytest.fixture(scope="module")
def hosting_byon(strict, hosting_private) -> Deployed:
    ec2 = hosting_private.client("ec2")  # a network in the same account, made by hand
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.9.{i}.0/24")["Subnet"]["SubnetId"] for i in (1, 2)]
    return Deployed(hosting_private.session, "rsw-byon", HOSTING, MainAccountId=MAIN_ACCOUNT,
                    ExternalId="ext-cfn-1234", Namespace="byon", VpcId=vpc, SubnetIds=",".join(subnets))


# ---- every resource exists, as its own service describes it ------------------------------------
def _exists(d: Deployed, logical_id: str) -> None:  # noqa: C901 - one branch per resource type
    kind, pid, props = d.types[logical_id], d.physical[logical_id], d.props(logical_id)
    ec2 = d.client("ec2")
    if kind == "AWS::KMS::Key":
        assert d.client("kms").describe_key(KeyId=pid)["KeyMetadata"]["KeyState"] == "Enabled"
    elif kind == "AWS::KMS::Alias":
        assert pid in [a["AliasName"] for a in d.client("kms").list_aliases()["Aliases"] if a.get("TargetKeyId")]
    elif kind == "AWS::DynamoDB::Table":
        d.client("dynamodb").describe_table(TableName=pid)
    elif kind == "AWS::SecretsManager::Secret":
        assert d.client("secretsmanager").describe_secret(SecretId=pid)["ARN"] == pid
    elif kind == "AWS::S3::Bucket":
        d.client("s3").head_bucket(Bucket=pid)
    elif kind == "AWS::S3::BucketPolicy":
        assert json.loads(d.client("s3").get_bucket_policy(Bucket=pid)["Policy"])["Statement"]
    elif kind == "AWS::Cognito::UserPool":
        d.client("cognito-idp").describe_user_pool(UserPoolId=pid)
    elif kind == "AWS::Cognito::UserPoolClient":
        pool = d.physical[props["UserPoolId"]["Ref"]]
        d.client("cognito-idp").describe_user_pool_client(UserPoolId=pool, ClientId=pid)
    elif kind == "AWS::Cognito::UserPoolGroup":
        d.client("cognito-idp").get_group(UserPoolId=d.physical[props["UserPoolId"]["Ref"]], GroupName=pid)
    elif kind == "AWS::SQS::Queue":
        d.client("sqs").get_queue_attributes(QueueUrl=pid, AttributeNames=["QueueArn"])
    elif kind == "AWS::SQS::QueuePolicy":
        for queue in props["Queues"]:
            url = d.physical[queue["Ref"]]
            assert d.client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"])["Attributes"]
    elif kind == "AWS::Events::Rule":
        d.client("events").describe_rule(Name=pid)
    elif kind == "AWS::SSM::Document":
        d.client("ssm").describe_document(Name=pid)
    elif kind == "AWS::ServiceCatalog::Portfolio":
        d.client("servicecatalog").describe_portfolio(Id=pid)
    elif kind == "AWS::IAM::Role":
        d.client("iam").get_role(RoleName=pid)
    elif kind == "AWS::IAM::ManagedPolicy":
        d.client("iam").get_policy(PolicyArn=pid)
    elif kind == "AWS::Logs::LogGroup":
        assert d.client("logs").describe_log_groups(logGroupNamePrefix=pid)["logGroups"]
    elif kind == "AWS::EC2::VPC":
        ec2.describe_vpcs(VpcIds=[pid])
    elif kind == "AWS::EC2::Subnet":
        ec2.describe_subnets(SubnetIds=[pid])
    elif kind == "AWS::EC2::RouteTable":
        ec2.describe_route_tables(RouteTableIds=[pid])
    elif kind == "AWS::EC2::SubnetRouteTableAssociation":
        table = ec2.describe_route_tables(RouteTableIds=[d.physical[props["RouteTableId"]["Ref"]]])["RouteTables"][0]
        associations = {a["RouteTableAssociationId"]: a.get("SubnetId") for a in table["Associations"]}
        assert associations[pid] == d.physical[props["SubnetId"]["Ref"]]
    elif kind == "AWS::EC2::Route":
        table = ec2.describe_route_tables(RouteTableIds=[pid.split("~")[0]])["RouteTables"][0]
        assert props["DestinationCidrBlock"] in [r.get("DestinationCidrBlock") for r in table["Routes"]]
    elif kind == "AWS::EC2::InternetGateway":
        ec2.describe_internet_gateways(InternetGatewayIds=[pid])
    elif kind == "AWS::EC2::VPCGatewayAttachment":
        gateway = d.physical[props["InternetGatewayId"]["Ref"]]
        gw = ec2.describe_internet_gateways(InternetGatewayIds=[gateway])["InternetGateways"][0]
        assert [a["VpcId"] for a in gw["Attachments"]] == [d.physical[props["VpcId"]["Ref"]]]
    elif kind == "AWS::EC2::VPCEndpoint":
        ec2.describe_vpc_endpoints(VpcEndpointIds=[pid])
    elif kind == "AWS::EC2::SecurityGroup":
        ec2.describe_security_groups(GroupIds=[pid])
    elif kind == "AWS::EC2::FlowLog":
        assert ec2.describe_flow_logs(FlowLogIds=[pid])["FlowLogs"]
    else:
        pytest.fail(f"no existence check for {kind}")


def _assert_complete(d: Deployed, absent_conditions: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    assert d.stack["StackStatus"] == "CREATE_COMPLETE"
    expected = {logical for logical, r in d.template["Resources"].items() if r.get("Condition") not in absent_conditions}
    assert [r["LogicalResourceId"] for r in d.rows if not r["PhysicalResourceId"]] == []
    assert set(d.physical) == expected
    assert set(d.outputs) == {k for k, o in d.template["Outputs"].items() if o.get("Condition") not in absent_conditions}
    assert all(value and "${" not in value and value != "None" for value in d.outputs.values())
    for logical_id in sorted(expected):
        _exists(d, logical_id)
    described = d.client("cloudformation").describe_stack_resources(StackName=d.name)["StackResources"]
    assert {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in described} == d.physical


BYON_ENTRY = {"Byon", "CreateApiEndpoint", "WithLoadBalancer", "LoadBalancerToCreatedEndpoint", "WithDnsRecord"}


def test_main_account_creates_every_resource(main):
    _assert_complete(main, BYON_ENTRY)  # the default entry point: no VPC endpoint, no load balancer


def test_hosting_account_with_a_private_network_creates_every_resource(hosting_private):
    _assert_complete(hosting_private, {"CreatePublicNetwork", "PublicSubnets"})


def test_hosting_account_with_a_public_network_creates_every_resource(hosting_public):
    _assert_complete(hosting_public, {"CreatePrivateNetwork", "PrivateSubnets"})


def test_hosting_account_on_its_own_network_creates_every_resource(hosting_byon):
    _assert_complete(hosting_byon, {"CreateNetwork", "CreatePublicNetwork", "CreatePrivateNetwork"})


def test_the_notebook_product_deploys_on_a_hosting_account(hosting_private):
    out = hosting_private.outputs
    notebook = Deployed(hosting_private.session, f"SC-{uuid.uuid4().hex[:6]}", NOTEBOOK, EnvId="env-cfn",
                        VpcId=out["VpcId"], SubnetId=out["SubnetIds"].split(",")[0],
                        EncryptionKeyArn=out["EncryptionKeyArn"], EnvironmentBoundaryArn=out["EnvironmentBoundaryArn"],
                        ArtifactsBucketName=f"rsw-artifacts-{MAIN_ACCOUNT}-{REGION}", MainAccountId=MAIN_ACCOUNT)
    assert notebook.stack["StackStatus"] == "CREATE_COMPLETE"
    assert set(notebook.physical) == set(notebook.template["Resources"])
    described = notebook.client("sagemaker").describe_notebook_instance(
        NotebookInstanceName=notebook.outputs["NotebookInstanceName"])
    assert described["NotebookInstanceArn"] == notebook.outputs["NotebookArn"]


# ---- properties moto used to skip or drop -------------------------------------------------------
def test_user_pool_is_admin_only_with_the_templates_password_policy(main):
    pool = main.client("cognito-idp").describe_user_pool(UserPoolId=main.outputs["UserPoolId"])["UserPool"]
    assert pool["Name"] == f"{main.name}-users"
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    assert pool["Policies"]["PasswordPolicy"] == main.props("UserPool")["Policies"]["PasswordPolicy"]
    assert pool["DeletionProtection"] == "ACTIVE"
    assert pool["UserPoolTags"] == {"Stage": "local"}
    assert main.outputs["UserPoolArn"] == pool["Arn"]


def test_user_pool_client_and_group_carry_their_properties(main):
    idp, pool = main.client("cognito-idp"), main.outputs["UserPoolId"]
    client = idp.describe_user_pool_client(UserPoolId=pool, ClientId=main.outputs["UserPoolClientId"])["UserPoolClient"]
    assert client["ClientName"] == "api" and "ClientSecret" not in client
    assert client["ExplicitAuthFlows"] == main.props("UserPoolClient")["ExplicitAuthFlows"]
    assert client["TokenValidityUnits"] == {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"}
    group = idp.get_group(UserPoolId=pool, GroupName="ITAdmin")["Group"]
    assert group["Description"] == main.props("ITAdminGroup")["Description"]


def test_secret_is_generated_from_generate_secret_string(main):
    secrets = main.client("secretsmanager")
    described = secrets.describe_secret(SecretId=main.outputs["PaginationSecretArn"])
    assert described["Name"] == f"{main.name}/pagination-token-key"
    assert described["Description"] == main.props("PaginationSecret")["Description"]
    assert main.outputs["DataKeyArn"].endswith(described["KmsKeyId"])
    value = secrets.get_secret_value(SecretId=main.outputs["PaginationSecretArn"])["SecretString"]
    assert len(value) == 64 and value.isalnum()


@pytest.mark.parametrize("bucket", ["AccessLogsBucket", "DatasetsBucket", "ArtifactsBucket"])
def test_buckets_are_versioned_private_encrypted_owner_enforced_with_their_policy(main, bucket):
    s3, name = main.client("s3"), main.physical[bucket]
    assert s3.get_bucket_versioning(Bucket=name)["Status"] == "Enabled"
    block = s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
    assert block == main.props(bucket)["PublicAccessBlockConfiguration"]
    rule = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"][0]
    expected = main.props(bucket)["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert rule["BucketKeyEnabled"] is expected.get("BucketKeyEnabled", False)
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == expected["ServerSideEncryptionByDefault"][
        "SSEAlgorithm"]
    assert s3.get_bucket_ownership_controls(Bucket=name)["OwnershipControls"]["Rules"] == [
        {"ObjectOwnership": "BucketOwnerEnforced"}]
    policy = json.loads(s3.get_bucket_policy(Bucket=name)["Policy"])
    assert policy["Statement"][0]["Sid"] == "DenyInsecureTransport"
    assert f"arn:aws:s3:::{name}" in policy["Statement"][0]["Resource"]


def test_bucket_logging_cors_lifecycle_and_eventbridge_notifications(main):
    s3, datasets, logs = main.client("s3"), main.physical["DatasetsBucket"], main.physical["AccessLogsBucket"]
    assert s3.get_bucket_logging(Bucket=datasets)["LoggingEnabled"] == {"TargetBucket": logs, "TargetPrefix": "datasets/"}
    cors = s3.get_bucket_cors(Bucket=datasets)["CORSRules"][0]
    assert (cors["ID"], cors["AllowedMethods"], cors["ExposeHeaders"], cors["MaxAgeSeconds"]) == (
        "PresignedUploads", ["PUT", "POST"], ["ETag"], 3000)
    # moto's GetBucketNotificationConfiguration leaves EventBridgeConfiguration out: read its backend.
    bucket = s3_backends[main.account_id]["aws"].buckets[datasets]
    assert bucket.notification_configuration.event_bridge == {}
    (rule,) = s3.get_bucket_lifecycle_configuration(Bucket=logs)["Rules"]
    assert (rule["ID"], rule["Expiration"]["Days"], rule["NoncurrentVersionExpiration"]["NoncurrentDays"]) == (
        "ExpireOldLogs", 365, 30)
    rules = {r["ID"]: r for r in s3.get_bucket_lifecycle_configuration(Bucket=datasets)["Rules"]}
    assert rules["AbortIncompleteUploads"]["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 7}
    assert rules["RetainDeletedFor30Days"]["NoncurrentVersionExpiration"]["NoncurrentDays"] == 30


def test_queue_policy_is_set_on_the_queue(main):
    url = main.outputs["PlatformEventsQueueUrl"]
    policy = main.client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"])["Attributes"]["Policy"]
    assert json.loads(policy)["Statement"][0]["Principal"] == {"Service": "events.amazonaws.com"}
    assert main.physical["PlatformEventsQueuePolicy"].startswith(f"{main.name}-PlatformEventsQueuePolicy-")


@pytest.mark.parametrize("table, key", [("AppTable", "AppTableKeyArn"), ("AuthorizationTable", "AuthorizationTableKeyArn")])
def test_tables_have_kms_encryption_pitr_and_ttl(main, table, key):
    ddb, name = main.client("dynamodb"), main.physical[table]
    described = ddb.describe_table(TableName=name)["Table"]
    assert described["SSEDescription"] == {"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": main.outputs[key]}
    backups = ddb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    assert backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
    ttl = ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    assert (ttl["TimeToLiveStatus"], ttl["AttributeName"]) == ("ENABLED", "expiresAt")


def test_portfolio_and_documents_are_describable(main):
    portfolio = main.client("servicecatalog").describe_portfolio(Id=main.outputs["EnvironmentPortfolioId"])
    detail = portfolio["PortfolioDetail"]
    assert (detail["DisplayName"], detail["ProviderName"]) == (f"{main.name}-environments", "Research Service Workbench")
    ssm = main.client("ssm")
    for logical, output in (("LaunchEnvironmentDocument", "LaunchEnvironmentDocumentName"),
                            ("TerminateEnvironmentDocument", "TerminateEnvironmentDocumentName")):
        described = ssm.describe_document(Name=main.outputs[output])["Document"]
        assert (described["DocumentType"], described["DocumentFormat"]) == ("Automation", "YAML")
        content = yaml.safe_load(ssm.get_document(Name=main.outputs[output])["Content"])
        assert content == main.props(logical)["Content"]


def test_kms_key_policies_are_the_templates(hosting_private):
    kms = hosting_private.client("kms")
    key = hosting_private.physical["EncryptionKey"]
    policy = json.loads(kms.get_key_policy(KeyId=key, PolicyName="default")["Policy"])
    assert [s["Sid"] for s in policy["Statement"]] == [
        s["Sid"] for s in hosting_private.props("EncryptionKey")["KeyPolicy"]["Statement"]]
    assert kms.get_key_rotation_status(KeyId=key)["KeyRotationEnabled"] is True
