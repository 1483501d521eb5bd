"""Status from events: automation results and native state changes, applied idempotently.

An event moves an environment only when it is about the run or the instance we know, from the
account that hosts it, and not older than the environment's last change: duplicates, replays,
events spoofed by another onboarded account and stale ones are logged and dropped, never retried.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..errors import NotFound
from ..lifecycle import states
from ..lifecycle.automation import Automation
from ..lifecycle.drivers import NativeState, all_drivers, driver_for
from ..logs import logger
from ..models.base import now as _now
from ..models.environments import Environment
from ..repositories.accounts import AccountRepository
from ..repositories.environments import EnvironmentRepository
from .dataset_mounts import DatasetMounts

AUTOMATION_SOURCE = "workbench.automation"
# Native states an environment in these statuses waits for from its automation run instead.
AUTOMATION_OWNED = frozenset({"PENDING", "TERMINATING", "TERMINATED"})
NATURAL = frozenset({("STOPPING", "STOPPED"), ("STARTING", "COMPLETED"), ("STOPPING", "FAILED"),
                     ("STARTING", "FAILED"), ("COMPLETED", "STOPPING"), ("STOPPED", "STARTING")})


class EnvironmentEvents:
    def __init__(self, envs: EnvironmentRepository, accounts: AccountRepository, automation: Automation,
                 mounts: DatasetMounts) -> None:
        self._envs = envs
        self._accounts = accounts
        self._automation = automation
        self._mounts = mounts

    def apply(self, event: dict[str, Any]) -> bool:
        """True when the event changed an environment; False when it was not for us or changed nothing."""
        if event.get("source") == AUTOMATION_SOURCE:
            return self._automation_result(event)
        for driver in all_drivers():
            state = driver.from_event(event)
            if state is not None:
                return self._native(event, state)
        return False

    def _known(self, env_id: str | None, event: dict[str, Any]) -> Environment | None:
        try:
            env = self._envs.get(env_id or "-")
        except NotFound:
            logger.info("event for an unknown environment dropped", extra={"envId": env_id})
            return None
        if event.get("account") != env.aws_account_id:
            logger.warning("event from an account that does not host the environment dropped",
                           extra={"envId": env.id, "account": event.get("account")})
            return None
        return env

    def _automation_result(self, event: dict[str, Any]) -> bool:
        detail = event.get("detail") or {}
        env = self._known(detail.get("EnvId"), event)
        if env is None or detail.get("AutomationExecutionId") != env.automation_execution_id:
            return False  # not the run we await (an older or a forged one)
        operation, status = detail.get("Operation"), detail.get("Status")
        if operation == "Launch" and env.status == "PENDING":
            return self.finish_launch(env, status == "COMPLETED", str(detail.get("ErrorMessage") or ""),
                                      str(detail.get("ProvisionedProductId") or "")) is not None
        if operation == "Terminate" and env.status == "TERMINATING":
            return self.finish_terminate(env, status == "TERMINATED", str(detail.get("ErrorMessage") or "")) is not None
        return False

    def finish_launch(self, env: Environment, succeeded: bool, message: str, provisioned_product_id: str,
                      at: datetime | None = None) -> Environment | None:
        """Shared by the event path and reconciliation (which reads the run when the event was lost)."""
        changes: dict[str, Any] = {"provisionedProductId": provisioned_product_id or None}
        if succeeded:
            outputs = self._automation.provisioned_outputs(
                self._automation.session(self._accounts.get(env.account_id)), provisioned_product_id)
            changes.update(outputs=outputs, instanceId=driver_for(env.driver).instance_id(outputs))
            target, reason = "COMPLETED", "ready: connect to open it"
        else:
            target, reason = "FAILED", (f"the launch failed: {_sentence(message)}. Terminate this "
                                        "environment and launch again; if it fails again, ask an IT admin.")
        changes = {k: v for k, v in changes.items() if v is not None}
        return self._envs.transition(env, target, reason, expected=("PENDING",), at=at or _now(), changes=changes)

    def finish_terminate(self, env: Environment, succeeded: bool, message: str,
                         at: datetime | None = None) -> Environment | None:
        if succeeded:
            target, reason = "TERMINATED", "terminated"
        else:
            target, reason = "TERMINATING_FAILED", (f"the termination failed: {_sentence(message)}. "
                                                    "Retry terminate; if it fails again, ask an IT admin.")
        moved = self._envs.transition(env, target, reason, expected=("TERMINATING",), at=at or _now())
        return self._mounts.release(moved) if moved is not None and moved.status == "TERMINATED" else moved

    def _native(self, event: dict[str, Any], state: NativeState) -> bool:
        env = self._known(state.env_id, event)
        if env is None or env.instance_id not in (None, state.instance_id):
            return False
        at = _event_time(event)
        # Event times have whole seconds: one from the same second as the last change is only
        # trusted when it is that change's natural next step (STOPPING -> STOPPED, not -> InService).
        same_second = at is not None and at == env.status_changed_at and (env.status, state.status) not in NATURAL
        if at is not None and (at < env.status_changed_at or same_second):
            logger.info("stale state change dropped", extra={"envId": env.id, "native": state.native_status})
            return False
        return self.observe(env, state, at) is not None

    def observe(self, env: Environment, state: NativeState, at: datetime | None = None) -> Environment | None:
        """Move the environment to what the instance says it is (events and reconciliation alike)."""
        target = state.status
        if target is None or env.status in AUTOMATION_OWNED:
            return None
        if target == "FAILED" and env.status in states.TRANSITIONAL:
            target = states.failure_of(env.status)
        if target == env.status or target == "TERMINATING":  # deletion is the terminate run's to report
            return None
        return self._envs.transition(env, target, state.reason, expected=(env.status,), at=at or _now())


def _sentence(message: str) -> str:
    """The cause without its closing period, so the reason reads as one sentence ("…execution. Terminate")."""
    return message.strip().rstrip(".").strip() or "no reason given"


def _event_time(event: dict[str, Any]) -> datetime | None:
    try:
        return datetime.fromisoformat(str(event.get("time", "")).replace("Z", "+00:00"))
    except ValueError:
        return None
