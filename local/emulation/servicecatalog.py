"""Service Catalog beyond moto's portfolio/product CRUD: artifacts, launch paths, constraints,
principals, imported shares, and provisioning that creates the product's stack in the caller's
account (records IN_PROGRESS for settings.delay_seconds, then SUCCEEDED or FAILED)."""

from __future__ import annotations

import fnmatch
from typing import Any

from moto.core.base_backend import BackendDict, BaseBackend
from moto.servicecatalog.models import Product, servicecatalog_backends

from . import settings
from .accounts import Caller
from .servicecatalog_models import (
    Artifact,
    CatalogError,
    Constraint,
    ProvisionedProduct,
    Record,
    invalid,
    not_found,
    path_id,
)
from .servicecatalog_stacks import launch_stack


class CatalogBackend(BaseBackend):
    """What one account adds to Service Catalog: artifacts, associations, provisioned products."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.artifacts: dict[str, list[Artifact]] = {}  # product id (owned here) -> artifacts
        self.portfolio_products: dict[str, list[str]] = {}  # portfolio id (owned here)
        self.constraints: dict[str, Constraint] = {}
        self.principals: dict[str, list[tuple[str, str]]] = {}  # portfolio id -> (arn, type)
        self.accepted: set[str] = set()  # imported portfolio ids
        self.provisioned: dict[str, ProvisionedProduct] = {}
        self.records: dict[str, Record] = {}
        self.tokens: dict[str, str] = {}  # idempotency token -> record id

    # ---- lookups across accounts ------------------------------------------------------
    @property
    def moto(self) -> Any:
        return servicecatalog_backends[self.account_id][self.region_name]

    def find_portfolio_owner(self, portfolio_id: str) -> str | None:
        for account_id, regional in list(servicecatalog_backends.items()):
            if self.region_name in regional.keys() and portfolio_id in regional[self.region_name].portfolios:
                return account_id
        return None

    def find_product(self, product_id: str | None, name: str | None = None) -> Product:
        for _, regional in list(servicecatalog_backends.items()):
            if self.region_name not in regional.keys():
                continue
            for product in regional[self.region_name].products.values():
                if product.id == product_id or (not product_id and product.name == name):
                    return product
        raise not_found(f"Product {product_id or name} not found.")

    def ext(self, account_id: str) -> CatalogBackend:
        return catalog_backends[account_id][self.region_name]

    def portfolio_display_name(self, portfolio_id: str) -> str:
        owner = self.find_portfolio_owner(portfolio_id)
        if owner is None:
            raise not_found(f"Portfolio {portfolio_id} not found.")
        return servicecatalog_backends[owner][self.region_name].portfolios[portfolio_id].display_name

    def products_in(self, portfolio_id: str) -> list[str]:
        owner = self.find_portfolio_owner(portfolio_id)
        return list(self.ext(owner).portfolio_products.get(portfolio_id, [])) if owner else []

    def artifacts_of(self, product: Product) -> list[Artifact]:
        return self.ext(product.account_id).artifacts.setdefault(product.id, [])

    def usable_portfolios(self, caller: Caller | None) -> list[str]:
        """Local and accepted imported portfolios; for end users, those the caller is in."""
        ids = list(self.moto.portfolios) + [
            p for p in sorted(self.accepted)
            if self.account_id in self._shared_accounts(p)
        ]
        if caller is None or not (settings.current().enforce_catalog_principals and caller.identified):
            return ids
        return [p for p in ids if self._is_member(p, caller)]

    def _shared_accounts(self, portfolio_id: str) -> list[str]:
        owner = self.find_portfolio_owner(portfolio_id)
        if owner is None:
            return []
        return servicecatalog_backends[owner][self.region_name].portfolio_access.get(portfolio_id, [])

    def _is_member(self, portfolio_id: str, caller: Caller) -> bool:
        for arn, kind in self.principals.get(portfolio_id, []):
            if arn in (caller.principal_arn, caller.arn):
                return True
            if kind == "IAM_PATTERN" and fnmatch.fnmatchcase(caller.principal_arn, arn):
                return True
        return False

    def launch_paths(self, product_id: str, caller: Caller | None) -> list[str]:
        return [p for p in self.usable_portfolios(caller) if product_id in self.products_in(p)]

    def constraints_for(self, portfolio_id: str, product_id: str) -> list[Constraint]:
        owners = {self.account_id, self.find_portfolio_owner(portfolio_id) or self.account_id}
        return [
            c for owner in sorted(owners) for c in self.ext(owner).constraints.values()
            if c.portfolio_id == portfolio_id and c.product_id == product_id
        ]

    def live_provisioned(self) -> list[ProvisionedProduct]:
        return [pp for pp in self.provisioned.values() if not pp.terminated]

    def get_provisioned(self, pp_id: str | None, name: str | None = None) -> ProvisionedProduct:
        for pp in self.live_provisioned():
            if pp.id == pp_id or (not pp_id and name in (pp.name, pp.arn)):
                return pp
        raise not_found(f"Provisioned product {pp_id or name} not found.")

    # ---- provisioning -----------------------------------------------------------------
    def provision(self, caller: Caller, body: dict[str, Any]) -> Record:
        if body["ProvisionToken"] in self.tokens:
            return self.records[self.tokens[body["ProvisionToken"]]]
        product = self.find_product(body.get("ProductId"), body.get("ProductName"))
        paths = self.launch_paths(product.id, caller)
        if not paths:
            raise not_found(f"No launch paths found for resource: {product.id}")
        portfolio = _choose_path(self, paths, body)
        artifact = _choose_artifact(self.artifacts_of(product), body)
        if any(pp.name == body["ProvisionedProductName"] for pp in self.live_provisioned()):
            raise CatalogError(
                "DuplicateResourceException",
                f"A provisioned product named {body['ProvisionedProductName']} already exists.",
            )
        launch = [c.launch_role(self.account_id) for c in self.constraints_for(portfolio, product.id)
                  if c.type == "LAUNCH"]
        pp = ProvisionedProduct(self.account_id, self.region_name, body, product=product,
                                artifact=artifact, portfolio_id=portfolio, caller=caller,
                                launch_role=launch[0] if launch else None)
        record = self._new_record("PROVISION_PRODUCT", pp, body["ProvisionToken"])
        self.provisioned[pp.id] = pp
        params = {p["Key"]: p.get("Value", "") for p in body.get("ProvisioningParameters") or []}
        tags = {t["Key"]: t["Value"] for t in pp.tags}
        tags.update(_service_tags(self, pp, product, portfolio))
        pp.stack_id, outputs, record.error = launch_stack(
            self.account_id, self.region_name, f"SC-{self.account_id}-{pp.id}",
            artifact.info.get("LoadTemplateFromURL", ""), params, tags, pp.launch_role,
        )
        record.outputs = pp.outputs = outputs
        record.start_clock()
        return record

    def terminate(self, body: dict[str, Any]) -> Record:
        token = body["TerminateToken"]
        if token in self.tokens:
            return self.records[self.tokens[token]]
        pp = self.get_provisioned(body.get("ProvisionedProductId"), body.get("ProvisionedProductName"))
        if pp.records[-1].status == "IN_PROGRESS":
            raise CatalogError("InvalidStateException",
                               f"Provisioned product {pp.id} is being changed; try again later.")
        record = self._new_record("TERMINATE_PROVISIONED_PRODUCT", pp, token)
        if pp.stack_id and not body.get("RetainPhysicalResources"):
            from moto.cloudformation.models import cloudformation_backends

            try:
                cloudformation_backends[self.account_id][self.region_name].delete_stack(pp.stack_id)
            except Exception as exc:  # keep the product, as AWS does unless IgnoreErrors
                if not body.get("IgnoreErrors"):
                    record.error = f"Stack deletion failed: {exc}"
        record.start_clock()
        return record

    def _new_record(self, record_type: str, pp: ProvisionedProduct, token: str) -> Record:
        record = Record(record_type, pp)
        pp.records.append(record)
        self.records[record.id] = record
        self.tokens[token] = record.id
        return record


catalog_backends = BackendDict(CatalogBackend, "servicecatalog")


def _choose_path(backend: CatalogBackend, paths: list[str], body: dict[str, Any]) -> str:
    if body.get("PathId"):
        if body["PathId"] not in [path_id(p) for p in paths]:
            raise not_found(f"Launch path {body['PathId']} not found.")
        return next(p for p in paths if path_id(p) == body["PathId"])
    if body.get("PathName"):
        named = [p for p in paths if backend.portfolio_display_name(p) == body["PathName"]]
        if named:
            return named[0]
        raise not_found(f"Launch path {body['PathName']} not found.")
    if len(paths) > 1:
        raise invalid("The product has more than one launch path: PathId is required.")
    return paths[0]


def _choose_artifact(artifacts: list[Artifact], body: dict[str, Any]) -> Artifact:
    wanted_id, wanted_name = body.get("ProvisioningArtifactId"), body.get("ProvisioningArtifactName")
    for artifact in artifacts:
        if artifact.active and (artifact.id == wanted_id or (not wanted_id and artifact.name == wanted_name)):
            return artifact
    raise not_found(f"Provisioning artifact {wanted_id or wanted_name} not found.")


def _service_tags(
    backend: CatalogBackend, pp: ProvisionedProduct, product: Product, portfolio: str
) -> dict[str, str]:
    """The tags Service Catalog adds to every stack it launches."""
    owner = backend.find_portfolio_owner(portfolio) or backend.account_id
    return {
        "aws:servicecatalog:portfolioArn":
            f"arn:aws:catalog:{backend.region_name}:{owner}:portfolio/{portfolio}",
        "aws:servicecatalog:productArn": product.arn,
        "aws:servicecatalog:provisioningArtifactIdentifier": pp.artifact_id,
        "aws:servicecatalog:provisionedProductArn": pp.arn,
        "aws:servicecatalog:provisioningPrincipalArn": pp.caller.principal_arn,
    }


def install() -> None:
    from . import servicecatalog_api

    servicecatalog_api.install()
