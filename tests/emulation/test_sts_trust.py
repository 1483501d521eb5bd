"""AssumeRole honours the role's trust policy, like AWS."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from .scenario import EXTERNAL_ID, World, new_account, trust_policy
from .shape_check import assert_conforms


@pytest.fixture
def world(aws) -> World:
    return World()


@pytest.fixture
def hosting_role(world) -> str:
    world.admin("iam", world.host).create_role(
        RoleName="swb-env-mgmt", AssumeRolePolicyDocument=trust_policy(f"arn:aws:iam::{world.main}:root"))
    return world.env_mgmt_role


def _credentials(response: dict) -> dict:
    creds = response["Credentials"]
    return {"aws_access_key_id": creds["AccessKeyId"], "aws_secret_access_key": creds["SecretAccessKey"],
            "aws_session_token": creds["SessionToken"]}


def _denied(call) -> str:
    with pytest.raises(ClientError) as info:
        call()
    assert info.value.response["Error"]["Code"] == "AccessDenied"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    return info.value.response["Error"]["Message"]


def test_wrong_external_id_is_denied_with_the_aws_message(world, hosting_role):
    sts = world.admin("sts", world.main)
    message = _denied(lambda: sts.assume_role(RoleArn=hosting_role, RoleSessionName="s1", ExternalId="nope"))
    assert message == (
        f"User: arn:aws:iam::{world.main}:root is not authorized to perform: "
        f"sts:AssumeRole on resource: {hosting_role}"
    )
    _denied(lambda: sts.assume_role(RoleArn=hosting_role, RoleSessionName="s1"))


def test_right_external_id_gives_credentials_in_the_hosting_account(world, hosting_role):
    response = world.admin("sts", world.main).assume_role(
        RoleArn=hosting_role, RoleSessionName="s1", ExternalId=EXTERNAL_ID)
    assert_conforms("sts", "AssumeRole", response)
    identity = world.client("sts", _credentials(response)).get_caller_identity()
    assert identity["Account"] == world.host
    assert identity["Arn"] == f"arn:aws:sts::{world.host}:assumed-role/swb-env-mgmt/s1"


def test_a_role_that_does_not_exist_cannot_be_assumed(world):
    sts = world.admin("sts", world.main)
    _denied(lambda: sts.assume_role(RoleArn=f"arn:aws:iam::{world.host}:role/missing", RoleSessionName="s1"))


def test_another_account_is_not_trusted(world, hosting_role):
    sts = world.admin("sts", new_account())
    _denied(lambda: sts.assume_role(RoleArn=hosting_role, RoleSessionName="s1", ExternalId=EXTERNAL_ID))


def test_a_role_principal_admits_only_that_roles_sessions(world):
    main_iam = world.admin("iam", world.main)
    for name in ("api-handler", "other"):
        main_iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{world.main}:root"},
                           "Action": "sts:AssumeRole"}]}))
    world.admin("iam", world.host).create_role(
        RoleName="swb-env-mgmt",
        AssumeRolePolicyDocument=trust_policy(f"arn:aws:iam::{world.main}:role/api-handler"))

    def session_of(role: str):
        response = world.admin("sts", world.main).assume_role(
            RoleArn=f"arn:aws:iam::{world.main}:role/{role}", RoleSessionName="s1")
        return world.client("sts", _credentials(response))

    session_of("api-handler").assume_role(
        RoleArn=world.env_mgmt_role, RoleSessionName="s2", ExternalId=EXTERNAL_ID)
    message = _denied(lambda: session_of("other").assume_role(
        RoleArn=world.env_mgmt_role, RoleSessionName="s2", ExternalId=EXTERNAL_ID))
    assert message.startswith(f"User: arn:aws:sts::{world.main}:assumed-role/other/s1 is not authorized")


def test_an_explicit_deny_wins(world):
    policy = json.loads(trust_policy(f"arn:aws:iam::{world.main}:root"))
    policy["Statement"].append({"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "sts:*",
                                "Condition": {"StringNotEquals": {"aws:PrincipalAccount": world.host}}})
    world.admin("iam", world.host).create_role(
        RoleName="swb-env-mgmt", AssumeRolePolicyDocument=json.dumps(policy))
    _denied(lambda: world.admin("sts", world.main).assume_role(
        RoleArn=world.env_mgmt_role, RoleSessionName="s1", ExternalId=EXTERNAL_ID))


def test_enforcement_can_be_switched_off(world, aws):
    aws(enforce_trust_policies=False)
    world.admin("sts", world.main).assume_role(
        RoleArn=f"arn:aws:iam::{world.host}:role/anything", RoleSessionName="s1")
