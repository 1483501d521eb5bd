"""The main-account template, deployed into the embedded AWS with create_stack, yields every resource."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from local import emulation
from local.main_account import TEMPLATE_PATH, deploy_main_account, load_template

# Not "rsw-local": the session-wide stack in tests/conftest.py may share this moto backend.
STACK = "rsw-maintest"
PASSWORD = "Correct-Horse-9-Battery!"
OUTPUTS = {
    "AppTableName", "AuthorizationTableName", "DatasetsBucketName", "ArtifactsBucketName",
    "AccessLogsBucketName", "UserPoolId", "UserPoolClientId", "UserPoolArn", "PlatformEventsQueueName",
    "PlatformEventsQueueArn", "PlatformEventsQueueUrl", "PaginationSecretArn", "DataKeyArn",
    "AppTableKeyArn", "AuthorizationTableKeyArn",
    "LaunchEnvironmentDocumentName", "TerminateEnvironmentDocumentName", "EnvironmentPortfolioId",
}
BUCKETS = ("DatasetsBucketName", "ArtifactsBucketName", "AccessLogsBucketName")
RULES = (f"{STACK}-dataset-object-events", f"{STACK}-hosting-account-events")


@pytest.fixture(scope="module")
def session():
    with pytest.MonkeyPatch.context() as env:
        for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
            env.delenv(name, raising=False)
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
            env.setenv(name, "testing")
        env.setenv("AWS_DEFAULT_REGION", "us-east-1")
        before = emulation.installed_settings()
        # Strict: the stack fails rather than skip or half-create anything of the template.
        emulation.install(emulation.EmulationSettings(strict_cloudformation=True))
        try:
            with mock_aws():
                yield boto3.session.Session(region_name="us-east-1")
        finally:
            assert emulation.wait_idle(30)
            if before is None:
                emulation.uninstall()
            else:
                emulation.install(before)


@pytest.fixture(scope="module")
def outputs(session) -> dict[str, str]:
    return deploy_main_account(session, stack_name=STACK, stage="local")


def test_deploy_returns_every_output_resolved(outputs):
    # The BYON outputs (Condition: ...) exist only when a VPC is given: docs/deploy.md.
    unconditional = {name for name, output in load_template()["Outputs"].items() if "Condition" not in output}
    assert set(outputs) == OUTPUTS == unconditional
    assert all(value and "${" not in value and value != "None" for value in outputs.values())
    assert outputs["UserPoolArn"].endswith(f":userpool/{outputs['UserPoolId']}")
    assert outputs["AppTableName"] == f"{STACK}-app"


def test_stack_reaches_create_complete_with_the_stage_parameter(session, outputs):
    stack = session.client("cloudformation").describe_stacks(StackName=STACK)["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    parameters = {p["ParameterKey"]: p["ParameterValue"] for p in stack["Parameters"]}
    assert parameters["Stage"] == "local"
    assert parameters.get("VpcId", "") == "" and parameters.get("LoadBalancer", "none") == "none"  # no BYON


@pytest.mark.parametrize("output, key_output, indexes", [
    ("AppTableName", "AppTableKeyArn", {"byType": ("gsiType", "gsiSort"), "byName": ("gsiType", "nameKey"),
                                        "byStatus": ("gsiStatus", "gsiSort"), "byOwner": ("gsiOwner", "gsiSort"),
                                        "byParent": ("gsiParent", "gsiSort")}),
    ("AuthorizationTableName", "AuthorizationTableKeyArn", {"byType": ("gsiType", "gsiSort"),
                                                            "byStatus": ("gsiStatus", "gsiSort"), "inverse": ("sk", "pk")}),
])
def test_tables_have_keys_indexes_kms_encryption_pitr_ttl_and_deletion_protection(
    session, outputs, output, key_output, indexes
):
    ddb = session.client("dynamodb")
    name = outputs[output]
    table = ddb.describe_table(TableName=name)["Table"]
    assert [(k["AttributeName"], k["KeyType"]) for k in table["KeySchema"]] == [("pk", "HASH"), ("sk", "RANGE")]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    found = {
        index["IndexName"]: (tuple(k["AttributeName"] for k in index["KeySchema"]),
                             index["Projection"]["ProjectionType"])
        for index in table["GlobalSecondaryIndexes"]
    }
    assert found == {name: (keys, "ALL") for name, keys in indexes.items()}
    assert table["SSEDescription"]["Status"] == "ENABLED"
    assert table["SSEDescription"]["KMSMasterKeyArn"] == outputs[key_output]
    assert table["DeletionProtectionEnabled"] is True
    backups = ddb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    assert backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
    ttl = ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    assert (ttl["TimeToLiveStatus"], ttl["AttributeName"]) == ("ENABLED", "expiresAt")


def test_kms_keys_rotate_carry_account_only_policies_and_have_aliases(session, outputs):
    kms = session.client("kms")
    aliases = {a["AliasName"]: a.get("TargetKeyId") for a in kms.list_aliases()["Aliases"]}
    for output, alias in (("AppTableKeyArn", "app-table"), ("AuthorizationTableKeyArn", "authorization-table"),
                          ("DataKeyArn", "data")):
        key_id = outputs[output].rsplit("/", 1)[1]
        assert kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"] is True
        policy = json.loads(kms.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"])
        assert [s["Principal"] for s in policy["Statement"]] == [{"AWS": "arn:aws:iam::123456789012:root"}]
        assert aliases[f"alias/{STACK}-{alias}"] == key_id


@pytest.mark.parametrize("output", BUCKETS)
def test_buckets_are_encrypted_versioned_private_owner_enforced_and_tls_only(session, outputs, output):
    s3, bucket = session.client("s3"), outputs[output]
    rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    if output == "AccessLogsBucketName":  # server access log delivery supports SSE-S3 only
        assert rule["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}
    else:
        assert rule["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms",
                                                              "KMSMasterKeyID": outputs["DataKeyArn"]}
        assert rule["BucketKeyEnabled"] is True
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert block == dict.fromkeys(("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy",
                                   "RestrictPublicBuckets"), True)
    ownership = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
    assert ownership == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    statements = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"]
    assert statements[0]["Effect"] == "Deny"
    assert statements[0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_tls_only_bucket_policy_still_lets_the_owner_read_and_write(session, outputs):
    s3, bucket = session.client("s3"), outputs["DatasetsBucketName"]
    s3.put_object(Bucket=bucket, Key="policy-probe/a.txt", Body=b"hello")
    assert s3.get_object(Bucket=bucket, Key="policy-probe/a.txt")["Body"].read() == b"hello"
    s3.delete_object(Bucket=bucket, Key="policy-probe/a.txt")


def test_data_buckets_log_to_the_access_logs_bucket(session, outputs):
    s3 = session.client("s3")
    for output, prefix in (("DatasetsBucketName", "datasets/"), ("ArtifactsBucketName", "artifacts/")):
        logging = s3.get_bucket_logging(Bucket=outputs[output])["LoggingEnabled"]
        assert logging == {"TargetBucket": outputs["AccessLogsBucketName"], "TargetPrefix": prefix}


def test_datasets_bucket_allows_presigned_uploads_from_browsers(session, outputs):
    cors = session.client("s3").get_bucket_cors(Bucket=outputs["DatasetsBucketName"])["CORSRules"]
    assert cors[0]["AllowedMethods"] == ["PUT", "POST"]
    assert cors[0]["AllowedOrigins"] == ["*"]
    assert cors[0]["ExposeHeaders"] == ["ETag"]


def test_platform_queue_redrives_to_the_dlq_and_admits_only_this_stacks_rules(session, outputs):
    sqs = session.client("sqs")
    attributes = sqs.get_queue_attributes(QueueUrl=outputs["PlatformEventsQueueUrl"],
                                          AttributeNames=["All"])["Attributes"]
    assert attributes["QueueArn"] == outputs["PlatformEventsQueueArn"]
    assert attributes["VisibilityTimeout"] == "180"
    assert attributes["SqsManagedSseEnabled"] == "true"
    redrive = json.loads(attributes["RedrivePolicy"])
    assert redrive == {"deadLetterTargetArn": outputs["PlatformEventsQueueArn"].replace(
        "platform-events", "platform-events-dlq"), "maxReceiveCount": 5}
    statement = json.loads(attributes["Policy"])["Statement"][0]
    assert statement["Principal"] == {"Service": "events.amazonaws.com"}
    events = session.client("events")
    arns = [events.describe_rule(Name=name)["Arn"] for name in RULES]
    assert sorted(statement["Condition"]["ArnEquals"]["aws:SourceArn"]) == sorted(arns)


def test_both_rules_target_the_platform_queue(session, outputs):
    events = session.client("events")
    rules = {name: json.loads(events.describe_rule(Name=name)["EventPattern"]) for name in RULES}
    assert rules[f"{STACK}-dataset-object-events"]["detail"] == {
        "bucket": {"name": [outputs["DatasetsBucketName"]]}}
    assert {"source": ["workbench.automation"]} in rules[f"{STACK}-hosting-account-events"]["$or"]
    for name in rules:
        targets = events.list_targets_by_rule(Rule=name)["Targets"]
        assert [t["Arn"] for t in targets] == [outputs["PlatformEventsQueueArn"]]


def test_dataset_uploads_and_automation_events_reach_the_platform_queue(session, outputs):
    sqs, url = session.client("sqs"), outputs["PlatformEventsQueueUrl"]
    sqs.purge_queue(QueueUrl=url)
    session.client("s3").put_object(Bucket=outputs["DatasetsBucketName"], Key="ds-1/file.csv", Body=b"a,b")
    session.client("events").put_events(Entries=[
        {"Source": "workbench.automation", "DetailType": "Automation Result", "Detail": "{}"},
        {"Source": "somebody.else", "DetailType": "Noise", "Detail": "{}"},
    ])
    received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    kinds = sorted(json.loads(m["Body"])["detail-type"] for m in received)
    assert kinds == ["Automation Result", "Object Created"]


def test_user_pool_is_admin_only_with_strong_passwords_and_email_alias(session, outputs):
    pool = session.client("cognito-idp").describe_user_pool(UserPoolId=outputs["UserPoolId"])["UserPool"]
    assert pool["Name"] == f"{STACK}-users"
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    policy = pool["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] == 12
    assert all(policy[f"Require{kind}"] for kind in ("Uppercase", "Lowercase", "Numbers", "Symbols"))
    assert pool["AliasAttributes"] == ["email"]
    assert pool["AutoVerifiedAttributes"] == ["email"]
    assert "UsernameAttributes" not in pool


def test_api_client_and_itadmin_group_exist(session, outputs):
    idp = session.client("cognito-idp")
    client = idp.describe_user_pool_client(UserPoolId=outputs["UserPoolId"],
                                           ClientId=outputs["UserPoolClientId"])["UserPoolClient"]
    assert client["ClientName"] == "api"
    assert "ClientSecret" not in client
    assert set(client["ExplicitAuthFlows"]) == {"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH",
                                                "ALLOW_REFRESH_TOKEN_AUTH"}
    assert (client["AccessTokenValidity"], client["IdTokenValidity"], client["RefreshTokenValidity"]) == (60, 60, 7)
    assert client["TokenValidityUnits"] == {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"}
    assert client["PreventUserExistenceErrors"] == "ENABLED"
    assert client["ReadAttributes"] == ["email", "given_name", "family_name"]
    groups = idp.list_groups(UserPoolId=outputs["UserPoolId"])["Groups"]
    assert [g["GroupName"] for g in groups] == ["ITAdmin"]


def test_an_admin_created_user_gets_an_access_token_with_user_password_auth(session, outputs):
    idp, pool = session.client("cognito-idp"), outputs["UserPoolId"]
    idp.admin_create_user(UserPoolId=pool, Username="ada", MessageAction="SUPPRESS",
                          UserAttributes=[{"Name": "email", "Value": "ada@example.org"}])
    idp.admin_set_user_password(UserPoolId=pool, Username="ada", Password=PASSWORD, Permanent=True)
    result = idp.initiate_auth(ClientId=outputs["UserPoolClientId"], AuthFlow="USER_PASSWORD_AUTH",
                               AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD})["AuthenticationResult"]
    assert result["AccessToken"].count(".") == 2


def test_pagination_secret_is_generated_and_encrypted_with_the_data_key(session, outputs):
    secrets = session.client("secretsmanager")
    described = secrets.describe_secret(SecretId=outputs["PaginationSecretArn"])
    assert described["Name"] == f"{STACK}/pagination-token-key"
    assert outputs["DataKeyArn"].endswith(described["KmsKeyId"])
    value = secrets.get_secret_value(SecretId=outputs["PaginationSecretArn"])["SecretString"]
    assert len(value) >= 32 and value.isalnum()


def test_a_second_stage_deploys_beside_the_first(session, outputs):
    other = deploy_main_account(session, stack_name=f"{STACK}-dev", stage="dev")
    assert set(other) == OUTPUTS
    assert all(other[key] != outputs[key] for key in OUTPUTS)


def test_template_passes_cfn_lint():
    cfn_lint = Path(sys.executable).with_name("cfn-lint")
    result = subprocess.run([str(cfn_lint), str(TEMPLATE_PATH)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
