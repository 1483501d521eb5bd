"""Environment type configurations: the approved choices (instance size, auto-stop, CIDR) projects get."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StringConstraints

from .base import ApiModel, Description, Name, RequestModel, Resource

ParamKey = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9]+$")]
ParamValue = Annotated[str, StringConstraints(max_length=1024)]
Cost = Annotated[str, StringConstraints(max_length=100)]


class ConfigParam(RequestModel):
    key: ParamKey
    value: ParamValue


class Configuration(Resource):
    env_type_id: str
    name: Name
    description: Description = ""
    estimated_cost: str | None = None
    params: list[ConfigParam]
    status: Literal["AVAILABLE", "DELETED"] = "AVAILABLE"


class CreateConfiguration(RequestModel):
    name: Name
    description: Description = ""
    estimated_cost: Cost | None = None
    params: list[ConfigParam]


class UpdateConfiguration(RequestModel):
    name: Name | None = None
    description: Description | None = None
    estimated_cost: Cost | None = None


class ConfigurationLink(ApiModel):
    project_id: str
    env_type_id: str
    configuration_id: str
