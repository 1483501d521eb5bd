"""Who is calling: the profile and every project role, read fresh on each request."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import NotAllowed
from ..models.users import User
from ..repositories.users import UserRepository


@dataclass(frozen=True)
class Principal:
    user: User
    memberships: dict[str, str] = field(default_factory=dict)  # projectId -> role

    @property
    def user_id(self) -> str:
        return self.user.id

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(self.user.roles)

    @property
    def is_it_admin(self) -> bool:
        return "ITAdmin" in self.roles


class PrincipalStore:
    def __init__(self, users: UserRepository) -> None:
        self._users = users

    def load(self, user_id: str) -> Principal:
        """One consistent read of the caller's partition: refused unless registered and active."""
        user, memberships = self._users.with_roles(user_id)
        if user is None:
            raise NotAllowed("your sign-in is valid but you are not registered in the workbench",
                             code="USER_NOT_REGISTERED", hint="Ask an IT admin to add you with POST /users.")
        if user.status != "ACTIVE":
            raise NotAllowed("your account is disabled", code="USER_INACTIVE",
                             hint="Ask an IT admin to re-activate your account.")
        return Principal(user=user, memberships=memberships)
