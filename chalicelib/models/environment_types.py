"""Environment types (Service Catalog product versions) and the parameters their templates take."""

from __future__ import annotations

from typing import Literal

from .base import ApiModel, Description, Name, RequestModel, Resource

EnvironmentTypeStatus = Literal["APPROVED", "NOT_APPROVED"]


class TemplateParameter(ApiModel):
    key: str
    type: str = "String"
    default: str | None = None
    description: str | None = None
    allowed_values: list[str] | None = None
    allowed_pattern: str | None = None
    min_value: float | None = None
    max_value: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    no_echo: bool = False
    supplied_by_workbench: bool = False  # filled at launch (network, keys, datasets), not in configurations


class EnvironmentType(Resource):
    name: Name
    description: Description = ""
    product_id: str
    provisioning_artifact_id: str
    product_name: str
    params: list[TemplateParameter] = []
    status: EnvironmentTypeStatus = "NOT_APPROVED"


class UpdateEnvironmentType(RequestModel):
    name: Name | None = None
    description: Description | None = None
    status: EnvironmentTypeStatus | None = None


class SyncResult(ApiModel):
    imported: list[EnvironmentType]
    unchanged: int
