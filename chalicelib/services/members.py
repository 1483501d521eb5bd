"""Project membership: who holds ProjectAdmin or Researcher in a project."""

from __future__ import annotations

from ..auth.principal import Principal
from ..errors import InvalidState
from ..models.base import now
from ..models.memberships import AddMembership, Membership, ProjectUser
from ..models.users import Me, MembershipView
from ..repositories.base import PageRequest
from ..repositories.memberships import MembershipRepository
from ..repositories.projects import ProjectRepository
from ..repositories.users import UserRepository


class MemberService:
    def __init__(self, memberships: MembershipRepository, projects: ProjectRepository,
                 users: UserRepository) -> None:
        self._memberships = memberships
        self._projects = projects
        self._users = users

    def add(self, actor: str, project_id: str, user_id: str, request: AddMembership) -> tuple[Membership, bool]:
        """The membership as it now stands, and whether the user was not a member before."""
        self._projects.get(project_id)
        user = self._users.get(user_id)
        if user.status != "ACTIVE":
            raise InvalidState(f"user {user_id} is {user.status}", code="USER_NOT_ACTIVE")
        return self._memberships.grant(Membership(user_id=user_id, project_id=project_id, role=request.role,
                                                  created_at=now(), created_by=actor))

    def remove(self, project_id: str, user_id: str) -> None:
        self._projects.get(project_id)
        self._memberships.remove(user_id, project_id)

    def list(self, project_id: str, page: PageRequest, role: str | None) -> tuple[list[ProjectUser], str | None]:
        self._projects.get(project_id)
        memberships, token = self._memberships.list_for_project(project_id, page, role)
        users = {u.id: u for u in self._users.batch_get(m.user_id for m in memberships)}
        return [ProjectUser(id=m.user_id, role=m.role, first_name=users[m.user_id].first_name,
                            last_name=users[m.user_id].last_name, email=users[m.user_id].email,
                            status=users[m.user_id].status)
                for m in memberships if m.user_id in users], token

    def me(self, principal: Principal) -> Me:
        user = principal.user  # read with the principal: no second round trip
        return Me(id=user.id, username=user.username, first_name=user.first_name, last_name=user.last_name,
                  email=user.email, status=user.status, roles=user.roles,
                  projects=[MembershipView(project_id=p, role=r) for p, r in sorted(principal.memberships.items())])
