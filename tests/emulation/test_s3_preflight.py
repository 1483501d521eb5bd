"""A browser's CORS preflight of a pre-signed PUT, sent to the embedded S3 (server mode) as chromium sends it.

The datasets bucket is created from main_account/template.yaml's own CorsConfiguration, by a stack.
"""

from __future__ import annotations

import http.client
import json
import urllib.parse
import uuid
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

from local.main_account import load_template

MAIN = Path(__file__).resolve().parents[2] / "main_account" / "template.yaml"
CONSOLE = "http://127.0.0.1:8080"



def bucket_with_cors(endpoint: str, cors: dict[str, Any]) -> str:
    name = f"datasets-{uuid.uuid4().hex[:8]}"
    template = {"Resources": {"Bucket": {"Type": "AWS::S3::Bucket",
                                         "Properties": {"BucketName": name, "CorsConfiguration": cors}}}}
    boto3.client("cloudformation", endpoint_url=endpoint).create_stack(StackName=name,
                                                                        TemplateBody=json.dumps(template))
    return name


def the_templates_cors() -> dict[str, Any]:
    return load_template(MAIN)["Resources"]["DatasetsBucket"]["Properties"]["CorsConfiguration"]


def send(url: str, method: str, headers: dict[str, str], body: bytes | None = None) -> http.client.HTTPResponse:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=10)
    connection.request(method, f"{parts.path}?{parts.query}", body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def preflight(url: str, origin: str = CONSOLE, method: str = "PUT", requested: str = "content-type",
              host: str | None = None) -> http.client.HTTPResponse:
    """What chromium sends before a fetch PUT with a Content-Type: no credentials, no Content-Type."""
    headers = {"Origin": origin, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": requested,
               "Accept": "*/*", "Sec-Fetch-Mode": "cors", "Sec-Fetch-Site": "cross-site", "Referer": origin + "/",
               **({"Host": host} if host else {})}
    return send(url, "OPTIONS", headers)


def presigned_put(endpoint: str, bucket: str, signature: str | None = None) -> str:
    s3 = boto3.client("s3", endpoint_url=endpoint, config=Config(signature_version=signature) if signature else None)
    return s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "raw/hello.csv",
                                                           "ContentType": "text/csv", "ContentLength": 8})


@pytest.mark.parametrize("signature", [None, "s3v4"], ids=["botocore-default-sigv2", "sigv4"])
def test_the_preflight_of_a_presigned_put_from_the_console_is_allowed_by_the_templates_rule(server, signature):
    bucket = bucket_with_cors(server, the_templates_cors())
    url = presigned_put(server, bucket, signature)

    answer = preflight(url)

    assert answer.status == 200, answer.headers
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert answer.headers["Access-Control-Allow-Methods"] == "PUT, POST"
    assert answer.headers["Access-Control-Allow-Headers"] == "content-type"
    assert answer.headers["Access-Control-Expose-Headers"] == "ETag"
    assert answer.headers["Access-Control-Max-Age"] == "3000"
    put = send(url, "PUT", {"Origin": CONSOLE, "Content-Type": "text/csv"}, b"a,b\n1,2\n")
    assert put.status == 200 and put.headers["ETag"] and put.headers["Access-Control-Allow-Origin"]


def test_the_preflight_is_answered_on_the_buckets_virtual_host_too(server):
    bucket = bucket_with_cors(server, the_templates_cors())

    answer = preflight(f"{server}/raw/hello.csv?X-Amz-Signature=x", host=f"{bucket}.s3.amazonaws.com")

    assert answer.status == 200 and answer.headers["Access-Control-Allow-Origin"] == "*"


def test_the_first_rule_matching_origin_method_and_headers_answers_and_names_its_origin(server):
    bucket = bucket_with_cors(server, {"CorsRules": [
        {"AllowedMethods": ["GET"], "AllowedOrigins": ["*"]},
        {"AllowedMethods": ["PUT"], "AllowedOrigins": ["https://*.example.org"], "AllowedHeaders": ["content-*"],
         "MaxAge": 60},
    ]})
    url = presigned_put(server, bucket)

    answer = preflight(url, origin="https://console.example.org")

    assert answer.status == 200, answer.headers
    assert answer.headers["Access-Control-Allow-Origin"] == "https://console.example.org"
    assert answer.headers["Access-Control-Allow-Credentials"] == "true"
    assert answer.headers["Access-Control-Allow-Methods"] == "PUT"
    assert answer.headers["Access-Control-Max-Age"] == "60"


@pytest.mark.parametrize("origin, method, requested", [
    ("https://console.example.org.evil.test", "PUT", "content-type"),  # moto matched origins by prefix
    ("https://console.example.org", "DELETE", "content-type"),
    ("https://console.example.org", "PUT", "content-type, x-amz-acl"),
], ids=["origin", "method", "header"])
def test_a_preflight_no_rule_allows_is_refused(server, origin, method, requested):
    bucket = bucket_with_cors(server, {"CorsRules": [
        {"AllowedMethods": ["PUT"], "AllowedOrigins": ["https://*.example.org"], "AllowedHeaders": ["content-*"]}]})

    answer = preflight(presigned_put(server, bucket), origin=origin, method=method, requested=requested)

    assert answer.status == 403
    assert answer.headers.get("Access-Control-Allow-Methods") != "PUT"


def test_a_bucket_without_cors_refuses_every_preflight(server):
    name = f"plain-{uuid.uuid4().hex[:8]}"
    boto3.client("s3", endpoint_url=server).create_bucket(Bucket=name)

    assert preflight(presigned_put(server, name)).status == 403


def test_a_preflight_of_the_servers_root_keeps_motos_answer_for_cognitos_json_api(server):
    answer = send(f"{server}/", "OPTIONS", {"Origin": CONSOLE, "Access-Control-Request-Method": "POST",
                                            "Access-Control-Request-Headers": "content-type, x-amz-target"})

    assert answer.status == 200 and answer.headers["Access-Control-Allow-Origin"] == CONSOLE
