"""AWS::SecretsManager::Secret through moto's CloudFormation (moto 5.2 has no model: stacks skip it).

GenerateSecretString generates the value as AWS does (GetRandomPassword's options; with
SecretStringTemplate and GenerateStringKey, the password goes into that JSON object). Ref and
GetAtt Id: the secret's ARN. Deleting the stack deletes the secret without a recovery window.
"""

from __future__ import annotations

import json
from typing import Any

from moto.secretsmanager.exceptions import SecretNotFoundException
from moto.secretsmanager.models import FakeSecret, secretsmanager_backends
from moto.secretsmanager.utils import random_password

from .cfn_registry import EmulatedResource, register

PROPERTIES = {"Name", "Description", "KmsKeyId", "SecretString", "GenerateSecretString", "Tags", "ReplicaRegions"}
_PASSWORD_OPTIONS = {  # GenerateSecretString key: (random_password argument, AWS default)
    "PasswordLength": ("password_length", 32),
    "ExcludeCharacters": ("exclude_characters", ""),
    "ExcludeNumbers": ("exclude_numbers", False),
    "ExcludePunctuation": ("exclude_punctuation", False),
    "ExcludeUppercase": ("exclude_uppercase", False),
    "ExcludeLowercase": ("exclude_lowercase", False),
    "IncludeSpace": ("include_space", False),
    "RequireEachIncludedType": ("require_each_included_type", True),
}


def generate_secret_string(options: dict[str, Any]) -> str:
    unknown = set(options) - set(_PASSWORD_OPTIONS) - {"SecretStringTemplate", "GenerateStringKey"}
    if unknown:
        raise ValueError(f"GenerateSecretString does not take {sorted(unknown)}")
    arguments = {argument: options.get(key, default) for key, (argument, default) in _PASSWORD_OPTIONS.items()}
    arguments["password_length"] = int(arguments["password_length"])
    password = random_password(**arguments)
    key = options.get("GenerateStringKey")
    if key:
        return json.dumps({**json.loads(options.get("SecretStringTemplate") or "{}"), key: password})
    return password


class Secret(EmulatedResource):
    TYPE = "AWS::SecretsManager::Secret"
    NAME_PROPERTY = "Name"
    ATTRIBUTES = ("Id",)

    def __init__(self, arn: str) -> None:
        super().__init__(arn, {"Id": arn})

    @classmethod
    def create_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any
    ) -> Secret:
        properties = cloudformation_json.get("Properties") or {}
        value = properties.get("SecretString")
        if value is None:
            value = generate_secret_string(properties.get("GenerateSecretString") or {})
        backend = secretsmanager_backends[account_id][region_name]
        backend.create_secret(
            name=resource_name, secret_string=value, secret_binary=None,
            description=properties.get("Description"), tags=properties.get("Tags"),
            kms_key_id=properties.get("KmsKeyId"), client_request_token=None,
            replica_regions=properties.get("ReplicaRegions") or [], force_overwrite=False)
        return cls(backend.secrets[resource_name].arn)

    @classmethod
    def update_from_cloudformation_json(
        cls, original_resource: Secret, new_resource_name: str, cloudformation_json: Any,
        account_id: str, region_name: str,
    ) -> Secret:
        properties = cloudformation_json.get("Properties") or {}
        backend = secretsmanager_backends[account_id][region_name]
        secret = backend.secrets[original_resource.physical_resource_id]
        if not isinstance(secret, FakeSecret):  # a stack creates primaries; replicas are read-only
            raise TypeError(f"{secret.arn} is a replica")
        if properties.get("Name", secret.name) != secret.name:
            return super().update_from_cloudformation_json(
                original_resource, new_resource_name, cloudformation_json, account_id, region_name)
        secret.description = properties.get("Description")
        secret.kms_key_id = properties.get("KmsKeyId")
        value = properties.get("SecretString")
        if value is not None and value != secret.secret_string:
            # moto annotates both as str, but its own responses pass None when the request omits them
            backend.put_secret_value(secret_id=secret.arn, secret_string=value,
                                     secret_binary=None,  # type: ignore[arg-type]
                                     client_request_token=None,  # type: ignore[arg-type]
                                     version_stages=["AWSCURRENT"])
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        try:
            secretsmanager_backends[account_id][region_name].delete_secret(
                self.physical_resource_id, recovery_window_in_days=None, force_delete_without_recovery=True)
        except SecretNotFoundException:
            pass


def install() -> None:
    register(Secret, properties={Secret.TYPE: PROPERTIES})
