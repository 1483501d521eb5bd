"""Routes for project membership and /me."""

from __future__ import annotations

from chalice import Blueprint

from .. import deps
from ..auth.decision import Access
from ..models.base import Page
from ..models.memberships import AddMembership, Membership, ProjectRole, ProjectUser
from ..models.users import Me
from .responses import created, no_content, ok, page
from .routing import Call, QueryParam, endpoint

bp = Blueprint(__name__)


@endpoint(bp, "GET", "/me", access=Access(None, "authenticated"), response=Me,
          summary="Your profile, global roles and project memberships")
def get_me(call: Call):
    return ok(deps.container().members.me(call.principal))


@endpoint(bp, "GET", "/projects/{project_id}/users", access=Access("projectMember:read", "project"),
          paginated=True, query=(QueryParam.of("role", ProjectRole),), response=Page[ProjectUser],
          summary="List a project's members")
def list_project_users(call: Call, project_id: str):
    items, token = deps.container().members.list(project_id, call.page(), call.query.get("role"))
    return page(items, token)


@endpoint(bp, "POST", "/projects/{project_id}/users/{user_id}/relationships",
          access=Access("projectMember:manage", "project"), body=AddMembership, response=Membership, status=201,
          also=(200,),
          summary="Give a user a role in the project (replaces their previous role); effective on their next request")
def add_project_user(call: Call, project_id: str, user_id: str):
    membership, is_new = deps.container().members.add(call.actor, project_id, user_id, call.body())
    if not is_new:  # the role they already held, or a changed role: nothing was created
        return ok(membership)
    return created(membership, f"/projects/{project_id}/users/{user_id}/relationships")


@endpoint(bp, "DELETE", "/projects/{project_id}/users/{user_id}/relationships",
          access=Access("projectMember:manage", "project"), status=204,
          summary="Remove a user from the project; effective on their next request")
def remove_project_user(call: Call, project_id: str, user_id: str):
    deps.container().members.remove(project_id, user_id)
    return no_content()
