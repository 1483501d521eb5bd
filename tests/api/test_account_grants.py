"""A hosting account's environments may read the artifacts bucket's environment files, and only them."""

from __future__ import annotations

import json
import threading
import time

import boto3
import pytest

from tests.helpers import body, random_account_id


def _statements(stack, which: str) -> dict[str, dict]:
    if which == "bucket":
        text = boto3.client("s3").get_bucket_policy(Bucket=stack["ArtifactsBucketName"])["Policy"]
    else:
        text = boto3.client("kms").get_key_policy(KeyId=stack["DataKeyArn"], PolicyName="default")["Policy"]
    return {s.get("Sid", ""): s for s in json.loads(text)["Statement"]}


def _ours(stack, which: str, aws_account_id: str) -> dict[str, dict]:
    return {sid: s for sid, s in _statements(stack, which).items() if sid.startswith(f"hosting-{aws_account_id}-")}


def _remove_by_hand(stack, which: str, aws_account_id: str) -> None:
    """What an admin editing the policy in the console might do."""
    kept = [s for sid, s in _statements(stack, which).items() if not sid.startswith(f"hosting-{aws_account_id}-")]
    policy = json.dumps({"Version": "2012-10-17", "Statement": kept})
    if which == "bucket":
        boto3.client("s3").put_bucket_policy(Bucket=stack["ArtifactsBucketName"], Policy=policy)
    else:
        boto3.client("kms").put_key_policy(KeyId=stack["DataKeyArn"], PolicyName="default", Policy=policy)


def _grants(stack, s3=None, pause=None):
    from chalicelib.services.account_grants import ArtifactGrants
    session = boto3.session.Session(**stack["appCredentials"])  # the app's own role, as in the container
    return ArtifactGrants(s3 or session.client("s3"), session.client("kms"), stack["ArtifactsBucketName"],
                          "us-east-1", **({"pause": pause} if pause else {}))


def test_onboarding_lets_the_accounts_environment_roles_only_read_environment_files(hosting_account, stack):
    account_id, bucket = hosting_account.aws_account_id, stack["ArtifactsBucketName"]
    roles = {"aws:PrincipalArn": f"arn:aws:iam::{account_id}:role/rsw/environments/*"}
    root = {"AWS": f"arn:aws:iam::{account_id}:root"}
    assert _ours(stack, "bucket", account_id) == {
        f"hosting-{account_id}-environment-files": {
            "Sid": f"hosting-{account_id}-environment-files", "Effect": "Allow", "Principal": root,
            "Action": "s3:GetObject", "Resource": [f"arn:aws:s3:::{bucket}/environment-files/*"],
            "Condition": {"ArnLike": roles}},
        f"hosting-{account_id}-environment-files-list": {
            "Sid": f"hosting-{account_id}-environment-files-list", "Effect": "Allow", "Principal": root,
            "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{bucket}",
            "Condition": {"ArnLike": roles, "StringLike": {"s3:prefix": ["environment-files/*"]}}}}
    key = _ours(stack, "key", account_id)
    assert sorted(key) == [f"hosting-{account_id}-datasets", f"hosting-{account_id}-environment-files"]
    statement = key[f"hosting-{account_id}-environment-files"]
    assert (statement["Principal"], statement["Action"]) == (root, "kms:Decrypt")
    assert statement["Condition"]["StringEquals"] == {"kms:ViaService": "s3.us-east-1.amazonaws.com"}
    assert statement["Condition"]["StringLike"]["kms:EncryptionContext:aws:s3:arn"][0] == f"arn:aws:s3:::{bucket}"
    assert statement["Condition"]["ArnLike"] == roles
    # the template's own statements are untouched
    assert _statements(stack, "bucket")["DenyInsecureTransport"]["Effect"] == "Deny"
    assert _statements(stack, "key")["AccountAdministersKeyThroughIam"]["Action"] == "kms:*"


def test_onboarding_lets_the_accounts_environment_roles_use_the_datasets_key_through_s3_only(hosting_account,
                                                                                               stack):
    """Mounts: the datasets bucket is SSE-KMS with the same DataKey; reading decrypts, a read-write
    mount's writes generate data keys. Only through S3, only for that bucket, only environment roles."""
    account_id, datasets = hosting_account.aws_account_id, stack["DatasetsBucketName"]
    encryption = boto3.client("s3").get_bucket_encryption(Bucket=datasets)["ServerSideEncryptionConfiguration"]
    assert encryption["Rules"][0]["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"] == stack["DataKeyArn"]
    statement = _ours(stack, "key", account_id)[f"hosting-{account_id}-datasets"]
    assert statement == {
        "Sid": f"hosting-{account_id}-datasets", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
        "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*",
        "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"},
                      "StringLike": {"kms:EncryptionContext:aws:s3:arn": [f"arn:aws:s3:::{datasets}",
                                                                          f"arn:aws:s3:::{datasets}/*"]},
                      "ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{account_id}:role/rsw/environments/*"}}}
    artifacts_only = _ours(stack, "key", account_id)[f"hosting-{account_id}-environment-files"]
    assert artifacts_only["Action"] == "kms:Decrypt"  # the artifacts bucket stays read-only


def test_a_datasets_key_statement_removed_by_hand_fails_verify_and_the_sync_restores_it(api, admin, onboard, stack):
    from chalicelib import deps
    account, _ = onboard()
    sid = f"hosting-{account.aws_account_id}-datasets"
    granted = _statements(stack, "key")[sid]
    kept = [s for s in _statements(stack, "key").values() if s.get("Sid") != sid]  # the artifacts one stays
    boto3.client("kms").put_key_policy(KeyId=stack["DataKeyArn"], PolicyName="default",
                                       Policy=json.dumps({"Version": "2012-10-17", "Statement": kept}))
    response = api.http.post(f"/awsAccounts/{account.id}/verify", headers=admin.headers)
    check = {c["name"]: c for c in body(response)["checks"]}["artifactsAccess"]
    assert not check["passed"] and "key" in check["detail"], check
    assert sid not in _statements(stack, "key")  # verify only looks
    assert deps.container().accounts.check(account).status == "CURRENT"
    assert _statements(stack, "key")[sid] == granted


def test_verify_reports_artifacts_access_passing_for_an_onboarded_account(api, admin, hosting_account):
    response = api.http.post(f"/awsAccounts/{hosting_account.id}/verify", headers=admin.headers)
    check = {c["name"]: c for c in body(response)["checks"]}["artifactsAccess"]
    assert check["passed"] and "environment-files/" in check["detail"] and check.get("hint") is None
    assert "datasets bucket's key" in check["detail"]


@pytest.mark.parametrize("which", ["bucket", "key"])
def test_a_statement_removed_by_hand_fails_verify_with_a_hint_and_the_sync_restores_it(api, admin, onboard,
                                                                                       stack, which):
    from chalicelib import deps
    account, _ = onboard()
    granted = _ours(stack, which, account.aws_account_id)
    _remove_by_hand(stack, which, account.aws_account_id)
    response = api.http.post(f"/awsAccounts/{account.id}/verify", headers=admin.headers)
    check = {c["name"]: c for c in body(response)["checks"]}["artifactsAccess"]
    assert body(response)["status"] == "ERRORED" and not check["passed"]
    assert ("bucket policy" if which == "bucket" else "key") in check["detail"]
    assert "account sync" in check["hint"] and "hosting-<awsAccountId>-*" in check["hint"]
    assert _ours(stack, which, account.aws_account_id) == {}  # verify only looks
    assert deps.container().accounts.check(account).status == "CURRENT"
    assert _ours(stack, which, account.aws_account_id) == granted


def test_deleting_an_account_removes_its_statements_and_keeps_everyone_elses(api, admin, onboard, hosting_account,
                                                                              stack):
    account, _ = onboard()
    assert _ours(stack, "bucket", account.aws_account_id) and _ours(stack, "key", account.aws_account_id)
    assert api.http.delete(f"/awsAccounts/{account.id}", headers=admin.headers).status_code == 204
    for which in ("bucket", "key"):
        assert _ours(stack, which, account.aws_account_id) == {}
        assert _ours(stack, which, hosting_account.aws_account_id)
    assert "DenyInsecureTransport" in _statements(stack, "bucket")
    assert "AccountAdministersKeyThroughIam" in _statements(stack, "key")


def test_two_onboarded_accounts_both_keep_their_statements(onboard, stack):
    first, _ = onboard()
    second, _ = onboard()
    for which in ("bucket", "key"):
        assert _ours(stack, which, first.aws_account_id) and _ours(stack, which, second.aws_account_id)


class _RacingS3:
    """The app's S3 client; each sync is held before its first write until the other is there too,
    so both have read the same policy and the last write drops the other's statement."""

    def __init__(self, client) -> None:
        self._client = client
        self._barrier = threading.Barrier(2, timeout=10)
        self._waited: set[int] = set()

    def __getattr__(self, name):
        return getattr(self._client, name)

    def put_bucket_policy(self, **kwargs):
        if threading.get_ident() not in self._waited:
            self._waited.add(threading.get_ident())
            self._barrier.wait()
        return self._client.put_bucket_policy(**kwargs)


def test_concurrent_syncs_of_two_accounts_both_keep_their_statements(hosting_account, stack):
    racing = _RacingS3(boto3.session.Session(**stack["appCredentials"]).client("s3"))
    grants = _grants(stack, s3=racing, pause=lambda _: time.sleep(0.3))
    accounts = [hosting_account.model_copy(update={"aws_account_id": random_account_id()}) for _ in range(2)]
    results: list[bool] = []
    threads = [threading.Thread(target=lambda a=a: results.append(grants.grant(a))) for a in accounts]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert results == [True, True]
        assert all(_ours(stack, "bucket", a.aws_account_id) for a in accounts)
    finally:
        for account in accounts:
            _grants(stack).revoke(account)
    assert not any(_ours(stack, "bucket", a.aws_account_id) for a in accounts)


class _InterloperS3:
    """The app's S3 client; someone else's write lands between the sync's first read and its write."""

    def __init__(self, client, interloper) -> None:
        self._client = client
        self._interloper = interloper
        self.reads = 0

    def __getattr__(self, name):
        return getattr(self._client, name)

    def get_bucket_policy(self, **kwargs):
        self.reads += 1
        if self.reads == 2:
            self._interloper()
        return self._client.get_bucket_policy(**kwargs)


def test_a_policy_changed_between_read_and_write_is_read_again_and_keeps_the_change(hosting_account, stack):
    bucket = stack["ArtifactsBucketName"]
    added = {"Sid": "AddedMeanwhile", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
             "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/catalog/*"}

    def interloper() -> None:
        policy = json.loads(boto3.client("s3").get_bucket_policy(Bucket=bucket)["Policy"])
        boto3.client("s3").put_bucket_policy(Bucket=bucket, Policy=json.dumps(
            {**policy, "Statement": policy["Statement"] + [added]}))

    s3 = _InterloperS3(boto3.session.Session(**stack["appCredentials"]).client("s3"), interloper)
    account = hosting_account.model_copy(update={"aws_account_id": random_account_id()})
    try:
        assert _grants(stack, s3=s3).grant(account)
        assert s3.reads > 2  # started over from the changed policy
        assert _statements(stack, "bucket")["AddedMeanwhile"] == added
        assert _ours(stack, "bucket", account.aws_account_id)
    finally:
        _grants(stack).revoke(account)
        kept = [s for s in json.loads(boto3.client("s3").get_bucket_policy(Bucket=bucket)["Policy"])["Statement"]
                if s.get("Sid") != "AddedMeanwhile"]
        boto3.client("s3").put_bucket_policy(Bucket=bucket, Policy=json.dumps(
            {"Version": "2012-10-17", "Statement": kept}))
