"""Service Catalog API handlers added to moto's ServiceCatalogResponse (dispatch is by name)."""

from __future__ import annotations

import json
from typing import Any

from moto.core.responses import ActionResult, EmptyResult
from moto.servicecatalog.responses import ServiceCatalogResponse

from .accounts import Caller, caller_from_access_key
from .patching import add, original, patch
from .servicecatalog import CatalogBackend, catalog_backends
from .servicecatalog_models import (
    Artifact,
    CatalogError,
    Constraint,
    invalid,
    not_found,
    path_id,
)


class CatalogResponses:
    """Methods copied onto ServiceCatalogResponse."""

    # ---- plumbing -----------------------------------------------------------------------
    def _catalog(self: Any) -> CatalogBackend:
        return catalog_backends[self.current_account][self.region]

    def _body(self: Any) -> dict[str, Any]:
        return json.loads(self.body or "{}")

    def _caller(self: Any) -> Caller:
        return caller_from_access_key(self.get_access_key(), self.current_account, self.region)

    def _local_portfolio(self: Any, portfolio_id: str, imported_ok: bool = True) -> None:
        catalog = self._catalog()
        if portfolio_id in catalog.moto.portfolios:
            return
        if imported_ok and portfolio_id in catalog.accepted:
            return
        raise not_found(f"Portfolio {portfolio_id} not found.")

    def _product_view(self: Any, product: Any, caller: Caller | None) -> dict[str, Any]:
        view = product.to_dict()
        view["HasDefaultPath"] = len(self._catalog().launch_paths(product.id, caller)) == 1
        return view

    def _product_detail(self: Any, product: Any) -> dict[str, Any]:
        return {"ProductViewSummary": self._product_view(product, None), "Status": "AVAILABLE",
                "ProductARN": product.arn, "CreatedTime": product.created_time}

    # ---- products and artifacts -----------------------------------------------------------
    def create_product(self: Any) -> ActionResult:
        result = original(ServiceCatalogResponse, "create_product")(self)
        product_id = result.result["ProductViewDetail"]["ProductViewSummary"]["Id"]
        artifacts = self._catalog().artifacts.setdefault(product_id, [])
        if not artifacts:
            artifacts.append(Artifact(self._body().get("ProvisioningArtifactParameters") or {}))
        result.result["ProvisioningArtifactDetail"] = artifacts[0].detail()
        return result

    def describe_product(self: Any) -> ActionResult:
        body, catalog, caller = self._body(), self._catalog(), self._caller()
        product = catalog.find_product(body.get("Id"), body.get("Name"))
        paths = catalog.launch_paths(product.id, caller)
        if product.account_id != self.current_account and not paths:
            raise not_found(f"Product {body.get('Id') or body.get('Name')} not found.")
        return ActionResult({
            "ProductViewSummary": self._product_view(product, caller),
            "ProvisioningArtifacts": [
                {k: v for k, v in a.detail().items() if k in ("Id", "Name", "Description", "CreatedTime", "Guidance")}
                for a in catalog.artifacts_of(product) if a.active
            ],
            "Budgets": [],
            "LaunchPaths": [{"Id": path_id(p), "Name": catalog.portfolio_display_name(p)} for p in paths],
        })

    def describe_product_as_admin(self: Any) -> ActionResult:
        body, catalog = self._body(), self._catalog()
        product = catalog.find_product(body.get("Id"), body.get("Name"))
        source = body.get("SourcePortfolioId")
        if product.account_id != self.current_account and product.id not in catalog.products_in(source or ""):
            raise not_found(f"Product {body.get('Id') or body.get('Name')} not found.")
        return ActionResult({
            "ProductViewDetail": self._product_detail(product),
            "ProvisioningArtifactSummaries": [a.summary() for a in catalog.artifacts_of(product)],
            "Tags": product.tags, "TagOptions": [], "Budgets": [],
        })

    def create_provisioning_artifact(self: Any) -> ActionResult:
        body, catalog = self._body(), self._catalog()
        product = catalog.find_product(body["ProductId"])
        if product.account_id != self.current_account:
            raise not_found(f"Product {body['ProductId']} not found.")
        artifact = Artifact(body["Parameters"])
        catalog.artifacts_of(product).append(artifact)
        return ActionResult({"ProvisioningArtifactDetail": artifact.detail(),
                             "Info": _output_info(artifact), "Status": "AVAILABLE"})

    def list_provisioning_artifacts(self: Any) -> ActionResult:
        catalog = self._catalog()
        product = catalog.find_product(self._body()["ProductId"])
        return ActionResult(
            {"ProvisioningArtifactDetails": [a.detail() for a in catalog.artifacts_of(product)]}
        )

    def describe_provisioning_artifact(self: Any) -> ActionResult:
        body, catalog = self._body(), self._catalog()
        product = catalog.find_product(body.get("ProductId"), body.get("ProductName"))
        wanted = body.get("ProvisioningArtifactId"), body.get("ProvisioningArtifactName")
        artifact = next(
            (a for a in catalog.artifacts_of(product) if a.id == wanted[0] or (not wanted[0] and a.name == wanted[1])),
            None,
        )
        if artifact is None:
            raise not_found(f"Provisioning artifact {wanted[0] or wanted[1]} not found.")
        result = {"ProvisioningArtifactDetail": artifact.detail(), "Info": _output_info(artifact),
                  "Status": "AVAILABLE"}
        if body.get("IncludeProvisioningArtifactParameters"):
            result["ProvisioningArtifactParameters"] = _template_parameters(self, artifact)
        return ActionResult(result)

    # ---- portfolio wiring -------------------------------------------------------------------
    def associate_product_with_portfolio(self: Any) -> EmptyResult:
        body, catalog = self._body(), self._catalog()
        self._local_portfolio(body["PortfolioId"], imported_ok=False)
        product = catalog.find_product(body["ProductId"])
        source = body.get("SourcePortfolioId")
        if product.account_id != self.current_account and product.id not in catalog.products_in(source or ""):
            raise not_found(f"Product {body['ProductId']} not found.")
        products = catalog.portfolio_products.setdefault(body["PortfolioId"], [])
        if product.id not in products:
            products.append(product.id)
        return EmptyResult()

    def create_constraint(self: Any) -> ActionResult:
        body, catalog = self._body(), self._catalog()
        self._local_portfolio(body["PortfolioId"])
        if body["ProductId"] not in catalog.products_in(body["PortfolioId"]):
            raise not_found(f"Product {body['ProductId']} is not in portfolio {body['PortfolioId']}.")
        try:
            params = json.loads(body["Parameters"])
        except ValueError:
            raise invalid("Constraint parameters must be valid JSON.") from None
        if body["Type"] == "LAUNCH" and not (params.get("RoleArn") or params.get("LocalRoleName")):
            raise invalid("A LAUNCH constraint needs RoleArn or LocalRoleName.")
        if any(c.type == body["Type"] for c in catalog.constraints_for(body["PortfolioId"], body["ProductId"])):
            raise CatalogError("DuplicateResourceException", f"A {body['Type']} constraint already exists.")
        constraint = Constraint(self.current_account, body)
        catalog.constraints[constraint.id] = constraint
        return ActionResult({"ConstraintDetail": constraint.detail(),
                             "ConstraintParameters": constraint.parameters, "Status": "AVAILABLE"})

    def associate_principal_with_portfolio(self: Any) -> EmptyResult:
        body = self._body()
        self._local_portfolio(body["PortfolioId"])
        entry = (body["PrincipalARN"], body["PrincipalType"])
        principals = self._catalog().principals.setdefault(body["PortfolioId"], [])
        if entry not in principals:
            principals.append(entry)
        return EmptyResult()

    def list_principals_for_portfolio(self: Any) -> ActionResult:
        portfolio = self._body()["PortfolioId"]
        principals = self._catalog().principals.get(portfolio, [])
        return ActionResult({"Principals": [{"PrincipalARN": a, "PrincipalType": t} for a, t in principals]})

    def accept_portfolio_share(self: Any) -> EmptyResult:
        portfolio, catalog = self._body()["PortfolioId"], self._catalog()
        if self.current_account not in catalog._shared_accounts(portfolio):
            raise not_found(f"Portfolio {portfolio} is not shared with {self.current_account}.")
        catalog.accepted.add(portfolio)
        return EmptyResult()

    def list_accepted_portfolio_shares(self: Any) -> ActionResult:
        catalog = self._catalog()
        details = []
        for portfolio in sorted(catalog.accepted):
            owner = catalog.find_portfolio_owner(portfolio)
            if owner:
                details.append(catalog.ext(owner).moto.portfolios[portfolio].to_dict())
        return ActionResult({"PortfolioDetails": details})

    # ---- discovery ------------------------------------------------------------------------
    def search_products(self: Any) -> ActionResult:
        body, catalog, caller = self._body(), self._catalog(), self._caller()
        ids = {p for portfolio in catalog.usable_portfolios(caller) for p in catalog.products_in(portfolio)}
        products = _filtered([catalog.find_product(i) for i in sorted(ids)], body)
        return ActionResult({"ProductViewSummaries": [self._product_view(p, caller) for p in products],
                             "ProductViewAggregations": {}})

    def search_products_as_admin(self: Any) -> ActionResult:
        body, catalog = self._body(), self._catalog()
        if body.get("PortfolioId"):
            self._local_portfolio(body["PortfolioId"])
            products = [catalog.find_product(i) for i in catalog.products_in(body["PortfolioId"])]
        else:
            products = list(catalog.moto.products.values())
        return ActionResult({"ProductViewDetails": [self._product_detail(p) for p in _filtered(products, body)]})

    def list_launch_paths(self: Any) -> ActionResult:
        catalog, product_id = self._catalog(), self._body()["ProductId"]
        summaries = [
            {"Id": path_id(p), "Name": catalog.portfolio_display_name(p), "Tags": [],
             "ConstraintSummaries": [{"Type": c.type, "Description": c.description}
                                     for c in catalog.constraints_for(p, product_id)]}
            for p in catalog.launch_paths(product_id, self._caller())
        ]
        return ActionResult({"LaunchPathSummaries": summaries})

    # ---- provisioned products ----------------------------------------------------------------
    def provision_product(self: Any) -> ActionResult:
        record = self._catalog().provision(self._caller(), self._body())
        return ActionResult({"RecordDetail": {**record.detail(), "Status": "CREATED"}})

    def describe_record(self: Any) -> ActionResult:
        record = self._catalog().records.get(self._body()["Id"])
        if record is None:
            raise not_found(f"Record {self._body()['Id']} not found.")
        done = record.status == "SUCCEEDED"
        return ActionResult({"RecordDetail": record.detail(), "RecordOutputs": record.outputs if done else []})

    def describe_provisioned_product(self: Any) -> ActionResult:
        body = self._body()
        pp = self._catalog().get_provisioned(body.get("Id"), body.get("Name"))
        return ActionResult({"ProvisionedProductDetail": pp.detail(), "CloudWatchDashboards": []})

    def search_provisioned_products(self: Any) -> ActionResult:
        body = self._body()
        queries = (body.get("Filters") or {}).get("SearchQuery", [])
        found = [pp.attributes() for pp in self._catalog().live_provisioned()]
        found = [a for a in found if all(_query_matches(a, q) for q in queries)]
        return ActionResult({"ProvisionedProducts": found, "TotalResultsCount": len(found)})

    def get_provisioned_product_outputs(self: Any) -> ActionResult:
        body = self._body()
        pp = self._catalog().get_provisioned(body.get("ProvisionedProductId"), body.get("ProvisionedProductName"))
        keys = body.get("OutputKeys")
        outputs = [o for o in pp.outputs if not keys or o["OutputKey"] in keys]
        return ActionResult({"Outputs": outputs if pp.status[0] == "AVAILABLE" else []})

    def terminate_provisioned_product(self: Any) -> ActionResult:
        record = self._catalog().terminate(self._body())
        return ActionResult({"RecordDetail": {**record.detail(), "Status": "CREATED"}})


def _filtered(products: list[Any], body: dict[str, Any]) -> list[Any]:
    filters = body.get("Filters") or {}
    for text in filters.get("FullTextSearch", []):
        products = [p for p in products if text.lower() in f"{p.name} {p.description} {p.owner}".lower()]
    for owner in filters.get("Owner", []):
        products = [p for p in products if p.owner == owner]
    reverse = body.get("SortOrder") == "DESCENDING"
    key = (lambda p: p.created_time) if body.get("SortBy") == "CreationDate" else (lambda p: p.name)
    return sorted(products, key=key, reverse=reverse)


def _query_matches(attributes: dict[str, Any], query: str) -> bool:
    if ":" not in query:
        return query.lower() in attributes["Name"].lower()
    field, value = query.split(":", 1)
    aliases = {"name": "Name", "id": "Id", "status": "Status", "arn": "Arn", "productid": "ProductId",
               "provisioningartifactid": "ProvisioningArtifactId", "type": "Type"}
    return str(attributes.get(aliases.get(field.lower(), field), "")) == value


def _template_parameters(response: Any, artifact: Artifact) -> list[dict[str, Any]]:
    from moto.cloudformation.models import Stack
    from moto.cloudformation.utils import get_stack_from_s3_url

    url = artifact.info.get("LoadTemplateFromURL", "")
    try:
        template = Stack.parse_template(get_stack_from_s3_url(url, response.current_account, response.partition))
    except Exception as exc:
        raise invalid(f"Template {url} could not be read: {exc}") from None
    return [
        {"ParameterKey": key, "DefaultValue": str(spec["Default"]) if "Default" in spec else None,
         "ParameterType": spec.get("Type", "String"), "IsNoEcho": bool(spec.get("NoEcho", False)),
         "Description": spec.get("Description", ""),
         "ParameterConstraints": {"AllowedValues": [str(v) for v in spec.get("AllowedValues", [])]}}
        for key, spec in (template.get("Parameters") or {}).items()
    ]


def install() -> None:
    # moto has create_product and describe_product (wrapped and replaced here); the other handlers are new.
    for name, member in vars(CatalogResponses).items():
        if callable(member) and not name.startswith("__"):
            (patch if name in ("create_product", "describe_product") else add)(ServiceCatalogResponse, name, member)


def _output_info(artifact: Any) -> dict[str, str]:
    """AWS answers with where the template is (`TemplateUrl`), not with the input key it was given."""
    url = artifact.info.get("LoadTemplateFromURL")
    return {"TemplateUrl": url} if url else dict(artifact.info)
