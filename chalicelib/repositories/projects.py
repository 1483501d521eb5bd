"""Projects in the app table, with a uniqueness row per name so two projects never share one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import AlreadyExists
from ..models.projects import Project
from .base import INDEX_ATTRS, PageRequest, ResourceTable


class ProjectRepository(ResourceTable[Project]):
    model = Project
    prefix = "PROJECT"
    kind = "project"
    label = "project"
    not_found_code = "PROJECT_NOT_FOUND"

    def index_attrs(self, model: Project) -> dict[str, str]:
        return {**super().index_attrs(model), "gsiParent": f"{self.kind}#{model.cost_center_id}"}

    def list_for_member(self, user_id: str, project_ids: Iterable[str], page: PageRequest,
                        name_prefix: str | None = None) -> tuple[list[Project], str | None]:
        """A member's own projects, named by their memberships: read by key (batch), paged in memory
        by (name, id), since no index holds one member's projects."""
        scope = f"my-projects:{user_id}:{name_prefix}"
        after = (self._cursor.decode(page.token, scope) or {}).get("after")
        projects = sorted(self.batch_get(project_ids), key=lambda p: (p.name.lower(), p.id))
        if name_prefix:
            projects = [p for p in projects if p.name.lower().startswith(name_prefix.lower())]
        if after:
            projects = [p for p in projects if [p.name.lower(), p.id] > after]
        chunk = projects[:page.size]
        more = len(projects) > page.size
        token = self._cursor.encode({"after": [chunk[-1].name.lower(), chunk[-1].id]}, scope) if more else None
        return chunk, token

    def add(self, project: Project) -> Project:
        failed = self.transact([{"Put": self.put_new(project)},
                                self.claim(self._name_key(project.name), projectId=project.id)])
        if failed is not None:
            raise self._name_taken(project.name)
        return project

    def rename(self, project_id: str, old_name: str, changes: dict[str, Any], *, actor: str,
               expected_version: int | None) -> Project:
        """Moves the name claim and updates the project in one transaction."""
        expr = self.update_expression(changes, actor=actor, expected_version=expected_version,
                                      resource_id=project_id, require={"name": old_name})
        failed = self.transact([
            {"Update": {"TableName": self._table.name, "Key": self.key(project_id), **expr}},
            {"Delete": {"TableName": self._table.name, "Key": self._name_key(old_name)}},
            self.claim(self._name_key(changes["name"]), projectId=project_id)])
        if failed == 2:
            raise self._name_taken(changes["name"])
        if failed == 0:
            self.raise_for_failed_condition(project_id, self._raw_item(project_id), expected_version)
        return self.get(project_id)

    def delete(self, project: Project, *, actor: str, expected_version: int | None) -> None:
        """Soft delete and give the name back, together, and only while the claim is still ours."""
        expr = self.update_expression({"status": "DELETED"}, actor=actor, expected_version=expected_version,
                                      remove=INDEX_ATTRS, resource_id=project.id, require={"name": project.name})
        failed = self.transact([
            {"Update": {"TableName": self._table.name, "Key": self.key(project.id), **expr}},
            {"Delete": {"TableName": self._table.name, "Key": self._name_key(project.name),
                        "ConditionExpression": "projectId = :id", "ExpressionAttributeValues": {":id": project.id}}}])
        if failed is not None:
            self.raise_for_failed_condition(project.id, self._raw_item(project.id), expected_version)

    @staticmethod
    def _name_key(name: str) -> dict[str, str]:
        return {"pk": f"PROJECTNAME#{name.lower()}", "sk": "UNIQUE"}

    @staticmethod
    def _name_taken(name: str) -> AlreadyExists:
        return AlreadyExists(f"a project named '{name}' already exists", code="PROJECT_NAME_TAKEN",
                             hint="Project names are unique, ignoring case; choose another name.")
