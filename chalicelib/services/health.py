"""Is the service able to serve: both tables reachable."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError


class HealthService:
    def __init__(self, tables: dict[str, Any]) -> None:
        self._tables = tables

    def check(self) -> dict[str, Any]:
        checks = {}
        for name, table in self._tables.items():
            try:
                table.get_item(Key={"pk": "HEALTH", "sk": "CHECK"})
                checks[name] = "ok"
            except (ClientError, BotoCoreError):
                checks[name] = "unreachable"  # no detail: the route is public
        return {"status": "ok" if all(v == "ok" for v in checks.values()) else "degraded", "checks": checks}
