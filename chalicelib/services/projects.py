"""Projects: create, read, list for the caller, update and soft delete."""

from __future__ import annotations

from ..auth.principal import Principal
from ..errors import InvalidState
from ..models.base import new_id, now
from ..models.projects import CreateProject, Project, UpdateProject
from ..repositories.base import PageRequest
from ..repositories.config_links import ConfigLinkRepository
from ..repositories.cost_centers import CostCenterRepository
from ..repositories.datasets import DatasetRepository
from ..repositories.environments import EnvironmentRepository
from ..repositories.memberships import MembershipRepository
from ..repositories.projects import ProjectRepository
from .changes import changes_of


class ProjectService:
    def __init__(self, projects: ProjectRepository, cost_centers: CostCenterRepository,
                 memberships: MembershipRepository, links: ConfigLinkRepository,
                 envs: EnvironmentRepository, datasets: DatasetRepository) -> None:
        self._projects = projects
        self._datasets = datasets
        self._envs = envs
        self._links = links
        self._cost_centers = cost_centers
        self._memberships = memberships

    def create(self, actor: str, request: CreateProject) -> Project:
        cost_center = self._cost_centers.get(request.cost_center_id)
        stamp = now()
        project = Project(id=new_id("proj"), name=request.name, description=request.description,
                          cost_center_id=cost_center.id, account_id=cost_center.account_id,
                          created_at=stamp, updated_at=stamp, created_by=actor, updated_by=actor)
        return self._projects.add(project)

    def list_for(self, principal: Principal, page: PageRequest,
                 name_prefix: str | None) -> tuple[list[Project], str | None]:
        if principal.is_it_admin:
            return self._projects.list(page, name_prefix=name_prefix)
        return self._projects.list_for_member(principal.user_id, principal.memberships, page, name_prefix)

    def update(self, actor: str, project_id: str, request: UpdateProject, if_match: int | None) -> Project:
        changes = changes_of(request)
        if "name" in changes:  # only a rename needs the current name (to move its uniqueness claim)
            current = self._projects.get(project_id)
            if changes["name"].lower() != current.name.lower():
                return self._projects.rename(project_id, current.name, changes, actor=actor,
                                             expected_version=if_match)
        return self._projects.update(project_id, changes, actor=actor, expected_version=if_match)

    def delete(self, actor: str, project_id: str, if_match: int | None) -> None:
        project = self._projects.get(project_id)
        if self._envs.project_has_live(project_id):
            raise InvalidState(f"project {project_id} still has environments", code="PROJECT_IN_USE",
                               hint=f"Terminate them first (GET /projects/{project_id}/environments lists them).")
        if self._datasets.project_has_datasets(project_id):
            raise InvalidState(f"project {project_id} still owns datasets", code="PROJECT_IN_USE",
                               hint=f"Delete them first (GET /projects/{project_id}/datasets lists them).")
        if self._links.project_has_links(project_id):
            raise InvalidState(f"project {project_id} still has environment configurations linked",
                               code="PROJECT_IN_USE", hint="Unlink its configurations first.")
        self._projects.delete(project, actor=actor, expected_version=if_match)
        self._memberships.remove_keys(self._memberships.keys_for_project(project_id))
