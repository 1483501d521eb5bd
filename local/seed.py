"""Seeds the demo through the product itself: the bootstrap function, then the HTTP API as an IT admin."""

from __future__ import annotations

import json
import secrets
import string
import urllib.request
from typing import Any

import boto3

from scripts.publish_catalog import publish

from .emulation import account_credentials
from .hosting_account import deploy_hosting_account

HOSTING_ACCOUNT_ID = "222222222222"
MAIN_ACCOUNT_ID = "123456789012"
EXTERNAL_ID = "demo-external-id"


def _password() -> str:
    # Meets the pool's policy: 12+ characters with upper, lower, digit and symbol.
    alphabet = string.ascii_letters + string.digits
    return "Rsw-" + "".join(secrets.choice(alphabet) for _ in range(12)) + "7a!"


class Api:
    def __init__(self, base: str, token: str) -> None:
        self._base, self._token = base, token

    def __call__(self, method: str, path: str, payload: dict | None = None) -> Any:
        request = urllib.request.Request(f"{self._base}{path}", method=method,  # noqa: S310 - our own local API
                                         data=json.dumps(payload).encode() if payload is not None else None,
                                         headers={"Authorization": f"Bearer {self._token}",
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - our own local API
            raw = answer.read()
        return json.loads(raw) if raw else None


def _sign_in(outputs: dict, username: str, password: str) -> str:
    cognito = boto3.client("cognito-idp")
    cognito.admin_set_user_password(UserPoolId=outputs["UserPoolId"], Username=username, Password=password,
                                    Permanent=True)
    return cognito.initiate_auth(ClientId=outputs["UserPoolClientId"], AuthFlow="USER_PASSWORD_AUTH",
                                 AuthParameters={"USERNAME": username, "PASSWORD": password}
                                 )["AuthenticationResult"]["AccessToken"]


def _onboard_hosting_account() -> dict[str, str]:
    """What the hosting account's IT admin does: deploy hosting_account/template.yaml there."""
    session = boto3.session.Session(**account_credentials(HOSTING_ACCOUNT_ID))
    return deploy_hosting_account(session, MAIN_ACCOUNT_ID, EXTERNAL_ID)


def seed_demo(api_url: str, endpoint: str, region: str, outputs: dict, pumps: Any) -> dict:
    users = []
    admin_password = _password()
    admin = pumps.run("bootstrap_admin", {"firstName": "Ada", "lastName": "Admin", "email": "it-admin@example.org"})
    users.append({"username": admin["username"], "password": admin_password, "role": "ITAdmin"})
    api = Api(api_url, _sign_in(outputs, admin["username"], admin_password))

    hosting = _onboard_hosting_account()
    account = api("POST", "/awsAccounts", {"name": "demo-hosting", "awsAccountId": HOSTING_ACCOUNT_ID,
                                           "envMgmtRoleArn": hosting["EnvMgmtRoleArn"],
                                           "hostingAccountHandlerRoleArn": hosting["HostingAccountHandlerRoleArn"],
                                           "externalId": EXTERNAL_ID})
    pumps.run("check_accounts")  # what the schedule does every few minutes: one check per account, queued
    pumps.settle()  # ... delivered to the queue's handler: PENDING -> CURRENT before anything uses the account
    checked = api("GET", f"/awsAccounts/{account['id']}")
    if checked["status"] != "CURRENT":
        raise RuntimeError(f"the demo hosting account is {checked['status']}: {checked.get('statusReason')}")
    cost_center = api("POST", "/costCenters", {"name": "demo-cost-center", "accountId": account["id"]})
    project = api("POST", "/projects", {"name": "demo-project", "description": "The demo project",
                                        "costCenterId": cost_center["id"]})
    configuration = _catalog(api, outputs, project["id"])
    tokens = {}
    for first, role in (("Pat", "ProjectAdmin"), ("Rae", "Researcher")):
        user, tokens[role] = _member(api, outputs, project["id"], first, role, f"{role.lower()}@example.org")
        users.append(user)
    # A second project with a member of its own (not in `users`: every user there belongs to the
    # demo project, which the tour and its tests rely on), into which the demo dataset is shared.
    partner = api("POST", "/projects", {"name": "partner-project", "costCenterId": cost_center["id"],
                                        "description": "Reads the demo project's dataset"})
    reader, _ = _member(api, outputs, partner["id"], "Sam", "Researcher", "partner-researcher@example.org")
    dataset = _demo_dataset(Api(api_url, tokens["ProjectAdmin"]), project["id"], partner["id"])
    return {"apiUrl": api_url, "awsEndpoint": endpoint, "region": region, "userPoolId": outputs["UserPoolId"],
            "clientId": outputs["UserPoolClientId"], "users": users,
            # What a launch names (POST /projects/{id}/environments); configurationId is the older key.
            "environmentTypeId": configuration["envTypeId"], "environmentTypeConfigId": configuration["id"],
            "configurationId": configuration["id"], "datasetId": dataset["id"],
            "sharedProject": {"id": partner["id"], "name": partner["name"], "accessLevel": "read-only",
                              "users": [reader]}}


def _member(api: Api, outputs: dict, project_id: str, first: str, role: str, email: str) -> tuple[dict, str]:
    """A user with a project role and a password: their stack.json entry and a token."""
    person = api("POST", "/users", {"firstName": first, "lastName": role, "email": email})
    api("POST", f"/projects/{project_id}/users/{person['id']}/relationships", {"role": role})
    password = _password()
    token = _sign_in(outputs, person["username"], password)
    return {"username": person["username"], "password": password, "role": role, "projectId": project_id}, token


DEMO_FILES = {"README.txt": b"Demo reads: two samples of a made-up sequencing run.\n",
              "samples/sample-1.csv": b"read,sequence\nr1,ACGTACGTAC\nr2,TTGACCATGA\n",
              "samples/sample-2.csv": b"read,sequence\nr1,GGCATTACGA\n"}


def _demo_dataset(owner: Api, project_id: str, partner_id: str) -> dict:
    """As the demo project's admin would: create, upload through pre-signed PUTs, share read-only.
    The file index fills from the S3 events once the pumps run (after the seed)."""
    dataset = owner("POST", f"/projects/{project_id}/datasets", {"name": "demo-reads",
                                                                  "description": "A few small demo files"})
    base = f"/projects/{project_id}/datasets/{dataset['id']}"
    uploads = owner("POST", f"{base}/upload-requests", {"files": [
        {"path": path, "size": len(data), "contentType": "text/plain"} for path, data in DEMO_FILES.items()]})
    for upload in uploads["uploads"]:
        put = urllib.request.Request(upload["url"], data=DEMO_FILES[upload["path"]], method="PUT",  # noqa: S310
                                     headers=upload["headers"])
        with urllib.request.urlopen(put, timeout=30):  # noqa: S310 - the embedded S3's pre-signed URL
            pass
    owner("PUT", f"{base}/shares/{partner_id}", {"accessLevel": "read-only"})
    return dataset


def _catalog(api: Api, outputs: dict, project_id: str) -> dict:
    """The IT admin's catalog chores: publish catalog/, import, approve, configure, link to the project."""
    publish(boto3.session.Session(**account_credentials(MAIN_ACCOUNT_ID)), outputs)
    imported = api("POST", "/environmentTypes/sync")["imported"]
    notebook = next(t for t in imported if t["productName"] == "sagemaker-notebook")
    api("PATCH", f"/environmentTypes/{notebook['id']}", {"status": "APPROVED"})
    configuration = api("POST", f"/environmentTypes/{notebook['id']}/configurations", {
        "name": "small-notebook", "description": "ml.t3.medium, stops after an idle hour",
        "estimatedCost": "about $0.05 an hour",
        "params": [{"key": "InstanceType", "value": "ml.t3.medium"},
                   {"key": "AutoStopIdleTimeInMinutes", "value": "60"}, {"key": "CIDR", "value": "10.0.0.0/8"}]})
    api("PUT", f"/projects/{project_id}/environmentTypes/{notebook['id']}/configurations/"
               f"{configuration['id']}/relationships")
    return configuration
