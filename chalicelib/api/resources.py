"""The resources a route may declare it reads (`Access(..., reads=...)`): the pipeline fetches their items
in the same consistent round trip as the caller's profile and role, and hands the resource to the view
only once the decision allowed the request, so a missing item and a forbidden one still both answer 404.

A resource whose visibility depends on a second item read by key (a dataset shared into the project,
a configuration linked to it) names that item too, so the whole answer still costs one BatchGetItem.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import deps
from ..errors import NotFound

Key = tuple[Any, dict[str, str]]  # (table, key)


@dataclass(frozen=True)
class Readable:
    repository: str            # the container's repository of this resource
    param: str                 # the path parameter that names it
    parent: str | None = None  # a path parameter naming what the resource must belong to
    parent_field: str = "project_id"  # ... and the model's field that says what it belongs to

    def repo(self) -> Any:
        return getattr(deps.container(), self.repository)

    def keys(self, ids: dict[str, str]) -> list[Key]:
        repo = self.repo()
        return [(repo.table, repo.key(ids[self.param]))]

    def resolve(self, ids: dict[str, str], items: list[dict[str, Any] | None]) -> Any:
        """The resource as its model, or NotFound as its repository's `get` would say it."""
        repo, resource_id = self.repo(), ids[self.param]
        model = repo.found(resource_id, items[0])
        if self.parent and getattr(model, self.parent_field) != ids[self.parent]:  # an id from elsewhere is not here
            raise NotFound(f"{repo.label} {resource_id} not found", code=repo.not_found_code)
        return model


@dataclass(frozen=True)
class ProjectDataset(Readable):
    """A dataset the path's project owns or has been shared: its share row is read beside it."""

    def keys(self, ids: dict[str, str]) -> list[Key]:
        datasets = self.repo()
        return [*super().keys(ids), (datasets.table, datasets.share_key(ids[self.param], ids["project_id"]))]

    def resolve(self, ids: dict[str, str], items: list[dict[str, Any] | None]) -> Any:
        dataset = self.repo().found(ids[self.param], items[0])
        return deps.container().datasets.view_of(ids["project_id"], dataset, self.repo().share_of(items[1]))


@dataclass(frozen=True)
class ProjectConfiguration(Readable):
    """A configuration the path's project may launch: the project's link to it is read beside it."""

    def keys(self, ids: dict[str, str]) -> list[Key]:
        links = deps.container().config_links_repo
        return [*super().keys(ids), (links.table, links.key_of(ids["project_id"], ids["env_type_id"],
                                                                 ids[self.param]))]

    def resolve(self, ids: dict[str, str], items: list[dict[str, Any] | None]) -> Any:
        configuration = super().resolve(ids, items)
        if items[1] is None:
            raise NotFound(f"configuration {ids[self.param]} is not available to project {ids['project_id']}",
                           code="CONFIGURATION_NOT_FOUND")
        return configuration


READABLE: dict[str, Readable] = {
    "project": Readable("projects_repo", "project_id"),
    "environment": Readable("environments_repo", "env_id", parent="project_id"),
    "account": Readable("accounts_repo", "account_id"),
    "costCenter": Readable("cost_centers_repo", "cost_center_id"),
    "dataset": Readable("datasets_repo", "dataset_id"),
    "projectDataset": ProjectDataset("datasets_repo", "dataset_id", parent="project_id"),
    "projectConfiguration": ProjectConfiguration("configurations_repo", "configuration_id", parent="env_type_id",
                                                 parent_field="env_type_id"),
}


def key_of(name: str | None, ids: dict[str, str]) -> list[Key]:
    """The (table, key) pairs to read beside the caller, or nothing when the route declares no resource."""
    return READABLE[name].keys(ids) if name is not None else []


def resolve(name: str, ids: dict[str, str], items: list[dict[str, Any] | None]) -> Any:
    return READABLE[name].resolve(ids, items)
