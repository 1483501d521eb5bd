"""Environment types: imported from the Service Catalog portfolio, approved by IT admins."""

from __future__ import annotations

import builtins
import re
from typing import Any

import yaml

from ..errors import AlreadyExists, DependencyFailed, InvalidState
from ..models.base import now
from ..models.environment_types import EnvironmentType, SyncResult, UpdateEnvironmentType
from ..parameters import from_template
from ..repositories.base import PageRequest
from ..repositories.configurations import ConfigurationRepository
from ..repositories.environment_types import EnvironmentTypeRepository, environment_type_id
from .changes import changes_of

_S3_URL = re.compile(r"^https://(?:(?P<vbucket>[^./]+)\.s3[.-][^/]*amazonaws\.com|s3[.-][^/]*amazonaws\.com/(?P<pbucket>[^/]+))/(?P<key>.+)$")



class EnvironmentTypeService:
    def __init__(self, types: EnvironmentTypeRepository, configurations: ConfigurationRepository,
                 catalog: Any, s3: Any, portfolio_id: str) -> None:
        self._types = types
        self._configurations = configurations
        self._catalog = catalog
        self._s3 = s3
        self._portfolio = portfolio_id

    def get(self, type_id: str) -> EnvironmentType:
        return self._types.get(type_id)

    def list(self, page: PageRequest, name_prefix: str | None,
             status: str | None) -> tuple[list[EnvironmentType], str | None]:
        return self._types.list(page, name_prefix=name_prefix, status=status)

    def update(self, actor: str, type_id: str, request: UpdateEnvironmentType, if_match: int | None) -> EnvironmentType:
        changes = changes_of(request)
        if request.status == "NOT_APPROVED" and self._configurations.has_any(type_id):
            raise InvalidState(f"environment type {type_id} still has configurations", code="ENVIRONMENT_TYPE_IN_USE",
                               hint="Delete its configurations before revoking the approval.")
        return self._types.update(type_id, changes, actor=actor, expected_version=if_match)

    def sync(self, actor: str) -> SyncResult:
        """Imports every active version of every product in the portfolio not imported yet."""
        if not self._portfolio:
            raise InvalidState("no environment portfolio is configured", code="PORTFOLIO_NOT_CONFIGURED")
        imported, unchanged = [], 0
        for product in self._products():
            product_id, name = product["ProductId"], product["Name"]
            artifacts = self._catalog.list_provisioning_artifacts(ProductId=product_id)["ProvisioningArtifactDetails"]
            for artifact in artifacts:
                if not artifact.get("Active", True):
                    continue
                if self._types.exists(environment_type_id(product_id, artifact["Id"])):
                    unchanged += 1  # an import never overwrites an admin's approval or renaming
                    continue
                try:
                    imported.append(self._types.add(self._environment_type(actor, product_id, name, artifact)))
                except AlreadyExists:
                    unchanged += 1  # a concurrent sync imported it a moment ago
        return SyncResult(imported=imported, unchanged=unchanged)

    def _products(self) -> builtins.list[dict[str, Any]]:
        found, token = [], None
        while True:
            kwargs = {"PortfolioId": self._portfolio, "PageSize": 20, **({"PageToken": token} if token else {})}
            answer = self._catalog.search_products_as_admin(**kwargs)
            found += [d["ProductViewSummary"] for d in answer.get("ProductViewDetails", [])]
            token = answer.get("NextPageToken")
            if not token:
                return found

    def _environment_type(self, actor: str, product_id: str, name: str, artifact: dict[str, Any]) -> EnvironmentType:
        detail = self._catalog.describe_provisioning_artifact(ProductId=product_id,
                                                              ProvisioningArtifactId=artifact["Id"], Verbose=True)
        template = self._read_template(detail.get("Info", {}).get("TemplateUrl", ""))
        stamp = now()
        return EnvironmentType(
            id=environment_type_id(product_id, artifact["Id"]),
            name=_display_name(f"{name}-{artifact.get('Name', artifact['Id'])}"),
            description=(artifact.get("Description") or template.get("Description") or "")[:400],
            product_id=product_id, provisioning_artifact_id=artifact["Id"], product_name=name,
            params=from_template(template.get("Parameters") or {}),
            created_at=stamp, updated_at=stamp, created_by=actor, updated_by=actor)

    def _read_template(self, url: str) -> dict[str, Any]:
        match = _S3_URL.match(url)
        if not match:
            raise DependencyFailed(f"the product's template is not an S3 URL: {url!r}",
                                   hint="Publish products with scripts/publish_catalog.py.")
        body = self._s3.get_object(Bucket=match["vbucket"] or match["pbucket"], Key=match["key"])["Body"].read()
        return yaml.load(body, Loader=_TemplateLoader) or {}  # noqa: S506 - a SafeLoader


def _display_name(text: str) -> str:
    """Product names may hold characters our names do not; keep the rest, replace those."""
    return (re.sub(r"[^A-Za-z0-9\-_. ]", "-", text).strip() or "environment-type")[:112]


class _TemplateLoader(yaml.SafeLoader):
    """Reads CloudFormation YAML or JSON; intrinsic tags (!Ref, !Sub …) are kept as plain values."""


_TemplateLoader.add_multi_constructor("!", lambda loader, suffix, node: (
    loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else
    loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else loader.construct_mapping(node)))
