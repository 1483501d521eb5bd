"""Routes for /projects."""

from __future__ import annotations

from chalice import Blueprint

from .. import deps
from ..auth.decision import Access
from ..models.base import Page
from ..models.projects import CreateProject, Project, UpdateProject
from .responses import created, no_content, ok, page
from .routing import Call, endpoint

bp = Blueprint(__name__)


@endpoint(bp, "GET", "/projects", access=Access(None, "authenticated"), paginated=True, query=("name",),
          response=Page[Project], summary="List projects: all for IT admins, your own for everyone else")
def list_projects(call: Call):
    items, token = deps.container().projects.list_for(call.principal, call.page(), call.query.get("name"))
    return page(items, token)


@endpoint(bp, "POST", "/projects", access=Access("project:create"), body=CreateProject, response=Project,
          status=201, summary="Create a project under a cost center")
def create_project(call: Call):
    project = deps.container().projects.create(call.actor, call.body())
    return created(project, f"/projects/{project.id}")


@endpoint(bp, "GET", "/projects/{project_id}", access=Access("project:read", "project", reads="project"),
          response=Project, summary="Get a project")
def get_project(call: Call, project_id: str):
    return ok(call.resource(Project))


@endpoint(bp, "PATCH", "/projects/{project_id}", access=Access("project:update", "project"), body=UpdateProject,
          response=Project, summary="Rename or describe a project (If-Match supported)")
def update_project(call: Call, project_id: str):
    return ok(deps.container().projects.update(call.actor, project_id, call.body(), call.if_match()))


@endpoint(bp, "DELETE", "/projects/{project_id}", access=Access("project:delete", "project"), status=204,
          summary="Delete a project (soft); its memberships end")
def delete_project(call: Call, project_id: str):
    deps.container().projects.delete(call.actor, project_id, call.if_match())
    return no_content()
