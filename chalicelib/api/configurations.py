"""Routes for environment type configurations and their links to projects."""

from __future__ import annotations

from chalice import Blueprint

from .. import deps
from ..auth.decision import Access
from ..models.base import Page
from ..models.configurations import Configuration, CreateConfiguration, UpdateConfiguration
from ..models.projects import Project
from .responses import created, no_content, ok, page
from .routing import Call, endpoint

bp = Blueprint(__name__)
CONFIGS = "/environmentTypes/{env_type_id}/configurations"
ONE = CONFIGS + "/{configuration_id}"
LINK = "/projects/{project_id}" + ONE + "/relationships"


@endpoint(bp, "GET", CONFIGS, access=Access("configuration:list"), paginated=True, response=Page[Configuration],
          summary="List an environment type's configurations (IT admins)")
def list_configurations(call: Call, env_type_id: str):
    items, token = deps.container().configurations.list(env_type_id, call.page())
    return page(items, token)


@endpoint(bp, "POST", CONFIGS, access=Access("configuration:create"), body=CreateConfiguration,
          response=Configuration, status=201,
          summary="Create a configuration; params are checked against the product template's rules")
def create_configuration(call: Call, env_type_id: str):
    configuration = deps.container().configurations.create(call.actor, env_type_id, call.body())
    return created(configuration, f"/environmentTypes/{env_type_id}/configurations/{configuration.id}")


# Not `reads=`: visible to members of any project it is linked to, so the decision needs every membership
# (the caller's whole partition, a Query) and then the links of those projects.
@endpoint(bp, "GET", ONE, access=Access("configuration:read", "anyProject"), response=Configuration,
          summary="Get a configuration (IT admins, and members of a project it is linked to)")
def get_configuration(call: Call, env_type_id: str, configuration_id: str):
    return ok(deps.container().configurations.get_visible(call.principal, env_type_id, configuration_id))


@endpoint(bp, "PATCH", ONE, access=Access("configuration:update"), body=UpdateConfiguration,
          response=Configuration, summary="Rename or describe a configuration, or change its estimated cost")
def update_configuration(call: Call, env_type_id: str, configuration_id: str):
    return ok(deps.container().configurations.update(call.actor, env_type_id, configuration_id, call.body(),
                                                     call.if_match()))


@endpoint(bp, "DELETE", ONE, access=Access("configuration:delete"), status=204,
          summary="Delete a configuration (409 while linked to projects)")
def delete_configuration(call: Call, env_type_id: str, configuration_id: str):
    deps.container().configurations.delete(call.actor, env_type_id, configuration_id, call.if_match())
    return no_content()


@endpoint(bp, "GET", ONE + "/projects", access=Access("configuration:listProjects"), paginated=True,
          response=Page[Project], summary="Projects a configuration is linked to")
def list_configuration_projects(call: Call, env_type_id: str, configuration_id: str):
    items, token = deps.container().configurations.linked_projects(env_type_id, configuration_id, call.page())
    return page(items, token)


@endpoint(bp, "PUT", LINK, access=Access("configuration:link", "project"), status=204,
          summary="Let a project launch this configuration (idempotent)")
def link_configuration(call: Call, project_id: str, env_type_id: str, configuration_id: str):
    deps.container().configurations.link(project_id, env_type_id, configuration_id)
    return no_content()


@endpoint(bp, "DELETE", LINK, access=Access("configuration:link", "project"), status=204,
          summary="Stop a project launching this configuration")
def unlink_configuration(call: Call, project_id: str, env_type_id: str, configuration_id: str):
    deps.container().configurations.unlink(project_id, env_type_id, configuration_id)
    return no_content()


@endpoint(bp, "GET", "/projects/{project_id}" + CONFIGS, access=Access("configuration:read", "project"),
          paginated=True, response=Page[Configuration], summary="Configurations the project may launch")
def list_project_configurations(call: Call, project_id: str, env_type_id: str):
    items, token = deps.container().configurations.for_project(project_id, env_type_id, call.page())
    return page(items, token)


@endpoint(bp, "GET", "/projects/{project_id}" + ONE,
          access=Access("configuration:read", "project", reads="projectConfiguration"),
          response=Configuration, summary="A configuration the project may launch")
def get_project_configuration(call: Call, project_id: str, env_type_id: str, configuration_id: str):
    return ok(call.resource(Configuration))
