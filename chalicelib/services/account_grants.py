"""What a hosting account's environments may use of the main account: the artifacts bucket's
environment files, through one account's statements in the bucket policy and in the policy of the
key that encrypts the bucket; and the key of the datasets bucket, so that the datasets mounted
through access points (dataset_mounts.py, whose policies decide what each role reaches) can be
read and, on a read-write mount, written. Every other statement of these policies is kept as it is.
"""

from __future__ import annotations

import functools
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from ..aws_errors import error_code
from ..errors import DependencyFailed
from ..models.accounts import Account, AccountCheck

CHECK = "artifactsAccess"
# What the notebook's lifecycle script reads (catalog/sagemaker-notebook.yaml, BootstrapPrefix):
# `aws s3 cp --recursive` lists the prefix, then gets each object. Nothing reads another prefix.
PREFIXES = ("environment-files/",)
ENV_MGMT_SUFFIX = "-env-mgmt"  # hosting_account/template.yaml: RoleName ${Namespace}-env-mgmt
ATTEMPTS = 4
# After a write, wait SETTLE_FACTOR times our own read-then-write time (bounded) before reading
# back: see _converge. Other syncs run this same code against the same endpoints.
SETTLE_FACTOR, MIN_SETTLE, MAX_SETTLE = 3.0, 0.05, 3.0
HINT = ("The account sync adds them; it runs every few minutes. When editing the artifacts bucket policy or "
        "its key policy by hand (or updating the main-account stack, which rewrites both), keep the "
        "statements named hosting-<awsAccountId>-*.")


@dataclass(frozen=True)
class _Document:
    """One resource policy: read as its text ("" when there is none), written whole."""
    label: str
    read: Callable[[], str]
    write: Callable[[dict[str, Any]], None]
    statements: list[dict[str, Any]]  # the account's statements it should carry


class ArtifactGrants:
    def __init__(self, s3: Any, kms: Any, bucket: str, region: str, datasets_bucket: str = "",
                 pause: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> None:
        self._s3 = s3
        self._kms = kms
        self._bucket = bucket
        self._datasets_bucket = datasets_bucket
        self._region = region
        self._pause = pause
        self._clock = clock
        self._key_arns: dict[str, str] = {}

    def check(self, account: Account) -> AccountCheck:
        if not self._bucket:
            return AccountCheck(name=CHECK, passed=False, detail="the workbench has no artifacts bucket setting",
                                hint="Run scripts/configure_stage.py for this stage and redeploy.")
        wrong = [d.label for d in self._documents(account)
                 if _edited(_parse(d.read()), account.aws_account_id, d.statements) is not None]
        if not wrong:
            datasets = " and use the datasets bucket's key through S3" if self._datasets_bucket else ""
            return AccountCheck(name=CHECK, passed=True,
                                detail=f"environments may read {', '.join(PREFIXES)} of the artifacts bucket{datasets}")
        return AccountCheck(name=CHECK, passed=False, hint=HINT,
                            detail=f"{' and '.join(wrong)} lack the account's statements or have them altered")

    def grant(self, account: Account) -> bool:
        """Adds (or restores) the account's statements; True when every policy carries them."""
        return all([self._converge(d, account.aws_account_id, d.statements) for d in self._documents(account)])

    def revoke(self, account: Account) -> None:
        """Removes the account's statements, or raises so that its registration is kept."""
        if self._bucket and not all([self._converge(d, account.aws_account_id, [])
                                     for d in self._documents(account)]):
            raise DependencyFailed("the artifacts bucket or key policy kept changing while the account's "
                                   "statements were being removed", hint="Nothing was deleted; retry in a moment.")

    def _converge(self, document: _Document, account_id: str, statements: list[dict[str, Any]]) -> bool:
        """Read-modify-write that keeps every other statement, safe against concurrent syncs.

        S3 PutBucketPolicy and KMS PutKeyPolicy take no condition (no ETag, no version), so two
        syncs that read the same policy could each write back only their own statement. Hence:
        1. just before writing, read again and start over if the text changed since the first
           read: another writer can then slip in only during our one write request;
        2. after writing, wait a few times our read-then-write time and read back (the next
           loop): a writer that overwrote us inside that window has landed by then, so our
           statement is missing and we write again, on top of theirs; the read that finds the
           policy as wanted is the verification;
        3. after ATTEMPTS, give up: the artifactsAccess check then fails and the next sync repairs
           it, which also covers a writer frozen mid-window longer than the wait.
        """
        for _ in range(ATTEMPTS):
            text = document.read()
            edited = _edited(_parse(text), account_id, statements)
            if edited is None:
                return True
            started = self._clock()
            if document.read() != text:
                continue
            document.write(edited)
            took = self._clock() - started
            self._pause(min(MAX_SETTLE, max(MIN_SETTLE, SETTLE_FACTOR * took)) * random.uniform(1.0, 1.5))  # noqa: S311 - jitter
        return _edited(_parse(document.read()), account_id, statements) is None

    def _documents(self, account: Account) -> list[_Document]:
        bucket_arn, roles = self._bucket_arn(account), _environment_roles(account)
        principal = {"AWS": f"arn:{_partition(account)}:iam::{account.aws_account_id}:root"}
        sid = f"hosting-{account.aws_account_id}-environment-files"
        # Two bucket statements: s3:prefix exists only on list requests, so in one statement with
        # GetObject it would refuse every get.
        documents = [_Document("the artifacts bucket policy", self._read_bucket_policy, self._write_bucket_policy, [
            {"Sid": sid, "Effect": "Allow", "Principal": principal, "Action": "s3:GetObject",
             "Resource": [f"{bucket_arn}/{p}*" for p in PREFIXES],
             "Condition": {"ArnLike": {"aws:PrincipalArn": roles}}},
            {"Sid": f"{sid}-list", "Effect": "Allow", "Principal": principal, "Action": "s3:ListBucket",
             "Resource": bucket_arn,
             "Condition": {"ArnLike": {"aws:PrincipalArn": roles},
                           "StringLike": {"s3:prefix": [f"{p}*" for p in PREFIXES]}}}])]
        return documents + self._key_documents(account, principal, roles)

    def _key_documents(self, account: Account, principal: dict[str, str], roles: str) -> list[_Document]:
        """The account's statements in the policies of the keys that encrypt the two buckets (one key
        in the main-account template, DataKey, so one document with both statements)."""
        # Both buckets use a bucket key, whose encryption context is the bucket's ARN (an object's
        # ARN without one): the prefixes themselves are enforced by the bucket and access point policies.
        def through_s3(sid: str, actions: str | list[str], contexts: list[str]) -> dict[str, Any]:
            return {"Sid": f"hosting-{account.aws_account_id}-{sid}", "Effect": "Allow", "Principal": principal,
                    "Action": actions, "Resource": "*",
                    "Condition": {"StringEquals": {"kms:ViaService": f"s3.{self._region}.amazonaws.com"},
                                  "StringLike": {"kms:EncryptionContext:aws:s3:arn": contexts},
                                  "ArnLike": {"aws:PrincipalArn": roles}}}

        by_key: dict[str, list[dict[str, Any]]] = {}
        artifacts = self._bucket_arn(account)
        if self._key(self._bucket):
            by_key.setdefault(self._key(self._bucket), []).append(through_s3(
                "environment-files", "kms:Decrypt", [artifacts] + [f"{artifacts}/{p}*" for p in PREFIXES]))
        if self._datasets_bucket and self._key(self._datasets_bucket):
            # Reading a mounted dataset decrypts; writing to a read-write mount (and each part of a
            # multipart upload) generates a data key. Which mount may write is the access point's call.
            datasets = f"arn:{_partition(account)}:s3:::{self._datasets_bucket}"
            by_key.setdefault(self._key(self._datasets_bucket), []).append(through_s3(
                "datasets", ["kms:Decrypt", "kms:GenerateDataKey"], [datasets, f"{datasets}/*"]))
        label = "the policy of the key that encrypts it" if len(by_key) == 1 else "the policy of key {}"
        return [_Document(label.format(key), functools.partial(self._read_key_policy, key),
                          functools.partial(self._write_key_policy, key), statements)
                for key, statements in by_key.items()]

    def _bucket_arn(self, account: Account) -> str:
        return f"arn:{_partition(account)}:s3:::{self._bucket}"

    def _key(self, bucket: str) -> str:
        """The KMS key that encrypts a bucket (cached: it changes with a stack update only); "" for SSE-S3."""
        if bucket not in self._key_arns:
            rules = self._s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
            keys = [r["ApplyServerSideEncryptionByDefault"].get("KMSMasterKeyID") for r in rules]
            self._key_arns[bucket] = next((k for k in keys if k), "")
        return self._key_arns[bucket]

    def _read_bucket_policy(self) -> str:
        try:
            return str(self._s3.get_bucket_policy(Bucket=self._bucket)["Policy"])
        except ClientError as error:
            if error_code(error) != "NoSuchBucketPolicy":
                raise
            return ""

    def _write_bucket_policy(self, policy: dict[str, Any]) -> None:
        if policy["Statement"]:
            self._s3.put_bucket_policy(Bucket=self._bucket, Policy=json.dumps(policy))
        else:  # S3 refuses a policy without statements
            self._s3.delete_bucket_policy(Bucket=self._bucket)

    def _read_key_policy(self, key: str) -> str:
        return str(self._kms.get_key_policy(KeyId=key, PolicyName="default")["Policy"])

    def _write_key_policy(self, key: str, policy: dict[str, Any]) -> None:
        self._kms.put_key_policy(KeyId=key, PolicyName="default", Policy=json.dumps(policy))


def _partition(account: Account) -> str:
    return account.env_mgmt_role_arn.split(":")[1]


def _environment_roles(account: Account) -> str:
    """The environments' instance roles (catalog products create them under /<Namespace>/environments/)."""
    name = account.env_mgmt_role_arn.rsplit("/", 1)[-1]
    namespace = name[:-len(ENV_MGMT_SUFFIX)] if name.endswith(ENV_MGMT_SUFFIX) else "*"
    return f"arn:{_partition(account)}:iam::{account.aws_account_id}:role/{namespace}/environments/*"


def _parse(text: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(text) if text else {"Version": "2012-10-17"}
    statements = document.get("Statement", [])
    return {**document, "Statement": statements if isinstance(statements, list) else [statements]}


def _edited(document: dict[str, Any], account_id: str, wanted: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The document with exactly `wanted` as the account's statements; None when it already is."""
    prefix = f"hosting-{account_id}-"
    ours = [s for s in document["Statement"] if str(s.get("Sid", "")).startswith(prefix)]
    if sorted(map(_canonical, ours)) == sorted(map(_canonical, wanted)):
        return None
    others = [s for s in document["Statement"] if not str(s.get("Sid", "")).startswith(prefix)]
    return {**document, "Statement": others + wanted}


def _canonical(value: Any) -> str:
    """Compares statements as AWS means them: a one-item list is its item, list order does not matter."""
    if isinstance(value, dict):
        return json.dumps({k: _canonical(v) for k, v in sorted(value.items())})
    items = value if isinstance(value, list) else [value]
    return json.dumps(sorted(_canonical(i) if isinstance(i, (dict, list)) else str(i) for i in items))
