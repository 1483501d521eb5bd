"""Publishing catalog/ to the portfolio and importing it as environment types, as IT admins do."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import boto3
import pytest

from tests.helpers import body

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def published(stack):
    from scripts.publish_catalog import publish
    if not stack.get("EnvironmentPortfolioId"):
        pytest.fail("main_account/template.yaml must output EnvironmentPortfolioId")
    return publish(boto3.session.Session(), stack, ROOT / "catalog")


def _sync(api, admin):
    response = api.http.post("/environmentTypes/sync", headers=admin.headers)
    assert response.status_code == 200, body(response)
    return body(response)


def test_sync_imports_each_product_version_not_approved_with_its_template_parameters(api, admin, published):
    result = _sync(api, admin)
    notebook = next(t for t in result["imported"] + _all_types(api, admin)
                    if t["productId"] == published[0]["productId"])
    assert notebook["status"] == "NOT_APPROVED" and notebook["productName"] == "sagemaker-notebook"
    params = {p["key"]: p for p in notebook["params"]}
    assert "ml.t3.medium" in params["InstanceType"]["allowedValues"]
    assert params["EnvId"]["suppliedByWorkbench"] and not params["InstanceType"]["suppliedByWorkbench"]
    again = _sync(api, admin)
    assert again["imported"] == [] and again["unchanged"] >= 1


def test_imported_type_is_approved_configured_and_checked_against_its_template(api, admin, published):
    _sync(api, admin)
    notebook = next(t for t in _all_types(api, admin) if t["productId"] == published[0]["productId"])
    approved = api.http.patch(f"/environmentTypes/{notebook['id']}", headers=admin.headers,
                              body=json.dumps({"status": "APPROVED"}))
    assert approved.status_code == 200
    path = f"/environmentTypes/{notebook['id']}/configurations"
    bad = api.http.post(path, headers=admin.headers, body=json.dumps(
        {"name": "huge", "params": [{"key": "InstanceType", "value": "ml.p5.48xlarge"}]}))
    assert bad.status_code == 400 and "InstanceType must be one of" in bad.body.decode()
    good = api.http.post(path, headers=admin.headers, body=json.dumps(
        {"name": "small", "estimatedCost": "$0.05/hour",
         "params": [{"key": "InstanceType", "value": "ml.t3.large"}, {"key": "AutoStopIdleTimeInMinutes", "value": "30"}]}))
    assert good.status_code == 201, body(good)


def test_a_new_version_is_imported_beside_the_approved_one(api, admin, published, stack, tmp_path):
    from scripts.publish_catalog import publish
    _sync(api, admin)
    catalog = tmp_path / "catalog"
    shutil.copytree(ROOT / "catalog", catalog)
    template = catalog / "sagemaker-notebook.yaml"
    template.write_text(template.read_text() + "\n# version 2: a comment is enough to make a new version\n")
    publish(boto3.session.Session(), stack, catalog)
    result = _sync(api, admin)
    assert [t["productId"] for t in result["imported"]] == [published[0]["productId"]]
    versions = [t for t in _all_types(api, admin) if t["productId"] == published[0]["productId"]]
    assert len({t["provisioningArtifactId"] for t in versions}) == 2


def _all_types(api, admin) -> list[dict]:
    return body(api.http.get("/environmentTypes?pageSize=100", headers=admin.headers))["data"]
