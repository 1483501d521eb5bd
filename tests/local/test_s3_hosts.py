"""make local: the app's own boto3 sessions reach access points on the embedded AWS (server mode)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator

import pytest
from botocore.exceptions import ClientError

from local import s3_hosts


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    moto_server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto_server.start()
    host, port = moto_server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)  # as the launcher sets it for the app
    try:  # no /moto-api/reset: it would wipe a session-wide mock's data too (shared backends)
        yield endpoint
    finally:
        moto_server.stop()


def test_the_apps_sessions_create_and_delete_access_points_once_the_launcher_installed_the_hook(server):
    from chalicelib.aws import AwsClients

    s3_hosts.install(server, "us-east-1")
    try:
        clients = AwsClients()  # what the app builds: a plain boto3 Session, no local knowledge
        account = clients.client("sts").get_caller_identity()["Account"]
        bucket, name = f"datasets-{uuid.uuid4().hex[:8]}", f"rsw-t-{uuid.uuid4().hex[:8]}"
        clients.client("s3").create_bucket(Bucket=bucket)
        s3control = clients.client("s3control")
        alias = s3control.create_access_point(AccountId=account, Name=name, Bucket=bucket)["Alias"]
        s3control.put_access_point_policy(AccountId=account, Name=name, Policy='{"Version": "2012-10-17"}')
        assert s3control.get_access_point(AccountId=account, Name=name)["Alias"] == alias
        assert s3control.get_access_point_policy(AccountId=account, Name=name)["Policy"]
        s3control.delete_access_point(AccountId=account, Name=name)
        with pytest.raises(ClientError, match="NoSuchAccessPoint"):
            s3control.get_access_point(AccountId=account, Name=name)
    finally:
        s3_hosts.uninstall()


def test_install_is_idempotent_and_uninstall_leaves_botocore_as_it_was(server):
    from botocore import handlers

    before = list(handlers.BUILTIN_HANDLERS)
    s3_hosts.install(server, "us-east-1")
    s3_hosts.install(server, "us-east-1")
    assert len(handlers.BUILTIN_HANDLERS) == len(before) + 2
    s3_hosts.uninstall()
    assert handlers.BUILTIN_HANDLERS == before
