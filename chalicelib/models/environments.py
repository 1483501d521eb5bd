"""Environments: a researcher's compute (a SageMaker notebook first) in a hosting account."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .base import ApiModel, Description, Name, RequestModel, Resource

EnvironmentStatus = Literal["PENDING", "COMPLETED", "FAILED", "STOPPING", "STOPPED", "STOPPING_FAILED",
                            "STARTING", "STARTING_FAILED", "TERMINATING", "TERMINATED", "TERMINATING_FAILED"]
Action = Literal["start", "stop", "terminate", "connect"]
ResourceId = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*$")]


class Mount(ApiModel):
    """A dataset attached to an environment through its own S3 access point in the main account."""
    dataset_id: str
    name: str                             # the directory under ~/SageMaker/datasets
    prefix: str
    access_level: Literal["read-only", "read-write"]
    access_point_name: str
    alias: str = ""                       # known once the access point exists
    # The owning project when the dataset is shared into the environment's: the launch then holds
    # that share at this level in the transaction that writes the mount (repositories/datasets.py).
    owner_project_id: str | None = None


class Environment(Resource):
    name: Name
    description: Description = ""
    project_id: str
    env_type_id: str
    env_type_config_id: str
    owner: str
    account_id: str                       # the workbench's hosting-account record
    aws_account_id: str
    driver: str                           # which lifecycle driver operates it (lifecycle/drivers.py)
    status: EnvironmentStatus = "PENDING"
    status_reason: str = ""
    status_changed_at: datetime           # when status last changed: deadlines and stale events
    last_reconciled_at: datetime | None = None
    dataset_ids: list[str] = []
    mounts: list[Mount] = []              # removed with their access points at TERMINATED
    instance_id: str | None = None        # the notebook's name, once provisioned
    outputs: dict[str, str] = {}
    provisioned_product_id: str | None = None
    automation_execution_id: str | None = None  # the launch or terminate run whose result we await


class EnvironmentView(Environment):
    """What the API returns: the environment plus what this caller may do with it now."""
    allowed_actions: list[Action] = []


class CreateEnvironment(RequestModel):
    name: Name
    description: Description = ""
    env_type_id: ResourceId
    env_type_config_id: ResourceId
    dataset_ids: list[ResourceId] = Field(default=[], max_length=10)


class Connection(ApiModel):
    url: str
    expires_at: datetime
    instructions: str
