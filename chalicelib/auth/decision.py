"""The one authorization decision: may this principal do this action here?"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..errors import NotAllowed, NotFound
from .policy import PolicyStore
from .principal import Principal

# public: no token; authenticated: any active user; global: a global role must grant the action;
# project: a global role or the caller's role in the path's project; anyProject: a global role or
# the caller's role in any project (e.g. project admins looking up users to add).
Scope = Literal["public", "authenticated", "global", "project", "anyProject"]


@dataclass(frozen=True)
class Access:
    action: str | None
    scope: Scope = "global"
    param: str = "project_id"  # with scope "project": the path parameter that names the project
    # The resource the route reads (a name in api/resources.py): the pipeline fetches it in the same
    # consistent round trip as the caller's profile and role, and hands it to the view once allowed.
    reads: str | None = None


def decide(principal: Principal, access: Access, project_id: str | None, policy: PolicyStore) -> None:
    """Returns when allowed; raises NotFound where saying 403 would reveal a project exists."""
    if access.scope in ("public", "authenticated"):
        return
    action = access.action or ""
    if any(action in policy.actions(role) for role in principal.roles):
        return
    if access.scope == "project":
        role = principal.memberships.get(project_id or "")
        if role is None:
            raise NotFound(f"project {project_id} not found", code="PROJECT_NOT_FOUND")
        if action in policy.actions(role):
            return
        raise NotAllowed(f"your role {role} in project {project_id} does not allow {action}",
                         code="ACTION_NOT_ALLOWED")
    if access.scope == "anyProject" and any(action in policy.actions(r) for r in principal.memberships.values()):
        return
    raise NotAllowed(f"you are not allowed to {action}", code="ACTION_NOT_ALLOWED")


def may_operate(principal: Principal, project_id: str, policy: PolicyStore) -> bool:
    """May the caller start, stop and terminate anyone's environments in the project (not only their own)?"""
    roles = [*principal.roles, *([principal.memberships[project_id]] if project_id in principal.memberships else [])]
    return any("environment:operate" in policy.actions(role) for role in roles)


def dataset_access(project_id: str, owner_project_id: str, shared_level: str | None) -> str:
    """How the path's project may use a dataset: "owner", the level it was shared with, or not at all.

    The caller's role in the path's project was decided by `decide`; this extends that decision to
    the dataset. Not owned and not shared reads as not found, never as forbidden."""
    if owner_project_id == project_id:
        return "owner"
    if shared_level:
        return shared_level
    raise NotFound("dataset not found", code="DATASET_NOT_FOUND")
