"""AWS::DynamoDB::Table with encryption, point-in-time recovery and TTL, as the template says.

moto's table model hands SSESpecification to its backend in CloudFormation's spelling
(SSEEnabled) where the backend reads the API's (Enabled), so tables come out unencrypted; it
drops TimeToLiveSpecification and PointInTimeRecoverySpecification; and it has no update, so an
UpdateStack that changes a table loses it from the stack. Here updates apply in place what can
change in place (encryption, TTL, PITR, deletion protection); a new TableName replaces the table.
"""

from __future__ import annotations

from typing import Any

from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.table import Table
from moto.kms.models import kms_backends

from . import patching
from .cfn_registry import boolean, declare_properties

# What moto's model reads, plus what this module applies.
PROPERTIES = {
    "TableName", "KeySchema", "AttributeDefinitions", "GlobalSecondaryIndexes", "LocalSecondaryIndexes",
    "ProvisionedThroughput", "StreamSpecification", "Tags", "DeletionProtectionEnabled", "SSESpecification",
    "WarmThroughput", "BillingMode", "TimeToLiveSpecification", "PointInTimeRecoverySpecification",
}


def _sse(spec: dict[str, Any] | None, account_id: str, region_name: str) -> dict[str, Any] | None:
    """CloudFormation's SSESpecification in the API's form (KMS key as an ARN, like AWS describes it)."""
    if not spec or not boolean(spec.get("SSEEnabled", False)):
        return None
    api: dict[str, Any] = {"Enabled": True, "SSEType": spec.get("SSEType", "KMS")}
    key = spec.get("KMSMasterKeyId")
    if key:
        if not key.startswith("arn:"):
            try:
                key = kms_backends[account_id][region_name].describe_key(key).arn
            except Exception:  # noqa: S110 - an alias or unknown key: keep it as written
                pass
        api["KMSMasterKeyId"] = key
    return api


def _apply_after_create(table: Table, properties: dict[str, Any], account_id: str, region_name: str) -> None:
    backend = dynamodb_backends[account_id][region_name]
    ttl = properties.get("TimeToLiveSpecification")
    if ttl is not None:
        backend.update_time_to_live(table.name, {**ttl, "Enabled": boolean(ttl.get("Enabled", False))})
    spec = properties.get("PointInTimeRecoverySpecification")
    if spec is not None:
        enabled = boolean(spec.get("PointInTimeRecoveryEnabled", False))
        backend.update_continuous_backups(table.name, {**spec, "PointInTimeRecoveryEnabled": enabled})


def _create(cls: type, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str,
            **kwargs: Any) -> Table:
    properties = dict(cloudformation_json.get("Properties") or {})
    properties["SSESpecification"] = _sse(properties.get("SSESpecification"), account_id, region_name)
    if "DeletionProtectionEnabled" in properties:
        properties["DeletionProtectionEnabled"] = boolean(properties["DeletionProtectionEnabled"])
    original = patching.original(Table, "create_from_cloudformation_json").__func__
    table = original(cls, resource_name, {**cloudformation_json, "Properties": properties}, account_id,
                     region_name, **kwargs)
    _apply_after_create(table, properties, account_id, region_name)
    return table


def _update(cls: type[Table], original_resource: Table, new_resource_name: str, cloudformation_json: Any,
            account_id: str, region_name: str) -> Table:
    properties = cloudformation_json.get("Properties") or {}
    if properties.get("TableName", original_resource.name) != original_resource.name:
        table = cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)
        cls.delete_from_cloudformation_json(original_resource.name, cloudformation_json, account_id, region_name)
        return table
    original_resource.sse_specification = _sse(properties.get("SSESpecification"), account_id, region_name)
    original_resource.deletion_protection_enabled = boolean(properties.get("DeletionProtectionEnabled", False))
    _apply_after_create(original_resource, properties, account_id, region_name)
    return original_resource


def install() -> None:
    patching.patch(Table, "create_from_cloudformation_json", classmethod(_create))
    patching.add(Table, "update_from_cloudformation_json", classmethod(_update))  # Table only inherits an abstract one
    declare_properties(Table.cloudformation_type(), PROPERTIES)
