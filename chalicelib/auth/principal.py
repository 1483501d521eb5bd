"""Who is calling: the profile and every project role, read fresh on each request."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import NotAllowed
from ..models.users import User

if TYPE_CHECKING:  # the repositories pull in boto3, which the app's import does not need
    from ..repositories.users import UserRepository


@dataclass(frozen=True)
class Principal:
    user: User
    memberships: dict[str, str] = field(default_factory=dict)  # projectId -> role
    # False when only the role in the request's own project was read (see PrincipalStore.load_in):
    # enough for a decision on that project, never for "which projects is the caller in".
    complete: bool = True

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
        return self._admit(user, memberships, complete=True)

    def load_in(self, user_id: str, project_id: str | None,
                also: Sequence[tuple[Any, dict[str, str]]] = ()) -> tuple[Principal, list[dict[str, Any] | None]]:
        """The caller with their role in `project_id` only, and the items `also` names, in one consistent
        BatchGetItem: a removed membership or a disabled user still counts from the very next request."""
        user, memberships, found = self._users.with_role_in(user_id, project_id, also)
        return self._admit(user, memberships, complete=False), found

    @staticmethod
    def _admit(user: User | None, memberships: dict[str, str], complete: bool) -> Principal:
        if user is None:
            raise NotAllowed("your sign-in is valid but you are not registered in the workbench",
                             code="USER_NOT_REGISTERED", hint="Ask an IT admin to add you with POST /users.")
        if user.status != "ACTIVE":
            raise NotAllowed("your account is disabled", code="USER_INACTIVE",
                             hint="Ask an IT admin to re-activate your account.")
        return Principal(user=user, memberships=memberships, complete=complete)
