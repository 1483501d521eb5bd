"""Project memberships: who holds which role in which project."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from .base import ApiModel, RequestModel

ProjectRole = Literal["ProjectAdmin", "Researcher"]


class Membership(ApiModel):
    user_id: str
    project_id: str
    role: ProjectRole
    created_at: datetime
    created_by: str


class AddMembership(RequestModel):
    role: ProjectRole


class ProjectUser(ApiModel):
    id: str
    first_name: str
    last_name: str
    email: str
    status: str
    role: ProjectRole
