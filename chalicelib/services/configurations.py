"""Configurations of environment types, and which projects may launch them."""

from __future__ import annotations

import builtins

from ..auth.principal import Principal
from ..errors import InvalidInput, InvalidState, NotFound
from ..models.base import new_id, now
from ..models.configurations import Configuration, ConfigurationLink, CreateConfiguration, UpdateConfiguration
from ..parameters import problems
from ..repositories.base import PageRequest
from ..repositories.config_links import ConfigLinkRepository
from ..repositories.configurations import ConfigurationRepository
from ..repositories.environment_types import EnvironmentTypeRepository
from ..repositories.environments import EnvironmentRepository, require_no_live
from ..repositories.projects import ProjectRepository
from .changes import changes_of


class ConfigurationService:
    def __init__(self, configurations: ConfigurationRepository, types: EnvironmentTypeRepository,
                 links: ConfigLinkRepository, projects: ProjectRepository, envs: EnvironmentRepository) -> None:
        self._envs = envs
        self._configurations = configurations
        self._types = types
        self._links = links
        self._projects = projects

    def create(self, actor: str, type_id: str, request: CreateConfiguration) -> Configuration:
        env_type = self._types.get(type_id)
        if env_type.status != "APPROVED":
            raise InvalidState(f"environment type {type_id} is not approved", code="ENVIRONMENT_TYPE_NOT_APPROVED",
                               hint=f"PATCH /environmentTypes/{type_id} with status APPROVED first.")
        errors = problems(env_type.params, request.params)
        if errors:
            raise InvalidInput("the parameters do not fit the environment type: " + errors[0]["message"], errors=errors)
        stamp = now()
        return self._configurations.add(Configuration(
            id=new_id("etc"), env_type_id=type_id, name=request.name, description=request.description,
            estimated_cost=request.estimated_cost, params=request.params,
            created_at=stamp, updated_at=stamp, created_by=actor, updated_by=actor))

    def get(self, type_id: str, configuration_id: str) -> Configuration:
        configuration = self._configurations.get(configuration_id)
        if configuration.env_type_id != type_id:
            raise NotFound(f"configuration {configuration_id} not found", code="CONFIGURATION_NOT_FOUND")
        return configuration

    def get_visible(self, principal: Principal, type_id: str, configuration_id: str) -> Configuration:
        """IT admins see every configuration; members only those linked to one of their projects."""
        configuration = self.get(type_id, configuration_id)
        if principal.is_it_admin or self._links.any_linked(list(principal.memberships), type_id, configuration_id):
            return configuration
        raise NotFound(f"configuration {configuration_id} not found", code="CONFIGURATION_NOT_FOUND")

    def list(self, type_id: str, page: PageRequest) -> tuple[list[Configuration], str | None]:
        self._types.get(type_id)
        return self._configurations.list(page, parent=type_id)

    def update(self, actor: str, type_id: str, configuration_id: str, request: UpdateConfiguration,
               if_match: int | None) -> Configuration:
        self.get(type_id, configuration_id)
        changes = changes_of(request)
        return self._configurations.update(configuration_id, changes, actor=actor, expected_version=if_match)

    def delete(self, actor: str, type_id: str, configuration_id: str, if_match: int | None) -> None:
        self.get(type_id, configuration_id)
        require_no_live(self._envs.live_ids_for_configuration(configuration_id), f"configuration {configuration_id}",
                        "Terminate those environments first.", "CONFIGURATION_IN_USE")
        if self._links.configuration_has_links(configuration_id):
            raise InvalidState(f"configuration {configuration_id} is linked to projects", code="CONFIGURATION_IN_USE",
                               hint=f"GET /environmentTypes/{type_id}/configurations/{configuration_id}/projects "
                                    "and unlink them first.")
        self._configurations.soft_delete(configuration_id, actor=actor, expected_version=if_match)

    def linked_projects(self, type_id: str, configuration_id: str, page: PageRequest):
        self.get(type_id, configuration_id)
        links, token = self._links.for_configuration(configuration_id, page)
        return self._projects.batch_get(link.project_id for link in links), token

    def link(self, project_id: str, type_id: str, configuration_id: str) -> None:
        self._projects.get(project_id)
        self.get(type_id, configuration_id)
        self._links.link(ConfigurationLink(project_id=project_id, env_type_id=type_id,
                                           configuration_id=configuration_id))

    def unlink(self, project_id: str, type_id: str, configuration_id: str) -> None:
        self._projects.get(project_id)
        require_no_live(self._envs.live_ids_for_configuration(configuration_id, project_id),
                        f"configuration {configuration_id} in project {project_id}",
                        "Terminate the project's environments launched from it first.", "CONFIGURATION_IN_USE")
        self._links.unlink(ConfigurationLink(project_id=project_id, env_type_id=type_id,
                                             configuration_id=configuration_id))

    def for_project(self, project_id: str, type_id: str,
                    page: PageRequest) -> tuple[builtins.list[Configuration], str | None]:
        self._projects.get(project_id)
        links, token = self._links.for_project(project_id, type_id, page)
        return self._configurations.batch_get(link.configuration_id for link in links), token
