"""Hosting-account registration and cost centers."""

from __future__ import annotations

import json
import uuid

from tests.helpers import body


def _account_body(aws_id=None, **over):
    aws_id = aws_id or f"{uuid.uuid4().int % 10**12:012d}"
    return {"name": "lab", "awsAccountId": aws_id, "envMgmtRoleArn": f"arn:aws:iam::{aws_id}:role/env-mgmt",
            "hostingAccountHandlerRoleArn": f"arn:aws:iam::{aws_id}:role/handler", "externalId": "ext-9", **over}


def test_register_account_starts_pending_and_duplicates_are_409(api, admin):
    payload = _account_body()
    created = api.http.post("/awsAccounts", headers=admin.headers, body=json.dumps(payload))
    assert created.status_code == 201, body(created)
    assert body(created)["status"] == "PENDING" and body(created)["statusReason"]
    again = api.http.post("/awsAccounts", headers=admin.headers, body=json.dumps({**payload, "name": "other"}))
    assert again.status_code == 409 and body(again)["code"] == "ACCOUNT_ALREADY_REGISTERED"


def test_role_arns_must_belong_to_the_registered_account(api, admin):
    payload = _account_body(envMgmtRoleArn="arn:aws:iam::999999999999:role/env-mgmt")
    response = api.http.post("/awsAccounts", headers=admin.headers, body=json.dumps(payload))
    assert response.status_code == 400
    assert body(response)["errors"][0]["field"] == "envMgmtRoleArn"


def test_unused_account_can_be_deleted_and_registered_again(api, admin):
    payload = _account_body()
    account = body(api.http.post("/awsAccounts", headers=admin.headers, body=json.dumps(payload)))
    assert api.http.delete(f"/awsAccounts/{account['id']}", headers=admin.headers).status_code == 204
    assert api.http.get(f"/awsAccounts/{account['id']}", headers=admin.headers).status_code == 404
    assert api.http.post("/awsAccounts", headers=admin.headers, body=json.dumps(payload)).status_code == 201


def test_cost_center_needs_a_current_account(api, admin):
    pending = body(api.http.post("/awsAccounts", headers=admin.headers, body=json.dumps(_account_body())))
    response = api.http.post("/costCenters", headers=admin.headers,
                             body=json.dumps({"name": "cc", "accountId": pending["id"]}))
    assert response.status_code == 409 and body(response)["code"] == "ACCOUNT_NOT_READY"
    assert "verify" in body(response)["hint"]


def test_account_and_cost_center_in_use_cannot_be_deleted(api, admin, hosting_account, cost_center, new_project):
    new_project()
    cc = api.http.delete(f"/costCenters/{cost_center.id}", headers=admin.headers)
    assert cc.status_code == 409 and body(cc)["code"] == "COST_CENTER_IN_USE"
    acc = api.http.delete(f"/awsAccounts/{hosting_account.id}", headers=admin.headers)
    assert acc.status_code == 409 and body(acc)["code"] == "ACCOUNT_IN_USE"


def test_cost_center_lifecycle(api, admin, hosting_account):
    created = api.http.post("/costCenters", headers=admin.headers,
                            body=json.dumps({"name": "oncology", "accountId": hosting_account.id, "description": "d"}))
    assert created.status_code == 201, body(created)
    cc = body(created)
    assert cc["awsAccountId"] == hosting_account.aws_account_id
    renamed = api.http.patch(f"/costCenters/{cc['id']}", headers={**admin.headers, "If-Match": cc["etag"]},
                             body=json.dumps({"name": "oncology-2"}))
    assert renamed.status_code == 200 and body(renamed)["name"] == "oncology-2"
    assert api.http.delete(f"/costCenters/{cc['id']}", headers=admin.headers).status_code == 204
    assert api.http.get(f"/costCenters/{cc['id']}", headers=admin.headers).status_code == 404


def test_a_cost_center_in_use_hints_at_deleting_its_projects_not_moving_them(api, admin, cost_center, new_project):
    new_project()
    refused = body(api.http.delete(f"/costCenters/{cost_center.id}", headers=admin.headers))
    assert refused["code"] == "COST_CENTER_IN_USE"
    assert "move" not in refused["hint"].lower()  # no route changes a project's cost center
    assert "DELETE /projects/" in refused["hint"] and "GET /projects" in refused["hint"]
