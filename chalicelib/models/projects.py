"""Projects: the authorization boundary that groups people, environments and datasets."""

from __future__ import annotations

from typing import Literal

from .base import Description, Name, RequestModel, Resource

ProjectStatus = Literal["AVAILABLE", "DELETED"]


class Project(Resource):
    name: Name
    description: Description = ""
    cost_center_id: str
    account_id: str
    status: ProjectStatus = "AVAILABLE"


class CreateProject(RequestModel):
    name: Name
    description: Description = ""
    cost_center_id: str


class UpdateProject(RequestModel):
    name: Name | None = None
    description: Description | None = None
