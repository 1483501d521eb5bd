"""The role-to-action policy: which role may do which action.

The defaults below are what a fresh deployment enforces; rows `POLICY` / `ROLE#<role>` in the
authorization table replace a role's actions without a redeploy (read at most once a minute).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

IT_ADMIN, PROJECT_ADMIN, RESEARCHER = "ITAdmin", "ProjectAdmin", "Researcher"

DEFAULT_POLICY: dict[str, frozenset[str]] = {
    IT_ADMIN: frozenset({
        "account:create", "account:read", "account:update", "account:delete", "account:verify",
        "costCenter:create", "costCenter:read", "costCenter:update", "costCenter:delete",
        "project:create", "project:read", "project:update", "project:delete", "project:listAll",
        "projectMember:read", "projectMember:manage",
        "user:create", "user:read", "user:update", "user:purge",
        "environmentType:update", "environmentType:sync",
        "configuration:create", "configuration:read", "configuration:update", "configuration:delete",
        "configuration:link", "configuration:list", "configuration:listProjects",
        "environment:read", "environment:listAll", "environment:operate", "environment:operateOwn",
        "environment:connect", "dataset:readAny", "audit:read",
    }),
    PROJECT_ADMIN: frozenset({
        "project:read", "project:update", "project:delete",
        "projectMember:read", "projectMember:manage", "user:read", "configuration:read",
        "environment:launch", "environment:read", "environment:operate", "environment:operateOwn",
        "environment:connect", "dataset:read", "dataset:create", "dataset:manage", "dataset:upload", "audit:read",
    }),
    RESEARCHER: frozenset({"project:read", "configuration:read", "environment:launch", "environment:read",
                           "environment:operateOwn", "environment:connect", "dataset:read", "dataset:upload"}),
}


class PolicyStore:
    """Role → actions, from the table when it says so, cached per container for `ttl` seconds."""

    def __init__(self, table: Any, ttl: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._table = table
        self._ttl = ttl
        self._clock = clock
        self._cached: dict[str, frozenset[str]] | None = None
        self._loaded_at = 0.0
        self._lock = threading.Lock()

    def actions(self, role: str) -> frozenset[str]:
        return self.current().get(role, frozenset())

    def current(self) -> dict[str, frozenset[str]]:
        if self._cached is None or self._clock() - self._loaded_at > self._ttl:
            with self._lock:
                items = self._table.query(KeyConditionExpression="pk = :pk",  # a string: no boto3 at import
                                          ExpressionAttributeValues={":pk": "POLICY"}).get("Items", [])
                overrides = {i["sk"].removeprefix("ROLE#"): frozenset(i.get("actions", [])) for i in items}
                self._cached = {**DEFAULT_POLICY, **overrides}
                self._loaded_at = self._clock()
        return self._cached
