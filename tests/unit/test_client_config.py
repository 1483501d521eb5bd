"""Every boto3 client, ours and the hosting accounts', is built with the one standard-retry configuration."""

from __future__ import annotations

import boto3
import pytest

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
    assert ours.configs == theirs.configs == [CLIENT_CONFIG]  # s3 adds only its signing (below)
    assert CLIENT_CONFIG.retries["mode"] == "standard"


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1"])
def test_upload_urls_are_sigv4_on_the_buckets_regional_virtual_host_the_console_csp_admits(region):
    session = boto3.session.Session(aws_access_key_id="k", aws_secret_access_key="s", region_name=region)
    s3 = AwsClients(session).client("s3")
    url = s3.generate_presigned_url("put_object", Params={"Bucket": "rsw-dev-datasets-1", "Key": "d/a.csv",
                                                          "ContentType": "text/csv"})
    assert url.startswith(f"https://rsw-dev-datasets-1.s3.{region}.amazonaws.com/d/a.csv?"), url
    assert "X-Amz-Signature=" in url and "AWSAccessKeyId" not in url
