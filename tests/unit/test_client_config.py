"""Every boto3 client, ours and the hosting accounts', is built with the one standard-retry configuration."""

from __future__ import annotations

from chalicelib.aws import CLIENT_CONFIG, AwsClients
from chalicelib.hosting import HostingSession


class RecordingSession:
    """Stands in for boto3.session.Session: records the config each client is asked for."""

    def __init__(self) -> None:
        self.configs: list = []

    def client(self, service, config=None):
        self.configs.append(config)
        return object()


def test_our_clients_and_hosting_account_clients_share_the_standard_retry_configuration():
    ours, theirs = RecordingSession(), RecordingSession()
    AwsClients(ours).client("sts")  # type: ignore[arg-type]
    HostingSession(theirs).client("ssm")  # type: ignore[arg-type]
    assert ours.configs == theirs.configs == [CLIENT_CONFIG]
    assert CLIENT_CONFIG.retries["mode"] == "standard"
