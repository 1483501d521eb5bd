"""The resources a route may declare it reads (`Access(..., reads=...)`): the pipeline fetches the item
in the same consistent round trip as the caller's profile and role, and hands it to the view only
once the decision allowed the request, so a missing item and a forbidden one still both answer 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import deps
from ..errors import NotFound


@dataclass(frozen=True)
class Readable:
    repository: str            # the container's repository of this resource
    param: str                 # the path parameter that names it
    parent: str | None = None  # a path parameter naming the project the resource must belong to


READABLE: dict[str, Readable] = {
    "project": Readable("projects_repo", "project_id"),
    "environment": Readable("environments_repo", "env_id", parent="project_id"),
}


def key_of(name: str | None, ids: dict[str, str]) -> list[tuple[Any, dict[str, str]]]:
    """The (table, key) to read beside the caller, or nothing when the route declares no resource."""
    if name is None:
        return []
    readable = READABLE[name]
    repository = getattr(deps.container(), readable.repository)
    return [(repository.table, repository.key(ids[readable.param]))]


def resolve(name: str, ids: dict[str, str], item: dict[str, Any] | None) -> Any:
    """The resource as its model, or NotFound as its repository's `get` would say it."""
    readable = READABLE[name]
    repository = getattr(deps.container(), readable.repository)
    resource_id = ids[readable.param]
    model = repository.found(resource_id, item)
    if readable.parent and model.project_id != ids[readable.parent]:  # an id from another project is not here
        raise NotFound(f"{repository.label} {resource_id} not found", code=repository.not_found_code)
    return model
