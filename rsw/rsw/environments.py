"""Environments: launch, watch until a final status, connect, start/stop/terminate."""

from __future__ import annotations

import builtins
import time
from collections.abc import Callable, Iterator
from typing import Any

from .errors import WaitTimedOut
from .models import Connection, Environment
from .transport import Api

# Where each action's transition ends (API.md, "Environment status"); anything *FAILED is final too.
SETTLED = {"launch": {"COMPLETED"}, "start": {"COMPLETED"}, "stop": {"STOPPED"}, "terminate": {"TERMINATED"}}
POLL_SECONDS = 2.0


def is_final(status: str, action: str = "launch") -> bool:
    return status in SETTLED[action] or status.endswith("FAILED")


class Environments:
    def __init__(self, api: Api, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.api = api
        self.sleep = sleep
        self.clock = clock

    def _path(self, project_id: str, env_id: str = "") -> str:
        return f"/projects/{project_id}/environments" + (f"/{env_id}" if env_id else "")

    def list(self, project_id: str | None = None, status: str | None = None, owner: str | None = None,
             page_size: int | None = None) -> Iterator[Environment]:
        """A project's environments, or every project's (IT admins) when `project_id` is None."""
        path = self._path(project_id) if project_id else "/environments"
        return self.api.iterate(path, {"status": status, "owner": owner}, page_size)  # type: ignore[return-value]

    def get(self, project_id: str, env_id: str) -> Environment:
        return self.api.request("GET", self._path(project_id, env_id))

    def launch(self, project_id: str, name: str, env_type_id: str, env_type_config_id: str,
               description: str | None = None, dataset_ids: builtins.list[str] | None = None) -> Environment:
        body: dict[str, Any] = {"name": name, "envTypeId": env_type_id, "envTypeConfigId": env_type_config_id,
                                "datasetIds": dataset_ids or []}
        if description:
            body["description"] = description
        return self.api.request("POST", self._path(project_id), json=body)

    def start(self, project_id: str, env_id: str) -> Environment:
        return self.api.request("PUT", self._path(project_id, env_id) + "/start")

    def stop(self, project_id: str, env_id: str) -> Environment:
        return self.api.request("PUT", self._path(project_id, env_id) + "/stop")

    def terminate(self, project_id: str, env_id: str) -> Environment:
        return self.api.request("PUT", self._path(project_id, env_id) + "/terminate")

    def connect(self, project_id: str, env_id: str) -> Connection:
        return self.api.request("GET", self._path(project_id, env_id) + "/connections")

    def wait(self, project_id: str, env_id: str, action: str = "launch", timeout: float = 900.0,
             on_change: Callable[[Environment], None] | None = None, poll: float = POLL_SECONDS) -> Environment:
        """Polls until the action's final status (or a *FAILED one); `on_change` sees every new status.

        Returns the final environment (check `status` for FAILED); raises WaitTimedOut past `timeout`.
        """
        deadline = self.clock() + timeout
        seen: tuple[str, str] | None = None
        while True:
            env = self.get(project_id, env_id)
            now = (env.get("status", ""), env.get("statusReason", ""))
            if now != seen and on_change:
                on_change(env)
            seen = now
            if is_final(now[0], action):
                return env
            if self.clock() >= deadline:
                raise WaitTimedOut(f"{env_id} is still {now[0]} after {timeout:g} s", dict(env))
            self.sleep(poll)
