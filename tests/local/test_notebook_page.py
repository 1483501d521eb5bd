"""The page behind pre-signed notebook URLs: a valid link names its notebook, anything else is refused."""

from __future__ import annotations

import urllib.error
import urllib.request

import boto3
import pytest
from moto import mock_aws

from local import emulation, notebook_page


@pytest.fixture
def page_server(monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "t", "AWS_SECRET_ACCESS_KEY": "t", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    server = notebook_page.serve(0)
    previous = emulation.installed_settings()
    with mock_aws():
        emulation.install(emulation.EmulationSettings(
            notebook_url_base=f"http://127.0.0.1:{server.server_address[1]}/notebooks"))
        yield
        if previous is not None:
            emulation.install(previous)
    server.shutdown()


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_presigned_link_opens_a_page_naming_the_notebook(page_server):
    sagemaker = boto3.client("sagemaker")
    sagemaker.create_notebook_instance(NotebookInstanceName="nb-demo", InstanceType="ml.t3.medium",
                                       RoleArn="arn:aws:iam::123456789012:role/notebook")
    url = sagemaker.create_presigned_notebook_instance_url(NotebookInstanceName="nb-demo")["AuthorizedUrl"]
    status, page = _get(url)
    assert status == 200 and "nb-demo" in page
    assert _get(url.replace("authToken=", "authToken=x"))[0] == 403
    assert _get(url.replace("/nb-demo?", "/other?"))[0] == 403
