"""Shared model bases: camelCase on the wire, strict requests, audit fields on every resource."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, computed_field
from pydantic.alias_generators import to_camel

NAME_PATTERN = r"^[A-Za-z0-9\-_. ]+$"
Name = Annotated[str, StringConstraints(min_length=1, max_length=112, pattern=NAME_PATTERN)]
Description = Annotated[str, StringConstraints(max_length=400)]
T = TypeVar("T")


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4()}"


class ApiModel(BaseModel):
    """Base of everything on the wire: camelCase aliases, python names inside."""

    # defer_build: each model's validator is built on first use, not when the app is imported (cold start).
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore", defer_build=True)

    def to_json(self) -> dict:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class RequestModel(ApiModel):
    """Request bodies: unknown fields are an error, so typos never pass silently."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid",
                              str_strip_whitespace=True, defer_build=True)


class Resource(ApiModel):
    """A stored resource: id, audit fields and an optimistic-concurrency version."""

    id: str
    created_at: datetime
    updated_at: datetime
    created_by: str
    updated_by: str
    version: int = Field(default=1, exclude=True)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def etag(self) -> str:
        return f'"{self.version}"'


class Page(ApiModel, Generic[T]):
    data: list[T]
    pagination_token: str | None = None
