"""Onboarding a hosting account: verify check by check, sync status, template URLs."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest

from chalicelib.services.account_checks import HOSTING_TEMPLATE_VERSION
from local.hosting_account import TEMPLATE_PATH
from tests.helpers import body


def _checks(response) -> dict[str, dict]:
    return {c["name"]: c for c in body(response)["checks"]}


def test_verify_a_well_onboarded_account_passes_every_check(api, admin, hosting_account):
    response = api.http.post(f"/awsAccounts/{hosting_account.id}/verify", headers=admin.headers)
    assert response.status_code == 200, body(response)
    checks = _checks(response)
    assert body(response)["status"] == "CURRENT"
    assert {"hostingAccountHandlerRole", "envMgmtRole", "stackDeployed", "stackOutputs", "templateVersion",
            "network", "encryptionKey", "eventForwarding"} <= set(checks)
    assert all(c["passed"] for c in checks.values()), checks
    account = body(api.http.get(f"/awsAccounts/{hosting_account.id}", headers=admin.headers))
    assert account["vpcId"].startswith("vpc-") and len(account["subnetIds"]) == 2
    assert account["templateVersion"] == HOSTING_TEMPLATE_VERSION and account["lastCheckedAt"]


def test_wrong_external_id_says_so_and_the_account_can_be_deleted(api, admin, onboard):
    account, _ = onboard(external_id="the-real-one", registered_external_id="a-typo", check=False)
    response = api.http.post(f"/awsAccounts/{account.id}/verify", headers=admin.headers)
    assert body(response)["status"] == "ERRORED"
    checks = _checks(response)
    assert not checks["hostingAccountHandlerRole"]["passed"] and not checks["envMgmtRole"]["passed"]
    assert "AccessDenied" in checks["envMgmtRole"]["detail"]
    assert "ExternalId" in checks["envMgmtRole"]["hint"] and "DELETE" in checks["envMgmtRole"]["hint"]
    stored = body(api.http.get(f"/awsAccounts/{account.id}", headers=admin.headers))
    assert stored["status"] == "ERRORED" and "ExternalId" in stored["statusReason"]
    assert api.http.delete(f"/awsAccounts/{account.id}", headers=admin.headers).status_code == 204


def test_missing_role_fails_its_check_with_a_hint(api, admin, onboard):
    account, session = onboard(check=False)
    iam = session.client("iam")
    role = account.env_mgmt_role_arn.rsplit("/", 1)[1]
    for name in iam.list_role_policies(RoleName=role)["PolicyNames"]:
        iam.delete_role_policy(RoleName=role, PolicyName=name)
    for attached in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]:
        iam.detach_role_policy(RoleName=role, PolicyArn=attached["PolicyArn"])
    iam.delete_role(RoleName=role)
    response = api.http.post(f"/awsAccounts/{account.id}/verify", headers=admin.headers)
    checks = _checks(response)
    assert body(response)["status"] == "ERRORED"
    assert checks["hostingAccountHandlerRole"]["passed"] and not checks["envMgmtRole"]["passed"]
    assert "role exists" in checks["envMgmtRole"]["hint"]


def test_sync_detects_an_outdated_template_as_needs_update(api, admin, onboard):
    old = TEMPLATE_PATH.read_text().replace(f'TemplateVersion: "{HOSTING_TEMPLATE_VERSION}"', 'TemplateVersion: "0"')
    assert old != TEMPLATE_PATH.read_text()
    account, _ = onboard(check=True, template_body=old)
    assert account.status == "NEEDS_UPDATE"
    assert "version 0" in account.status_reason and "updateUrl" in account.status_reason
    checks = {c.name: c for c in account.checks}
    assert [n for n, c in checks.items() if not c.passed] == ["templateVersion"]


def test_the_app_knows_the_hosting_template_version():
    from chalicelib.services.account_checks import HOSTING_TEMPLATE_VERSION
    from local.main_account import load_template
    assert load_template(TEMPLATE_PATH)["Metadata"]["TemplateVersion"] == HOSTING_TEMPLATE_VERSION


def test_template_urls_need_the_published_template_then_fill_the_parameters(api, admin, stack):
    request = json.dumps({"externalId": "ext-for-lab-7"})
    s3 = boto3.client("s3")
    s3.delete_object(Bucket=stack["ArtifactsBucketName"], Key="onboarding/hosting-account.yaml")
    missing = api.http.post("/awsAccountTemplateUrls", headers=admin.headers, body=request)
    assert missing.status_code == 409 and body(missing)["code"] == "TEMPLATE_NOT_PUBLISHED"
    s3.put_object(Bucket=stack["ArtifactsBucketName"], Key="onboarding/hosting-account.yaml",
                  Body=TEMPLATE_PATH.read_bytes())
    response = api.http.post("/awsAccountTemplateUrls", headers=admin.headers, body=request)
    assert response.status_code == 200, body(response)
    urls = body(response)
    assert set(urls) == {"onboard-account", "onboard-account-byon"}
    create = parse_qs(urlsplit(urls["onboard-account"]["createUrl"]).fragment.split("?", 1)[1])
    assert create["param_ExternalId"] == ["ext-for-lab-7"] and create["param_MainAccountId"] == ["123456789012"]
    assert create["param_WorkbenchRolePrefix"] == ["research-workbench-dev"]  # this stage's roles only
    assert "onboarding/hosting-account.yaml" in create["templateURL"][0]
    byon = parse_qs(urlsplit(urls["onboard-account-byon"]["createUrl"]).fragment.split("?", 1)[1],
                    keep_blank_values=True)
    assert byon["param_VpcId"] == [""] and byon["param_SubnetType"] == ["private"]
    assert "/update/template?" in urls["onboard-account"]["updateUrl"]


@pytest.mark.parametrize("external_id", ["", "has space", "x" * 2000])
def test_template_urls_validate_the_external_id(api, admin, external_id):
    response = api.http.post("/awsAccountTemplateUrls", headers=admin.headers,
                             body=json.dumps({"externalId": external_id}))
    assert response.status_code == 400


def test_sync_of_a_healthy_account_changes_nothing_in_aws(onboard, counted):
    from chalicelib import deps
    account, _ = onboard()
    counted.reset()
    assert deps.container().accounts.check_account(account.id).status == "CURRENT"
    writes = {name for name in counted.calls if name.startswith(("Modify", "Create", "Put", "Accept", "Associate"))}
    assert writes == set(), dict(counted.calls)
    assert "AssumeRole" not in counted.calls  # the roles the first check assumed are reused until near expiry


def test_sync_repairs_a_revoked_document_share(onboard, stack):
    from chalicelib import deps
    account, _ = onboard()
    boto3.client("ssm").modify_document_permission(Name=stack["LaunchEnvironmentDocumentName"], PermissionType="Share",
                                                   AccountIdsToRemove=[account.aws_account_id])
    verified = deps.container().accounts.verify(account.id)
    assert verified.status == "ERRORED" and "documentsShared" in verified.status_reason
    assert deps.container().accounts.check(account).status == "CURRENT"


def test_deleting_an_account_revokes_its_shares_and_bus_permission(api, admin, onboard, stack):
    account, _ = onboard()
    shared = boto3.client("ssm").describe_document_permission(Name=stack["LaunchEnvironmentDocumentName"],
                                                              PermissionType="Share")["AccountIds"]
    assert account.aws_account_id in shared
    assert api.http.delete(f"/awsAccounts/{account.id}", headers=admin.headers).status_code == 204
    shared = boto3.client("ssm").describe_document_permission(Name=stack["LaunchEnvironmentDocumentName"],
                                                              PermissionType="Share")["AccountIds"]
    assert account.aws_account_id not in shared
    policy = boto3.client("events").describe_event_bus(Name="default").get("Policy") or ""
    assert f"hosting-{account.aws_account_id}" not in policy
    shares = boto3.client("servicecatalog").describe_portfolio_shares(PortfolioId=stack["EnvironmentPortfolioId"],
                                                                      Type="ACCOUNT")["PortfolioShareDetails"]
    assert account.aws_account_id not in {s["PrincipalId"] for s in shares}


def test_one_broken_account_does_not_stop_the_sweep(app, onboard, stack):
    from chalicelib import deps
    from local.pumps import Pumps
    from tests.api.environment_world import EventPump
    broken, _ = onboard(check=False)
    healthy, _ = onboard(check=False)
    # the broken account's role ARN points at an account that does not exist
    deps.container().accounts_repo.update(broken.id, {"envMgmtRoleArn": "arn:aws:iam::000000000000:role/x",
                                                      "hostingAccountHandlerRoleArn": "not-an-arn"}, actor="test")
    pump = EventPump(app, stack)
    pump.drain()  # whatever earlier tests left queued
    Pumps(app).run("check_accounts")
    units = [e for e in pump.drain() if e["source"] == "workbench.accounts"]
    assert {broken.id, healthy.id} <= {u["detail"]["accountId"] for u in units}
    assert deps.container().accounts.get(healthy.id).status == "CURRENT"
    assert deps.container().accounts.get(broken.id).status == "ERRORED"


def test_the_check_of_a_deleted_account_is_skipped(app, api, admin, onboard, stack):
    from chalicelib import deps
    from tests.api.environment_world import EventPump
    account, _ = onboard(check=False)
    assert api.http.delete(f"/awsAccounts/{account.id}", headers=admin.headers).status_code == 204
    unit = {"source": "workbench.accounts", "detail-type": "Check Hosting Account", "detail": {"accountId": account.id}}
    EventPump(app, stack).deliver([json.dumps(unit)])  # enqueued before the delete, delivered after: no error
    assert deps.container().accounts.check_account(account.id) is None


def test_status_bookkeeping_leaves_the_admins_etag_valid(api, admin, onboard):
    account, _ = onboard()
    etag = body(api.http.get(f"/awsAccounts/{account.id}", headers=admin.headers))["etag"]
    api.http.post(f"/awsAccounts/{account.id}/verify", headers=admin.headers)
    renamed = api.http.patch(f"/awsAccounts/{account.id}", headers={**admin.headers, "If-Match": etag},
                             body=json.dumps({"name": "renamed-after-a-check"}))
    assert renamed.status_code == 200, body(renamed)
