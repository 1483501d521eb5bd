"""Sessions in hosting accounts: STS AssumeRole with the account's ExternalId."""

from __future__ import annotations

from typing import Any

import boto3

from .aws import CLIENT_CONFIG


class HostingSessions:
    def __init__(self, sts: Any, region: str) -> None:
        self._sts = sts
        self._region = region

    def assume(self, role_arn: str, external_id: str, purpose: str) -> HostingSession:
        """Raises botocore ClientError (AccessDenied…) when the role does not trust us with this ExternalId."""
        creds = self._sts.assume_role(RoleArn=role_arn, ExternalId=external_id, DurationSeconds=900,
                                      RoleSessionName=f"workbench-{purpose}")["Credentials"]
        return HostingSession(boto3.session.Session(
            aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"], region_name=self._region))


class HostingSession:
    def __init__(self, session: boto3.session.Session) -> None:
        self._session = session
        self._clients: dict[str, Any] = {}

    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = self._session.client(service, config=CLIENT_CONFIG)
        return self._clients[service]
