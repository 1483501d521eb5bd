"""Who is calling: the profile and every project role, read fresh on each request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from boto3.dynamodb.conditions import Key

from ..errors import NotAllowed
from ..repositories.base import plain


@dataclass(frozen=True)
class Principal:
    user_id: str
    username: str
    status: str
    roles: frozenset[str]
    memberships: dict[str, str] = field(default_factory=dict)  # projectId -> role
    profile: dict[str, Any] = field(default_factory=dict, compare=False)  # the stored profile, as read

    @property
    def is_it_admin(self) -> bool:
        return "ITAdmin" in self.roles


class PrincipalStore:
    def __init__(self, table: Any) -> None:
        self._table = table

    def load(self, user_id: str) -> Principal:
        """One consistent query: the profile plus all memberships, so a change made a moment ago
        (a removed membership, a disabled user) applies to this very request."""
        items = self._table.query(KeyConditionExpression=Key("pk").eq(f"USER#{user_id}"),
                                  ConsistentRead=True).get("Items", [])
        profile = next((i for i in items if i["sk"] == "PROFILE"), None)
        if profile is None:
            raise NotAllowed("your sign-in is valid but you are not registered in the workbench",
                             code="USER_NOT_REGISTERED", hint="Ask an IT admin to add you with POST /users.")
        if profile.get("status") != "ACTIVE":
            raise NotAllowed("your account is disabled", code="USER_INACTIVE",
                             hint="Ask an IT admin to re-activate your account.")
        memberships = {i["projectId"]: i["role"] for i in items if i["sk"].startswith("MEMBER#")}
        return Principal(user_id=user_id, username=profile.get("username", ""), status=profile["status"],
                         roles=frozenset(profile.get("roles", [])), memberships=memberships,
                         profile=plain(profile))
