"""The environment state machine (API.md), with no I/O: what each action does from each status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..errors import InvalidState
from ..models.environments import Environment

FAILED_STATES = frozenset({"FAILED", "STOPPING_FAILED", "STARTING_FAILED", "TERMINATING_FAILED"})
TRANSITIONAL = {"PENDING": "FAILED", "STARTING": "STARTING_FAILED", "STOPPING": "STOPPING_FAILED",
                "TERMINATING": "TERMINATING_FAILED"}
# How long each transitional state may last before reconciliation calls it failed. Launch and
# terminate wait up to an hour inside their automation (WaitForRecord), so they get longer.
DEADLINES = {"PENDING": timedelta(minutes=75), "TERMINATING": timedelta(minutes=75),
             "STARTING": timedelta(minutes=20), "STOPPING": timedelta(minutes=20)}
LIVE = frozenset({"PENDING", "COMPLETED", "STOPPING", "STOPPED", "STARTING", "STARTING_FAILED", "STOPPING_FAILED",
                  "TERMINATING", "TERMINATING_FAILED", "FAILED"})  # everything but TERMINATED


@dataclass(frozen=True)
class Transition:
    allowed_from: frozenset[str]
    becomes: str
    no_op_in: frozenset[str]


TRANSITIONS = {
    "stop": Transition(frozenset({"COMPLETED", "STOPPING_FAILED"}), "STOPPING", frozenset({"STOPPING", "STOPPED"})),
    "start": Transition(frozenset({"STOPPED", "STARTING_FAILED"}), "STARTING", frozenset({"STARTING", "COMPLETED"})),
    "terminate": Transition(frozenset({"STOPPED"}) | FAILED_STATES, "TERMINATING",
                            frozenset({"TERMINATING", "TERMINATED"})),
}


def plan(environment: Environment, action: str) -> str | None:
    """The status the action moves to; None for an allowed no-op; InvalidState otherwise."""
    transition = TRANSITIONS[action]
    if environment.status in transition.no_op_in:
        return None
    if environment.status in transition.allowed_from:
        return transition.becomes
    allowed = actions_in(environment.status)
    raise InvalidState(
        f"environment {environment.id} is {environment.status}: it cannot {action} now",
        code="ENVIRONMENT_INVALID_STATE",
        hint=f"Allowed now: {', '.join(allowed)}." if allowed else "Wait until its current change finishes.")


def actions_in(status: str) -> list[str]:
    found = [a for a, t in TRANSITIONS.items() if status in t.allowed_from]
    return found + (["connect"] if status == "COMPLETED" else [])


def allowed_actions(environment: Environment, caller: str, may_manage: bool) -> list[str]:
    """`may_manage`: the caller is the owner, a ProjectAdmin of its project or an IT admin."""
    is_owner = environment.owner == caller
    return [a for a in actions_in(environment.status)
            if (a == "connect" and is_owner) or (a != "connect" and (may_manage or is_owner))]


def overdue(environment: Environment, now: datetime) -> bool:
    deadline = DEADLINES.get(environment.status)
    return deadline is not None and now - environment.status_changed_at > deadline


def failure_of(status: str) -> str:
    return TRANSITIONAL[status]
