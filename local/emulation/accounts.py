"""Who is calling (from moto's STS/IAM state) and boto3 clients that act as an account."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config
from moto.core.models import botocore_stubber
from moto.iam.models import iam_backends
from moto.sts.models import sts_backends
from moto.utilities.utils import get_partition

from . import s3control_rewrite

_session_lock = threading.Lock()
_session: boto3.session.Session | None = None
_SECRET = "emulated-secret-key"  # noqa: S105 - moto accepts any key


class EmulationStopped(RuntimeError):
    """The in-process mock ended (or the work was cancelled): never fall through to real AWS."""


@dataclass(frozen=True)
class Caller:
    """The identity behind a request's access key, as AWS policies see it."""

    account_id: str
    arn: str  # what sts:GetCallerIdentity reports
    principal_arn: str  # the IAM ARN policies name: role, user, or account root
    role_arn: str | None = None
    identified: bool = True  # False: an access key moto knows nothing about (account admin)


def caller_from_access_key(access_key: str, account_id: str, region: str) -> Caller:
    partition = get_partition(region)
    assumed = sts_backends[account_id][partition].get_assumed_role_from_access_key(access_key)
    if assumed is not None:
        role_arn = _canonical_role_arn(assumed.role_arn, partition)
        return Caller(account_id, assumed.arn, role_arn, role_arn)
    user = iam_backends[account_id][partition].get_user_from_access_key_id(access_key)
    if user is not None:
        return Caller(account_id, user.arn, user.arn)
    root = f"arn:{partition}:iam::{account_id}:root"
    return Caller(account_id, root, root, identified=False)


def _canonical_role_arn(role_arn: str, partition: str) -> str:
    """arn:aws:iam::1:role/path/name -> arn:aws:iam::1:role/name (trust policies name roles so)."""
    account = role_arn.split(":")[4]
    return f"arn:{partition}:iam::{account}:role/{role_arn.split('/')[-1]}"


def access_key_for_account(account_id: str, region: str = "us-east-1") -> str:
    """A fresh access key that moto maps to account_id (an account administrator, like root)."""
    return iam_backends[account_id][get_partition(region)].create_temp_access_key().access_key_id


def account_credentials(account_id: str, region: str = "us-east-1") -> dict[str, str]:
    """boto3 keyword arguments acting as account_id's administrator (bootstrap a hosting account)."""
    return {
        "aws_access_key_id": access_key_for_account(account_id, region),
        "aws_secret_access_key": _SECRET,
    }


def assumed_role_key(account_id: str, role_arn: str, session_name: str, region: str) -> str:
    """Credentials of role_arn (no trust check: the service itself assumes it)."""
    backend = sts_backends[account_id][get_partition(region)]
    role = backend.assume_role(
        region_name=region,
        role_session_name=session_name[:64],
        role_arn=role_arn,
        policy=None,  # type: ignore[arg-type]
        duration=3600,
        external_id=None,  # type: ignore[arg-type]
    )
    return role.access_key_id


def _shared_session() -> boto3.session.Session:
    global _session
    if _session is None:
        _session = boto3.session.Session()
    return _session


def make_client(
    service: str, access_key: str, region: str, endpoint_url: str | None = None
) -> Any:
    """A boto3 client acting with access_key against the same moto (in-process or server).

    In-process the client only works while mock_aws is active: a guard raises instead of
    letting a request leave for real AWS once the mock has stopped.
    """
    with _session_lock:  # botocore sessions are not safe to share while creating clients
        client = _shared_session().client(
            service,
            region_name=region,
            endpoint_url=endpoint_url,
            aws_access_key_id=access_key,
            aws_secret_access_key=_SECRET,
            config=Config(retries={"total_max_attempts": 1}),
        )
    if endpoint_url:
        s3control_rewrite.register(client.meta.events, endpoint_url, region)
    else:
        client.meta.events.register("before-send", _refuse_real_aws)
    return client


def _refuse_real_aws(**_: Any) -> None:
    # moto's own before-send handler answers while mock_aws is active; afterwards, stop here.
    if not botocore_stubber.enabled:
        raise EmulationStopped("moto's in-process mock is not active; refusing to call AWS")
