"""Service Catalog resources moto lacks: artifacts, constraints, records, provisioned products."""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from moto.core.common_models import BaseModel
from moto.core.exceptions import JsonRESTError
from moto.core.utils import utcnow
from moto.moto_api._internal import mock_random

from . import settings
from .accounts import Caller


class CatalogError(JsonRESTError):
    code = 400


def not_found(message: str) -> CatalogError:
    return CatalogError("ResourceNotFoundException", message)


def invalid(message: str) -> CatalogError:
    return CatalogError("InvalidParametersException", message)


def new_id(prefix: str) -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyz234567"
    return prefix + "".join(mock_random.choice(alphabet) for _ in range(13))


class Artifact(BaseModel):
    def __init__(self, params: dict[str, Any]) -> None:
        self.id = new_id("pa-")
        self.name = params.get("Name") or "v1"
        self.description = params.get("Description") or ""
        self.type = params.get("Type") or "CLOUD_FORMATION_TEMPLATE"
        self.info: dict[str, str] = dict(params.get("Info") or {})
        self.created = utcnow()
        self.active, self.guidance = True, "DEFAULT"

    def detail(self) -> dict[str, Any]:
        return {"Id": self.id, "Name": self.name, "Description": self.description,
                "Type": self.type, "CreatedTime": self.created, "Active": self.active,
                "Guidance": self.guidance}

    def summary(self) -> dict[str, Any]:
        return {"Id": self.id, "Name": self.name, "Description": self.description,
                "CreatedTime": self.created, "ProvisioningArtifactMetadata": self.info}


class Constraint(BaseModel):
    def __init__(self, account_id: str, body: dict[str, Any]) -> None:
        self.id = new_id("cons-")
        self.type, self.owner = body["Type"], account_id
        self.portfolio_id, self.product_id = body["PortfolioId"], body["ProductId"]
        self.description = body.get("Description") or ""
        self.parameters = body["Parameters"]

    def detail(self) -> dict[str, Any]:
        return {"ConstraintId": self.id, "Type": self.type, "Description": self.description,
                "Owner": self.owner, "ProductId": self.product_id,
                "PortfolioId": self.portfolio_id}

    def launch_role(self, account_id: str) -> str | None:
        params = json.loads(self.parameters)
        if params.get("LocalRoleName"):
            return f"arn:aws:iam::{account_id}:role/{params['LocalRoleName']}"
        return params.get("RoleArn")


class Record(BaseModel):
    """One request on a provisioned product; its outcome shows once ready_at has passed."""

    def __init__(self, record_type: str, pp: ProvisionedProduct) -> None:
        self.id, self.type, self.pp = new_id("rec-"), record_type, pp
        self.created = self.ready_at = utcnow()
        self.error: str | None = None
        self.outputs: list[dict[str, str]] = []

    def start_clock(self) -> None:
        """The outcome shows settings.delay_seconds after the work itself is done."""
        self.ready_at = utcnow() + datetime.timedelta(seconds=settings.current().delay_seconds)

    @property
    def status(self) -> str:
        if utcnow() < self.ready_at:
            return "IN_PROGRESS"
        return "FAILED" if self.error else "SUCCEEDED"

    def detail(self) -> dict[str, Any]:
        pp, done = self.pp, self.status != "IN_PROGRESS"
        return {
            "RecordId": self.id, "ProvisionedProductName": pp.name, "Status": self.status,
            "CreatedTime": self.created, "UpdatedTime": self.ready_at if done else self.created,
            "ProvisionedProductType": "CFN_STACK", "RecordType": self.type,
            "ProvisionedProductId": pp.id, "ProductId": pp.product_id,
            "ProvisioningArtifactId": pp.artifact_id, "PathId": pp.path_id,
            "RecordErrors": [{"Code": "PROVISIONING_FAILED", "Description": self.error}]
            if done and self.error else [],
            "RecordTags": pp.tags, "LaunchRoleArn": pp.launch_role,
        }


class ProvisionedProduct(BaseModel):
    def __init__(self, account_id: str, region: str, body: dict[str, Any], **kw: Any) -> None:
        self.id = new_id("pp-")
        self.name: str = body["ProvisionedProductName"]
        self.arn = f"arn:aws:servicecatalog:{region}:{account_id}:stack/{self.name}/{self.id}"
        self.product_id, self.product_name = kw["product"].id, kw["product"].name
        self.artifact_id, self.artifact_name = kw["artifact"].id, kw["artifact"].name
        self.portfolio_id, self.launch_role = kw["portfolio_id"], kw["launch_role"]
        self.path_id = path_id(self.portfolio_id)
        self.tags: list[dict[str, str]] = body.get("Tags") or []
        self.token: str = body["ProvisionToken"]
        self.caller: Caller = kw["caller"]
        self.created = utcnow()
        self.records: list[Record] = []
        self.stack_id: str | None = None
        self.outputs: list[dict[str, str]] = []

    @property
    def terminated(self) -> bool:
        last = self.records[-1]
        return last.type == "TERMINATE_PROVISIONED_PRODUCT" and last.status == "SUCCEEDED"

    def _provisioning(self) -> list[Record]:
        return [r for r in self.records if r.type != "TERMINATE_PROVISIONED_PRODUCT"]

    @property
    def status(self) -> tuple[str, str]:
        last = self.records[-1]
        if last.status == "IN_PROGRESS":
            return "UNDER_CHANGE", ""
        if last.status == "FAILED":
            return ("ERROR" if last.type != "UPDATE_PROVISIONED_PRODUCT" else "TAINTED"), str(last.error)
        return "AVAILABLE", ""

    def detail(self) -> dict[str, Any]:
        status, message = self.status
        succeeded = [r for r in self._provisioning() if r.status == "SUCCEEDED"]
        return {
            "Name": self.name, "Arn": self.arn, "Type": "CFN_STACK", "Id": self.id,
            "Status": status, "StatusMessage": message or None, "CreatedTime": self.created,
            "IdempotencyToken": self.token, "LastRecordId": self.records[-1].id,
            "LastProvisioningRecordId": self._provisioning()[-1].id,
            "LastSuccessfulProvisioningRecordId": succeeded[-1].id if succeeded else None,
            "ProductId": self.product_id, "ProvisioningArtifactId": self.artifact_id,
            "LaunchRoleArn": self.launch_role,
        }

    def attributes(self) -> dict[str, Any]:
        return {**self.detail(), "Tags": self.tags, "PhysicalId": self.stack_id,
                "ProductName": self.product_name, "ProvisioningArtifactName": self.artifact_name,
                "UserArn": self.caller.principal_arn, "UserArnSession": self.caller.arn}


def path_id(portfolio_id: str) -> str:
    """A launch path id that is stable per portfolio (the same in every account)."""
    digest = hashlib.sha256(portfolio_id.encode()).hexdigest()
    return "lpv3-" + "".join("abcdefghijklmnopqrstuvwxyz234567"[int(c, 16) * 2] for c in digest[:13])
