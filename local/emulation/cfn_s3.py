"""AWS::S3::Bucket with all the properties our templates set, and AWS::S3::BucketPolicy.

moto's bucket model applies only BucketName, Tags and BucketEncryption (without BucketKeyEnabled)
and drops the rest; its CloudFormation has no BucketPolicy (stacks skip it). The bucket's other
configurations are handed to moto's S3 backend in the shapes its REST handlers give it (parsed
XML: strings), so the API reads them back as if they had been PUT. Updates in place re-apply
them (a configuration removed from the template is removed from the bucket).
BucketPolicy: Ref is the bucket name; deleting it deletes the policy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.s3.exceptions import MissingBucket
from moto.s3.models import FakeBucket, s3_backends
from moto.utilities.utils import get_partition

from . import patching
from .cfn_registry import EmulatedResource, boolean, declare_properties, policy_text, register, unsupported

_XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/"


def _xml(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _backend(account_id: str, region_name: str) -> Any:
    return s3_backends[account_id][get_partition(region_name)]


# ---- CloudFormation properties -> what moto's S3 REST handlers pass to its backend -------------
def _encryption(value: dict[str, Any]) -> dict[str, Any]:
    rules = value["ServerSideEncryptionConfiguration"]
    if len(rules) != 1:
        unsupported("AWS::S3::Bucket: moto keeps exactly one ServerSideEncryptionConfiguration rule")
    rule = rules[0]
    default = {key: rule["ServerSideEncryptionByDefault"][key] for key in ("SSEAlgorithm", "KMSMasterKeyID")
               if key in rule["ServerSideEncryptionByDefault"]}
    api_rule: dict[str, Any] = {"ApplyServerSideEncryptionByDefault": default}
    if "BucketKeyEnabled" in rule:
        api_rule["BucketKeyEnabled"] = _xml(rule["BucketKeyEnabled"])
    return {"@xmlns": _XMLNS, "Rule": api_rule}


def _filter(value: dict[str, Any] | None) -> dict[str, Any] | None:
    rules = ((value or {}).get("S3Key") or {}).get("Rules")
    return {"S3Key": {"FilterRule": [{"Name": r["Name"], "Value": r["Value"]} for r in rules]}} if rules else None


def _notifications(value: dict[str, Any]) -> dict[str, Any]:
    config: dict[str, Any] = {}
    if boolean((value.get("EventBridgeConfiguration") or {}).get("EventBridgeEnabled")):
        config["EventBridgeConfiguration"] = {}
    for cfn_key, api_key, target in (("QueueConfigurations", "QueueConfiguration", "Queue"),
                                     ("TopicConfigurations", "TopicConfiguration", "Topic"),
                                     ("LambdaConfigurations", "CloudFunctionConfiguration", "Function")):
        entries = []
        for entry in value.get(cfn_key) or []:
            api = {"CloudFunction" if target == "Function" else target: entry[target], "Event": [entry["Event"]]}
            if _filter(entry.get("Filter")):
                api["Filter"] = _filter(entry.get("Filter"))
            entries.append(api)
        if entries:
            config[api_key] = entries
    return config


_CORS_KEYS = {"Id": "ID", "AllowedMethods": "AllowedMethod", "AllowedOrigins": "AllowedOrigin",
              "AllowedHeaders": "AllowedHeader", "ExposedHeaders": "ExposeHeader", "MaxAge": "MaxAgeSeconds"}


def _cors_rule(rule: dict[str, Any]) -> dict[str, Any]:
    if set(rule) - set(_CORS_KEYS):
        unsupported(f"AWS::S3::Bucket CorsRules: no support for {sorted(set(rule) - set(_CORS_KEYS))}")
    return {_CORS_KEYS[k]: (v if isinstance(v, list) else _xml(v)) for k, v in rule.items() if k in _CORS_KEYS}


_LIFECYCLE_KEYS = {
    "Id", "Status", "Prefix", "TagFilters", "ExpirationInDays", "ExpirationDate", "ExpiredObjectDeleteMarker",
    "NoncurrentVersionExpiration", "NoncurrentVersionExpirationInDays", "AbortIncompleteMultipartUpload",
    "Transitions", "Transition", "NoncurrentVersionTransitions", "NoncurrentVersionTransition",
}


def _strings(value: dict[str, Any]) -> dict[str, str]:
    return {key: _xml(item) for key, item in value.items()}


def _lifecycle_rule(rule: dict[str, Any]) -> dict[str, Any]:
    if set(rule) - _LIFECYCLE_KEYS:
        unsupported(f"AWS::S3::Bucket lifecycle rules: no support for {sorted(set(rule) - _LIFECYCLE_KEYS)}")
    api: dict[str, Any] = {"Status": rule["Status"]}
    if "Id" in rule:
        api["ID"] = rule["Id"]
    tags = [{"Key": t["Key"], "Value": t["Value"]} for t in rule.get("TagFilters") or []]
    prefix = rule.get("Prefix", "")
    if len(tags) > 1 or (tags and prefix):
        api["Filter"] = {"And": {"Prefix": prefix, "Tag": tags}}
    else:
        api["Filter"] = {"Tag": tags[0]} if tags else {"Prefix": prefix}
    expiration = {"Days": rule.get("ExpirationInDays"), "Date": rule.get("ExpirationDate"),
                  "ExpiredObjectDeleteMarker": rule.get("ExpiredObjectDeleteMarker")}
    if any(v is not None for v in expiration.values()):
        api["Expiration"] = _strings({k: v for k, v in expiration.items() if v is not None})
    if "NoncurrentVersionExpiration" in rule:
        api["NoncurrentVersionExpiration"] = _strings(rule["NoncurrentVersionExpiration"])
    elif "NoncurrentVersionExpirationInDays" in rule:
        api["NoncurrentVersionExpiration"] = {"NoncurrentDays": _xml(rule["NoncurrentVersionExpirationInDays"])}
    if "AbortIncompleteMultipartUpload" in rule:
        api["AbortIncompleteMultipartUpload"] = _strings(rule["AbortIncompleteMultipartUpload"])
    transitions = list(rule.get("Transitions") or []) + ([rule["Transition"]] if "Transition" in rule else [])
    if transitions:
        api["Transition"] = [_strings({"StorageClass": t["StorageClass"], **(
            {"Days": t["TransitionInDays"]} if "TransitionInDays" in t else {"Date": t["TransitionDate"]})})
            for t in transitions]
    noncurrent = list(rule.get("NoncurrentVersionTransitions") or []) + (
        [rule["NoncurrentVersionTransition"]] if "NoncurrentVersionTransition" in rule else [])
    if noncurrent:
        api["NoncurrentVersionTransition"] = [_strings({
            "StorageClass": t["StorageClass"], "NoncurrentDays": t["TransitionInDays"],
            **({"NewerNoncurrentVersions": t["NewerNoncurrentVersions"]} if "NewerNoncurrentVersions" in t else {}),
        }) for t in noncurrent]
    return api


def _logging(name: str, value: dict[str, Any]) -> dict[str, Any]:
    return {"TargetBucket": value.get("DestinationBucketName", name), "TargetPrefix": value.get("LogFilePrefix", "")}


# property: (apply(backend, bucket name, value), clear(backend, bucket name) when an update removes it)
_Apply = Callable[[Any, str, Any], Any]
_Clear = Callable[[Any, str], Any]
_CONFIGURATIONS: dict[str, tuple[_Apply, _Clear]] = {
    "BucketEncryption": (lambda b, n, v: b.put_bucket_encryption(n, _encryption(v)),
                         lambda b, n: b.delete_bucket_encryption(n)),
    "VersioningConfiguration": (lambda b, n, v: b.put_bucket_versioning(n, v["Status"]),
                                lambda b, n: b.put_bucket_versioning(n, "Suspended")
                                if b.get_bucket_versioning(n) else None),
    "PublicAccessBlockConfiguration": (lambda b, n, v: b.put_public_access_block(n, _strings(v)),
                                       lambda b, n: b.delete_public_access_block(n)),
    "OwnershipControls": (lambda b, n, v: b.put_bucket_ownership_controls(n, v["Rules"][0]["ObjectOwnership"]),
                          lambda b, n: b.delete_bucket_ownership_controls(n)),
    "LoggingConfiguration": (lambda b, n, v: b.put_bucket_logging(n, _logging(n, v)),
                             lambda b, n: b.put_bucket_logging(n, {})),
    "NotificationConfiguration": (lambda b, n, v: b.put_bucket_notification_configuration(n, _notifications(v)),
                                  lambda b, n: b.put_bucket_notification_configuration(n, {})),
    "CorsConfiguration": (lambda b, n, v: b.put_bucket_cors(n, [_cors_rule(r) for r in v["CorsRules"]]),
                          lambda b, n: b.delete_bucket_cors(n)),
    "LifecycleConfiguration": (lambda b, n, v: b.put_bucket_lifecycle_configuration(
        n, [_lifecycle_rule(r) for r in v["Rules"]]), lambda b, n: b.delete_bucket_lifecycle(n)),
}
BUCKET_PROPERTIES = {"BucketName", "Tags", *_CONFIGURATIONS}


def _configure(bucket: FakeBucket, properties: dict[str, Any], account_id: str, region_name: str,
               clear_missing: bool) -> None:
    backend = _backend(account_id, region_name)
    for key, (apply, clear) in _CONFIGURATIONS.items():
        if key in properties:
            apply(backend, bucket.name, properties[key])
        elif clear_missing:
            clear(backend, bucket.name)


def _create_bucket(cls: type, resource_name: str, cloudformation_json: Any, account_id: str,
                   region_name: str, **kwargs: Any) -> FakeBucket:
    original = patching.original(FakeBucket, "create_from_cloudformation_json").__func__
    bucket = original(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    _configure(bucket, cloudformation_json.get("Properties") or {}, account_id, region_name, clear_missing=False)
    return bucket


def _update_bucket(cls: type, original_resource: FakeBucket, new_resource_name: str, cloudformation_json: Any,
                   account_id: str, region_name: str) -> FakeBucket:
    original = patching.original(FakeBucket, "update_from_cloudformation_json").__func__
    bucket = original(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name)
    if bucket is original_resource:  # updated in place; a replacement was configured when created
        _configure(bucket, cloudformation_json.get("Properties") or {}, account_id, region_name, clear_missing=True)
    return bucket


# ---- AWS::S3::BucketPolicy -----------------------------------------------------------------
class BucketPolicy(EmulatedResource):
    TYPE = "AWS::S3::BucketPolicy"

    @classmethod
    def create_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any
    ) -> BucketPolicy:
        properties = cloudformation_json["Properties"]
        policy = policy_text(properties["PolicyDocument"])
        _backend(account_id, region_name).put_bucket_policy(properties["Bucket"], policy.encode())
        return cls(properties["Bucket"])

    @classmethod
    def update_from_cloudformation_json(
        cls, original_resource: BucketPolicy, new_resource_name: str, cloudformation_json: Any,
        account_id: str, region_name: str,
    ) -> BucketPolicy:
        if cloudformation_json["Properties"]["Bucket"] != original_resource.physical_resource_id:
            original_resource.delete(account_id, region_name)
        return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)

    def delete(self, account_id: str, region_name: str) -> None:
        try:
            _backend(account_id, region_name).delete_bucket_policy(self.physical_resource_id)
        except MissingBucket:
            pass


def install() -> None:
    patching.patch(FakeBucket, "create_from_cloudformation_json", classmethod(_create_bucket))
    patching.patch(FakeBucket, "update_from_cloudformation_json", classmethod(_update_bucket))
    declare_properties(FakeBucket.cloudformation_type(), BUCKET_PROPERTIES)
    register(BucketPolicy, properties={BucketPolicy.TYPE: {"Bucket", "PolicyDocument"}})
