"""AWS::SSM::Document whose Content is an object, as templates usually write it.

AWS stores such Content as text in DocumentFormat (JSON unless said otherwise). moto stores the
object itself, and describe_document then fails (it hashes the text). Here the object becomes
the text first; a document without a Name gets CloudFormation's generated name, not a uuid.
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from moto.ssm.models import Document

from . import patching
from .cfn_registry import declare_properties

PROPERTIES = {"Name", "Content", "DocumentType", "DocumentFormat", "Tags", "UpdateMethod", "Requires",
              "Attachments", "VersionName", "TargetType"}


def _create(cls: type, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str,
            **kwargs: Any) -> Document:
    properties = dict(cloudformation_json.get("Properties") or {})
    properties["DocumentFormat"] = properties.get("DocumentFormat") or "JSON"
    properties["Name"] = properties.get("Name") or resource_name
    content = properties.get("Content")
    if content is not None and not isinstance(content, str):
        properties["Content"] = (yaml.safe_dump(content, sort_keys=False)
                                 if properties["DocumentFormat"] == "YAML" else json.dumps(content))
    original = patching.original(Document, "create_from_cloudformation_json").__func__
    return original(cls, resource_name, {**cloudformation_json, "Properties": properties}, account_id,
                    region_name, **kwargs)


def install() -> None:
    patching.patch(Document, "create_from_cloudformation_json", classmethod(_create))
    declare_properties(Document.cloudformation_type(), PROPERTIES)
