"""Deploy main_account/template.yaml into the embedded AWS with create_stack, as an admin would on AWS."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

import boto3
import yaml
from moto.cloudformation.utils import yaml_tag_constructor

TEMPLATE_PATH = Path(__file__).resolve().parent.parent / "main_account" / "template.yaml"

_SUB_VARIABLE = re.compile(r"\$\{([^}]+)\}")
_NO_VALUE = object()


class _CfnLoader(yaml.SafeLoader):
    """Reads CloudFormation YAML: short forms (!Ref, !Sub, !GetAtt ...) become their long forms."""


_CfnLoader.add_multi_constructor("", yaml_tag_constructor)


def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    """The template as a dict, intrinsic functions in long form (`{"Fn::GetAtt": [id, attr]}`)."""
    return yaml.load(path.read_text(), Loader=_CfnLoader)


def deploy_main_account(
    session: boto3.session.Session, stack_name: str = "rsw-local", stage: str = "local"
) -> dict[str, str]:
    """Create the main-account stack, wait for CREATE_COMPLETE and return its outputs by name."""
    body = TEMPLATE_PATH.read_text()
    cfn = session.client("cloudformation")
    cfn.create_stack(
        StackName=stack_name,
        TemplateBody=body,
        Parameters=[{"ParameterKey": "Stage", "ParameterValue": stage}],
        Capabilities=["CAPABILITY_NAMED_IAM"],
    )
    cfn.get_waiter("stack_create_complete").wait(
        StackName=stack_name, WaiterConfig={"Delay": 1, "MaxAttempts": 600}
    )
    stack = _Stack(session, cfn, yaml.load(body, Loader=_CfnLoader), stack_name)
    _complete_what_moto_skips(stack)
    return stack.outputs()


class _Stack:
    """A created stack: its template, parameters and physical ids; resolves intrinsic functions."""

    def __init__(self, session: Any, cfn: Any, template: dict[str, Any], stack_name: str) -> None:
        self.session, self.template = session, template
        self.resources: dict[str, Any] = template["Resources"]
        described = cfn.describe_stacks(StackName=stack_name)["Stacks"][0]
        self.moto_outputs = {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}
        pages = cfn.get_paginator("list_stack_resources").paginate(StackName=stack_name)
        self.physical: dict[str, str] = {
            row["LogicalResourceId"]: row["PhysicalResourceId"]
            for page in pages
            for row in page["StackResourceSummaries"]
            if row.get("LogicalResourceId") and row.get("PhysicalResourceId")
        }
        self.skipped = set(self.resources) - set(self.physical)
        _, self.partition, _, region, account, _ = described["StackId"].split(":", 5)
        self.values = {
            "AWS::StackName": described["StackName"],
            "AWS::StackId": described["StackId"],
            "AWS::Region": region,
            "AWS::AccountId": account,
            "AWS::Partition": self.partition,
            "AWS::URLSuffix": "amazonaws.com.cn" if self.partition == "aws-cn" else "amazonaws.com",
            **{p["ParameterKey"]: p["ParameterValue"] for p in described.get("Parameters", [])},
        }
        self._clients: dict[str, Any] = {}

    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = self.session.client(service)
        return self._clients[service]

    def outputs(self) -> dict[str, str]:
        """moto's outputs, except those that name a resource moto skipped: resolved here instead."""
        result = {}
        for key, output in self.template.get("Outputs", {}).items():
            if key in self.moto_outputs and not _dependencies(output["Value"], self.skipped):
                result[key] = self.moto_outputs[key]
            else:
                result[key] = str(self.resolve(output["Value"]))
        return result

    def resolve(self, node: Any) -> Any:
        if isinstance(node, list):
            return [item for item in map(self.resolve, node) if item is not _NO_VALUE]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            ((key, arg),) = node.items()
            if key == "Ref":
                return self.ref(arg)
            if key == "Fn::GetAtt":
                return self.get_att(arg[0], ".".join(arg[1:]))
            if key == "Fn::Sub":
                return self.sub(*arg) if isinstance(arg, list) else self.sub(arg)
            if key == "Fn::Join":
                return arg[0].join(str(item) for item in self.resolve(arg[1]))
            if key == "Fn::Select":
                return self.resolve(arg[1])[int(self.resolve(arg[0]))]
            if key.startswith("Fn::"):
                raise NotImplementedError(f"local/main_account.py cannot resolve {key} yet")
        resolved = {key: self.resolve(value) for key, value in node.items()}
        return {key: value for key, value in resolved.items() if value is not _NO_VALUE}

    def ref(self, name: str) -> Any:
        if name == "AWS::NoValue":
            return _NO_VALUE
        if name in self.values:
            return self.values[name]
        return self.physical[name]

    def get_att(self, logical_id: str, attribute: str) -> str:
        kind = self.resources[logical_id]["Type"]
        getter = _ATTRIBUTES.get((kind, attribute))
        if getter is None:
            raise NotImplementedError(f"local/main_account.py cannot resolve GetAtt {kind}.{attribute}")
        return getter(self, self.physical[logical_id])

    def sub(self, text: str, variables: dict[str, Any] | None = None) -> str:
        extra = self.resolve(variables or {})

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in extra:
                return str(extra[name])
            if "." in name and name.split(".", 1)[0] in self.resources:
                return self.get_att(*name.split(".", 1))
            return str(self.ref(name))

        return _SUB_VARIABLE.sub(replace, text)


_ATTRIBUTES: dict[tuple[str, str], Callable[[_Stack, str], str]] = {
    ("AWS::KMS::Key", "Arn"): lambda s, key: s.client("kms").describe_key(KeyId=key)["KeyMetadata"]["Arn"],
    ("AWS::S3::Bucket", "Arn"): lambda s, bucket: f"arn:{s.partition}:s3:::{bucket}",
    ("AWS::SQS::Queue", "Arn"): lambda s, url: s.client("sqs").get_queue_attributes(
        QueueUrl=url, AttributeNames=["QueueArn"]
    )["Attributes"]["QueueArn"],
    ("AWS::SQS::Queue", "QueueName"): lambda s, url: url.rsplit("/", 1)[-1],
    ("AWS::SQS::Queue", "QueueUrl"): lambda s, url: url,
    ("AWS::Events::Rule", "Arn"): lambda s, name: s.client("events").describe_rule(Name=name)["Arn"],
    ("AWS::DynamoDB::Table", "Arn"): lambda s, name: s.client("dynamodb").describe_table(
        TableName=name
    )["Table"]["TableArn"],
    ("AWS::Cognito::UserPool", "Arn"): lambda s, pool: s.client("cognito-idp").describe_user_pool(
        UserPoolId=pool
    )["UserPool"]["Arn"],
}


def _dependencies(node: Any, names: set[str]) -> set[str]:
    """The logical ids among `names` that a template fragment refers to."""
    found: set[str] = set()
    if isinstance(node, list):
        for item in node:
            found |= _dependencies(item, names)
    elif isinstance(node, dict):
        for key, arg in node.items():
            if key in ("Ref", "Fn::GetAtt"):
                found |= {arg if key == "Ref" else arg[0]} & names
            elif key == "Fn::Sub":
                text = arg[0] if isinstance(arg, list) else arg
                found |= {var.split(".", 1)[0] for var in _SUB_VARIABLE.findall(text)} & names
            found |= _dependencies(arg, names)
    return found


# ---------------------------------------------------------------------------------------------
# moto 5.2.5 stand-ins. Its CloudFormation silently skips AWS::Cognito::UserPool, UserPoolClient,
# UserPoolGroup, AWS::SecretsManager::Secret, AWS::S3::BucketPolicy, AWS::SQS::QueuePolicy and
# AWS::ServiceCatalog::Portfolio, drops properties of AWS::S3::Bucket, AWS::DynamoDB::Table and
# AWS::KMS::Key, and stores an AWS::SSM::Document's Content object unserialised. Everything
# below goes away, type by type, as local/emulation teaches moto's CloudFormation these types.


def _complete_what_moto_skips(stack: _Stack) -> None:
    """Create or finish, through boto3 and from the template's own properties, what moto skipped.

    Runs in dependency order. A stand-in for a skipped type does nothing once moto (or
    local/emulation) created the resource; one for a partly supported type only re-applies
    properties. A skipped type without a stand-in fails loudly.
    """
    if stack.template.get("Conditions"):
        raise NotImplementedError("stand-ins do not evaluate Conditions yet")
    graph = {
        logical_id: _dependencies(resource, set(stack.resources)) | set(_depends_on(resource))
        for logical_id, resource in stack.resources.items()
    }
    for logical_id in TopologicalSorter(graph).static_order():
        resource = stack.resources[logical_id]
        stand_in = _STAND_INS.get(resource["Type"])
        if stand_in is not None:
            properties = stack.resolve(resource.get("Properties", {}))
            stack.physical[logical_id] = stand_in(stack, stack.physical.get(logical_id), properties)
        elif logical_id in stack.skipped:
            raise RuntimeError(f"moto skipped {logical_id} ({resource['Type']}) and has no stand-in")


def _depends_on(resource: dict[str, Any]) -> list[str]:
    value = resource.get("DependsOn", [])
    return [value] if isinstance(value, str) else value


def _user_pool(stack: _Stack, physical: str | None, props: dict[str, Any]) -> str:
    if physical:
        return physical
    request = {("PoolName" if key == "UserPoolName" else key): value for key, value in props.items()}
    return stack.client("cognito-idp").create_user_pool(**request)["UserPool"]["Id"]


def _user_pool_client(stack: _Stack, physical: str | None, props: dict[str, Any]) -> str:
    if physical:
        return physical
    return stack.client("cognito-idp").create_user_pool_client(**props)["UserPoolClient"]["ClientId"]


def _user_pool_group(stack: _Stack, physical: str | None, props: dict[str, Any]) -> str:
    if physical:
        return physical
    return stack.client("cognito-idp").create_group(**props)["Group"]["GroupName"]


def _secret(stack: _Stack, physical: str | None, props: dict[str, Any]) -> str:
    if physical:
        return physical
    secrets, request = stack.client("secretsmanager"), dict(props)
    generate = dict(request.pop("GenerateSecretString", None) or {})
    if generate or "SecretString" not in request:
        shape, key = generate.pop("SecretStringTemplate", None), generate.pop("GenerateStringKey", None)
        password = secrets.get_random_password(**generate)["RandomPassword"]
        request["SecretString"] = json.dumps({**json.loads(shape), key: password}) if key else password
    return secrets.create_secret(**request)["ARN"]


def _bucket_policy(stack: _Stack, physical: str | None, props: dict[str, Any]) -> str:
    if not physical:
        policy = json.dumps(props["PolicyDocument"])
        stack.client("s3").put_bucket_policy(Bucket=props["Bucket"], Policy=policy)
    return physical or props["Bucket"]


def _queue_policy(stack: _Stack, physical: str | None, props: dict[str, Any]) -> str:
    if not physical:
        policy = json.dumps(props["PolicyDocument"])
        for url in props["Queues"]:
            stack.client("sqs").set_queue_attributes(QueueUrl=url, Attributes={"Policy": policy})
    return physical or " ".join(props["Queues"])


def _kms_key(stack: _Stack, key_id: str, props: dict[str, Any]) -> str:
    # moto keeps the CloudFormation KeyPolicy as a dict; the API hands it back as a JSON string.
    policy = json.dumps(props["KeyPolicy"])
    stack.client("kms").put_key_policy(KeyId=key_id, PolicyName="default", Policy=policy)
    return key_id


def _bucket(stack: _Stack, name: str, props: dict[str, Any]) -> str:
    # moto applies only BucketName, Tags and BucketEncryption (minus BucketKeyEnabled).
    s3 = stack.client("s3")
    for prop, value in props.items():
        if prop not in _BUCKET_PROPERTIES:
            raise NotImplementedError(f"no stand-in for AWS::S3::Bucket property {prop}")
        _BUCKET_PROPERTIES[prop](s3, name, value)
    return name


def _encryption(value: dict[str, Any]) -> dict[str, Any]:
    return {
        "Rules": [
            {"ApplyServerSideEncryptionByDefault": rule["ServerSideEncryptionByDefault"],
             "BucketKeyEnabled": rule.get("BucketKeyEnabled", False)}
            for rule in value["ServerSideEncryptionConfiguration"]
        ]
    }


def _notifications(value: dict[str, Any]) -> dict[str, Any]:
    if set(value) != {"EventBridgeConfiguration"}:
        raise NotImplementedError("only EventBridgeConfiguration bucket notifications have a stand-in")
    return {"EventBridgeConfiguration": {}} if value["EventBridgeConfiguration"]["EventBridgeEnabled"] else {}


def _cors_rule(rule: dict[str, Any]) -> dict[str, Any]:
    renamed = {"Id": "ID", "ExposedHeaders": "ExposeHeaders", "MaxAge": "MaxAgeSeconds"}
    return {renamed.get(key, key): value for key, value in rule.items()}


def _lifecycle_rule(rule: dict[str, Any]) -> dict[str, Any]:
    same = {"Status", "NoncurrentVersionExpiration", "AbortIncompleteMultipartUpload"}
    if set(rule) - same - {"Id", "Prefix", "ExpirationInDays"}:
        raise NotImplementedError(f"no stand-in for lifecycle rule keys {sorted(rule)}")
    api = {key: rule[key] for key in same if key in rule}
    api["Filter"] = {"Prefix": rule.get("Prefix", "")}
    if "Id" in rule:
        api["ID"] = rule["Id"]
    if "ExpirationInDays" in rule:
        api["Expiration"] = {"Days": rule["ExpirationInDays"]}
    return api


_BUCKET_PROPERTIES: dict[str, Callable[[Any, str, Any], Any]] = {
    "BucketName": lambda s3, name, value: None,
    "Tags": lambda s3, name, value: None,
    "BucketEncryption": lambda s3, name, value: s3.put_bucket_encryption(
        Bucket=name, ServerSideEncryptionConfiguration=_encryption(value)
    ),
    "VersioningConfiguration": lambda s3, name, value: s3.put_bucket_versioning(
        Bucket=name, VersioningConfiguration=value
    ),
    "PublicAccessBlockConfiguration": lambda s3, name, value: s3.put_public_access_block(
        Bucket=name, PublicAccessBlockConfiguration=value
    ),
    "OwnershipControls": lambda s3, name, value: s3.put_bucket_ownership_controls(
        Bucket=name, OwnershipControls=value
    ),
    "LoggingConfiguration": lambda s3, name, value: s3.put_bucket_logging(
        Bucket=name,
        BucketLoggingStatus={"LoggingEnabled": {
            "TargetBucket": value.get("DestinationBucketName", name),
            "TargetPrefix": value.get("LogFilePrefix", ""),
        }},
    ),
    "NotificationConfiguration": lambda s3, name, value: s3.put_bucket_notification_configuration(
        Bucket=name, NotificationConfiguration=_notifications(value)
    ),
    "CorsConfiguration": lambda s3, name, value: s3.put_bucket_cors(
        Bucket=name, CORSConfiguration={"CORSRules": [_cors_rule(rule) for rule in value["CorsRules"]]}
    ),
    "LifecycleConfiguration": lambda s3, name, value: s3.put_bucket_lifecycle_configuration(
        Bucket=name, LifecycleConfiguration={"Rules": [_lifecycle_rule(rule) for rule in value["Rules"]]}
    ),
}

_TABLE_REQUEST_KEYS = (
    "TableName", "AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "LocalSecondaryIndexes",
    "BillingMode", "ProvisionedThroughput", "DeletionProtectionEnabled", "TableClass", "Tags",
)
_TABLE_OTHER_KEYS = (
    "SSESpecification", "StreamSpecification", "TimeToLiveSpecification", "PointInTimeRecoverySpecification",
)


def _table(stack: _Stack, name: str, props: dict[str, Any]) -> str:
    # moto drops TTL and PITR, and reads SSESpecification with the API's key names (so ignores it).
    if set(props) - set(_TABLE_REQUEST_KEYS) - set(_TABLE_OTHER_KEYS):
        raise NotImplementedError(f"no stand-in for AWS::DynamoDB::Table properties {sorted(props)}")
    ddb = stack.client("dynamodb")
    sse = props.get("SSESpecification", {})
    if sse.get("SSEEnabled") and "SSEDescription" not in ddb.describe_table(TableName=name)["Table"]:
        # moto cannot add SSE in place; the table was created a moment ago and is empty.
        ddb.update_table(TableName=name, DeletionProtectionEnabled=False)
        ddb.delete_table(TableName=name)
        request = {key: props[key] for key in _TABLE_REQUEST_KEYS if key in props}
        request["SSESpecification"] = {"Enabled": True, **{k: v for k, v in sse.items() if k != "SSEEnabled"}}
        if "StreamSpecification" in props:
            request["StreamSpecification"] = {"StreamEnabled": True, **props["StreamSpecification"]}
        ddb.create_table(**request)
    ttl = props.get("TimeToLiveSpecification")
    current = ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]["TimeToLiveStatus"]
    if ttl and ttl["Enabled"] != (current == "ENABLED"):
        ddb.update_time_to_live(TableName=name, TimeToLiveSpecification=ttl)
    if "PointInTimeRecoverySpecification" in props:
        ddb.update_continuous_backups(
            TableName=name, PointInTimeRecoverySpecification=props["PointInTimeRecoverySpecification"]
        )
    return name


def _ssm_document(stack: _Stack, created: str | None, props: dict[str, Any]) -> str:
    # moto keeps a Content object as a dict, and describe_document then fails (it hashes the
    # text); re-create the document, created a moment ago and never run, from its text.
    content = props["Content"]
    if created and isinstance(content, str):
        return created
    if set(props) - {"Name", "Content", "DocumentType", "DocumentFormat", "Tags", "UpdateMethod"}:
        raise NotImplementedError(f"no stand-in for AWS::SSM::Document properties {sorted(props)}")
    ssm, document_format = stack.client("ssm"), props.get("DocumentFormat", "JSON")
    if not isinstance(content, str):
        content = yaml.safe_dump(content, sort_keys=False) if document_format == "YAML" else json.dumps(content)
    if created:
        ssm.delete_document(Name=created)
    request = {"Name": created or props["Name"], "Content": content, "DocumentFormat": document_format,
               "DocumentType": props.get("DocumentType", "Command"), "Tags": props.get("Tags", [])}
    return ssm.create_document(**request)["DocumentDescription"]["Name"]


def _portfolio(stack: _Stack, physical: str | None, props: dict[str, Any]) -> str:
    if physical:
        return physical
    return stack.client("servicecatalog").create_portfolio(**props)["PortfolioDetail"]["Id"]


_STAND_INS: dict[str, Callable[[_Stack, Any, dict[str, Any]], str]] = {
    "AWS::Cognito::UserPool": _user_pool,
    "AWS::Cognito::UserPoolClient": _user_pool_client,
    "AWS::Cognito::UserPoolGroup": _user_pool_group,
    "AWS::SecretsManager::Secret": _secret,
    "AWS::S3::BucketPolicy": _bucket_policy,
    "AWS::SQS::QueuePolicy": _queue_policy,
    "AWS::KMS::Key": _kms_key,
    "AWS::S3::Bucket": _bucket,
    "AWS::DynamoDB::Table": _table,
    "AWS::SSM::Document": _ssm_document,
    "AWS::ServiceCatalog::Portfolio": _portfolio,
}
