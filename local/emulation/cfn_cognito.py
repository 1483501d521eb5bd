"""AWS::Cognito::UserPool, UserPoolClient and UserPoolGroup through moto's CloudFormation.

moto 5.2 has no CloudFormation model for Cognito: stacks skip them. These create, update and
delete through moto's cognito-idp backend with the same properties as the API (CloudFormation
spells the pool's name UserPoolName). Ref: pool id, client id, group name. GetAtt: the pool's
Arn, ProviderName, ProviderURL, UserPoolId; the client's ClientId, ClientSecret, Name.
"""

from __future__ import annotations

from typing import Any

from moto.cognitoidp.exceptions import InvalidParameterException, ResourceNotFoundError
from moto.cognitoidp.models import CognitoIdpUserPool, cognitoidp_backends

from .cfn_registry import EmulatedResource, boolean, register

# CreateUserPool's request members (UserPoolName is PoolName there); EnabledMfas has no API twin.
POOL_PROPERTIES = {
    "UserPoolName", "Policies", "DeletionProtection", "LambdaConfig", "AutoVerifiedAttributes",
    "AliasAttributes", "UsernameAttributes", "SmsVerificationMessage", "EmailVerificationMessage",
    "EmailVerificationSubject", "VerificationMessageTemplate", "SmsAuthenticationMessage",
    "MfaConfiguration", "UserAttributeUpdateSettings", "DeviceConfiguration", "EmailConfiguration",
    "SmsConfiguration", "UserPoolTags", "AdminCreateUserConfig", "Schema", "UserPoolAddOns",
    "UsernameConfiguration", "AccountRecoverySetting", "UserPoolTier", "WebAuthnRelyingPartyID",
    "WebAuthnUserVerification",
}
CLIENT_PROPERTIES = {
    "UserPoolId", "ClientName", "GenerateSecret", "RefreshTokenValidity", "AccessTokenValidity",
    "IdTokenValidity", "TokenValidityUnits", "ReadAttributes", "WriteAttributes", "ExplicitAuthFlows",
    "SupportedIdentityProviders", "CallbackURLs", "LogoutURLs", "DefaultRedirectURI", "AllowedOAuthFlows",
    "AllowedOAuthScopes", "AllowedOAuthFlowsUserPoolClient", "AnalyticsConfiguration",
    "PreventUserExistenceErrors", "EnableTokenRevocation", "EnablePropagateAdditionalUserContextData",
    "AuthSessionValidity", "RefreshTokenRotation",
}
_FIXED_AT_CREATION = ("AliasAttributes", "UsernameAttributes", "UsernameConfiguration")
GROUP_PROPERTIES = {"UserPoolId", "GroupName", "Description", "Precedence", "RoleArn"}


def _backend(account_id: str, region_name: str) -> Any:
    return cognitoidp_backends[account_id][region_name]


class UserPool(EmulatedResource):
    TYPE = "AWS::Cognito::UserPool"
    NAME_PROPERTY = "UserPoolName"
    ATTRIBUTES = ("Arn", "ProviderName", "ProviderURL", "UserPoolId")

    def __init__(self, pool: CognitoIdpUserPool) -> None:
        provider = f"cognito-idp.{pool.region}.amazonaws.com/{pool.id}"
        super().__init__(pool.id, {"Arn": pool.arn, "ProviderName": provider,
                                   "ProviderURL": f"https://{provider}", "UserPoolId": pool.id})
        self.pool = pool

    @staticmethod
    def _config(properties: dict[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in properties.items() if key != "UserPoolName"}

    @classmethod
    def create_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any
    ) -> UserPool:
        config = cls._config(cloudformation_json.get("Properties") or {})
        return cls(_backend(account_id, region_name).create_user_pool(resource_name, config))

    @classmethod
    def update_from_cloudformation_json(
        cls, original_resource: UserPool, new_resource_name: str, cloudformation_json: Any,
        account_id: str, region_name: str,
    ) -> UserPool:
        properties = cloudformation_json.get("Properties") or {}
        if properties.get("UserPoolName", original_resource.pool.name) != original_resource.pool.name:
            return super().update_from_cloudformation_json(
                original_resource, new_resource_name, cloudformation_json, account_id, region_name)
        pool = original_resource.pool  # UpdateUserPool cannot change the schema or the sign-in attributes
        kept = {k: pool.extended_config[k] for k in _FIXED_AT_CREATION if k in pool.extended_config}
        config = {k: v for k, v in cls._config(properties).items() if k not in _FIXED_AT_CREATION and k != "Schema"}
        _backend(account_id, region_name).update_user_pool(pool.id, {**config, **kept})
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        if self.pool.extended_config.get("DeletionProtection") == "ACTIVE":
            raise InvalidParameterException(
                "The user pool cannot be deleted because deletion protection is activated. "
                "Deletion protection must be inactivated first.")
        try:
            _backend(account_id, region_name).delete_user_pool(self.pool.id)
        except ResourceNotFoundError:
            pass


class UserPoolClient(EmulatedResource):
    TYPE = "AWS::Cognito::UserPoolClient"
    NAME_PROPERTY = "ClientName"
    ATTRIBUTES = ("ClientId", "ClientSecret", "Name")

    def __init__(self, client: Any) -> None:
        attributes = {"ClientId": client.id, "Name": client.extended_config.get("ClientName")}
        if client.generate_secret:
            attributes["ClientSecret"] = client.secret
        super().__init__(client.id, attributes)
        self.client = client

    @staticmethod
    def _config(resource_name: str, properties: dict[str, Any]) -> dict[str, Any]:
        config = {k: v for k, v in properties.items() if k not in ("UserPoolId", "GenerateSecret")}
        return {**config, "ClientName": resource_name}

    @classmethod
    def create_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any
    ) -> UserPoolClient:
        properties = cloudformation_json.get("Properties") or {}
        client = _backend(account_id, region_name).create_user_pool_client(
            properties["UserPoolId"], boolean(properties.get("GenerateSecret", False)),
            cls._config(resource_name, properties))
        return cls(client)

    @classmethod
    def update_from_cloudformation_json(
        cls, original_resource: UserPoolClient, new_resource_name: str, cloudformation_json: Any,
        account_id: str, region_name: str,
    ) -> UserPoolClient:
        properties = cloudformation_json.get("Properties") or {}
        client = original_resource.client
        if properties.get("UserPoolId") != client.user_pool_id or \
                boolean(properties.get("GenerateSecret", False)) != client.generate_secret:
            return super().update_from_cloudformation_json(
                original_resource, new_resource_name, cloudformation_json, account_id, region_name)
        name = properties.get("ClientName", client.extended_config.get("ClientName"))
        updated = _backend(account_id, region_name).update_user_pool_client(
            client.user_pool_id, client.id, cls._config(name, properties))
        return cls(updated)

    def delete(self, account_id: str, region_name: str) -> None:
        try:
            _backend(account_id, region_name).delete_user_pool_client(self.client.user_pool_id, self.client.id)
        except ResourceNotFoundError:
            pass


class UserPoolGroup(EmulatedResource):
    TYPE = "AWS::Cognito::UserPoolGroup"
    NAME_PROPERTY = "GroupName"

    def __init__(self, user_pool_id: str, group_name: str) -> None:
        super().__init__(group_name)
        self.user_pool_id = user_pool_id

    @classmethod
    def create_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any
    ) -> UserPoolGroup:
        properties = cloudformation_json.get("Properties") or {}
        group = _backend(account_id, region_name).create_group(
            properties["UserPoolId"], resource_name, properties.get("Description"), properties.get("RoleArn"),
            properties.get("Precedence"))
        return cls(properties["UserPoolId"], group.group_name)

    @classmethod
    def update_from_cloudformation_json(
        cls, original_resource: UserPoolGroup, new_resource_name: str, cloudformation_json: Any,
        account_id: str, region_name: str,
    ) -> UserPoolGroup:
        properties = cloudformation_json.get("Properties") or {}
        name = properties.get("GroupName", original_resource.physical_resource_id)
        if (properties.get("UserPoolId"), name) != (original_resource.user_pool_id,
                                                    original_resource.physical_resource_id):
            return super().update_from_cloudformation_json(
                original_resource, new_resource_name, cloudformation_json, account_id, region_name)
        _backend(account_id, region_name).update_group(
            original_resource.user_pool_id, name, properties.get("Description"),
            properties.get("RoleArn"), properties.get("Precedence"))
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        try:
            _backend(account_id, region_name).delete_group(self.user_pool_id, self.physical_resource_id)
        except ResourceNotFoundError:
            pass


def install() -> None:
    register(UserPool, UserPoolClient, UserPoolGroup, properties={
        UserPool.TYPE: POOL_PROPERTIES, UserPoolClient.TYPE: CLIENT_PROPERTIES, UserPoolGroup.TYPE: GROUP_PROPERTIES})
