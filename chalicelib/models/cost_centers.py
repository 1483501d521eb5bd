"""Cost centers: which hosting account a project's spend lands in."""

from __future__ import annotations

from typing import Literal

from .base import Description, Name, RequestModel, Resource


class CostCenter(Resource):
    name: Name
    description: Description = ""
    account_id: str
    aws_account_id: str
    status: Literal["AVAILABLE", "DELETED"] = "AVAILABLE"


class CreateCostCenter(RequestModel):
    name: Name
    description: Description = ""
    account_id: str


class UpdateCostCenter(RequestModel):
    name: Name | None = None
    description: Description | None = None
