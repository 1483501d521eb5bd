"""The app runs as a role in the main account, as its Lambda functions do on AWS.

Hosting accounts trust only roles named `research-workbench-*` of the main account, so the
embedded AWS needs the same: a role to assume, and a session with its credentials.
"""

from __future__ import annotations

import json

import boto3

ROLE_NAME = "research-workbench-local-api"


def app_credentials(main_account_id: str = "123456789012", role_name: str = ROLE_NAME) -> dict[str, str]:
    iam, sts = boto3.client("iam"), boto3.client("sts")
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                     "Principal": {"AWS": f"arn:aws:iam::{main_account_id}:root"}}]}
    try:
        iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=json.dumps(trust))
    except iam.exceptions.EntityAlreadyExistsException:
        pass
    creds = sts.assume_role(RoleArn=f"arn:aws:iam::{main_account_id}:role/{role_name}", RoleSessionName="app",
                            DurationSeconds=43200)["Credentials"]
    return {"aws_access_key_id": creds["AccessKeyId"], "aws_secret_access_key": creds["SecretAccessKey"],
            "aws_session_token": creds["SessionToken"]}
