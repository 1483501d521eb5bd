"""Routes for /users."""

from __future__ import annotations

from chalice import Blueprint

from .. import deps
from ..auth.decision import Access
from ..models.base import Page
from ..models.users import CreateUser, UpdateUser, User, UserStatus
from .responses import created, no_content, ok, page
from .routing import Call, QueryParam, endpoint

bp = Blueprint(__name__)


@endpoint(bp, "GET", "/users", access=Access("user:read", "anyProject"), paginated=True,
          query=(QueryParam.of("status", UserStatus), "email"), response=Page[User],
          summary="List users: all for IT admins; for project admins the members of their projects, "
                  "and anyone by exact ?email=")
def list_users(call: Call):
    items, token = deps.container().users.list_for(call.principal, call.page(), call.query.get("status"),
                                                   call.query.get("email"))
    return page(items, token)


@endpoint(bp, "POST", "/users", access=Access("user:create"), body=CreateUser, response=User, status=201,
          summary="Invite a user (Cognito sends the temporary password)")
def create_user(call: Call):
    user = deps.container().users.create(call.actor, call.body())
    return created(user, f"/users/{user.id}")


@endpoint(bp, "GET", "/users/{user_id}", access=Access("user:read", "anyProject"), response=User,
          summary="Get a user")
def get_user(call: Call, user_id: str):
    return ok(deps.container().users.get_for(call.principal, user_id))


@endpoint(bp, "PATCH", "/users/{user_id}", access=Access("user:update"), body=UpdateUser, response=User,
          summary="Update a user: names, status ACTIVE|INACTIVE, global roles; effective on their next request")
def update_user(call: Call, user_id: str):
    return ok(deps.container().users.update(call.actor, user_id, call.body(), call.if_match()))


@endpoint(bp, "DELETE", "/users/{user_id}/purge", access=Access("user:purge"), status=204,
          summary="Delete an INACTIVE user for good, with their memberships")
def purge_user(call: Call, user_id: str):
    deps.container().users.purge(user_id)
    return no_content()
