"""Sessions in hosting accounts: STS AssumeRole with the account's ExternalId, cached per container.

One warm container checks an account, reconciles it and acts on its environments with the same
roles: assuming a role once per credentials lifetime instead of once per call saves an STS round
trip (and its latency) on each of them. A session is dropped shortly before its credentials expire.
As on AWS, a role that stops trusting us is noticed when the cached credentials run out (at most
15 minutes), not on the very next call.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

from .aws import CLIENT_CONFIG

DURATION_SECONDS = 900
RENEW_BEFORE = timedelta(seconds=120)  # longer than any single unit of work that holds the session


def _now() -> datetime:
    return datetime.now(UTC)


class HostingSessions:
    def __init__(self, sts: Any, region: str, clock: Callable[[], datetime] = _now,
                 new_session: Callable[..., boto3.session.Session] = boto3.session.Session) -> None:
        self._sts = sts
        self._region = region
        self._clock = clock
        self._new_session = new_session  # the bench passes one that counts the calls made with it
        self._cache: dict[tuple[str, str], tuple[HostingSession, datetime]] = {}

    def assume(self, role_arn: str, external_id: str, purpose: str) -> HostingSession:
        """Raises botocore ClientError (AccessDenied…) when the role does not trust us with this ExternalId.

        Keyed by role and ExternalId: a registration whose ExternalId changed never reuses the old
        session. The first caller's purpose names the role session."""
        key = (role_arn, external_id)
        cached = self._cache.get(key)
        if cached is not None and self._clock() < cached[1] - RENEW_BEFORE:
            return cached[0]
        creds = self._sts.assume_role(RoleArn=role_arn, ExternalId=external_id, DurationSeconds=DURATION_SECONDS,
                                      RoleSessionName=f"workbench-{purpose}")["Credentials"]
        session = HostingSession(self._new_session(
            aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"], region_name=self._region))
        self._cache[key] = (session, _aware(creds["Expiration"]))
        return session

    def clear(self) -> None:
        """Forget every session, as a newly started container would have none."""
        self._cache.clear()


def _aware(expiration: datetime | str) -> datetime:
    """botocore parses Expiration to an aware datetime; tolerate a string from other STS fakes."""
    value = expiration if isinstance(expiration, datetime) else datetime.fromisoformat(str(expiration))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class HostingSession:
    def __init__(self, session: boto3.session.Session) -> None:
        self._session = session
        self._clients: dict[str, Any] = {}

    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = self._session.client(service, config=CLIENT_CONFIG)
        return self._clients[service]
