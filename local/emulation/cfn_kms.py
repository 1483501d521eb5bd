"""AWS::KMS::Key through moto's CloudFormation, as AWS does it.

moto stores the template's KeyPolicy as a dict (AWS stores the JSON text, and describe_key
and get_key_policy then crash) and passes the template's Tags ({Key, Value}) where its
backend expects {TagKey, TagValue}.
"""

from __future__ import annotations

import json
from typing import Any

from moto.kms.models import Key

from . import patching


def _create_from_cloudformation_json(cls: type, resource_name: str, cloudformation_json: Any,
                                     account_id: str, region_name: str, **kwargs: Any) -> Key:
    properties = dict(cloudformation_json["Properties"])
    if not isinstance(properties.get("KeyPolicy"), str):
        properties["KeyPolicy"] = json.dumps(properties.get("KeyPolicy") or {})
    properties["Tags"] = [{"TagKey": t["Key"], "TagValue": t["Value"]} if "Key" in t else t
                          for t in properties.get("Tags", [])]
    original = patching.original(Key, "create_from_cloudformation_json").__func__
    return original(cls, resource_name, {**cloudformation_json, "Properties": properties}, account_id,
                    region_name, **kwargs)


def install() -> None:
    patching.patch(Key, "create_from_cloudformation_json", classmethod(_create_from_cloudformation_json))
