"""Scheduled reconciliation: status stays true even when events are lost, and never stays stuck.

The schedule only fans out (events/fan_out.py, shared with the account sync): one queue message
per hosting account, so a slow or unreachable account delays no other. Each account's unit reads
the real state in pages (automation runs ten to a call, instances a page at a time), repairs drift,
fails what is past its deadline, and stamps lastReconciledAt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .. import metrics
from ..aws_errors import AWS_ERRORS, error_code
from ..errors import NotFound
from ..events.fan_out import Sweep
from ..logs import logger
from ..models.base import now
from ..models.environments import Environment
from ..repositories.accounts import AccountRepository
from ..repositories.environments import EnvironmentRepository
from ..services.environment_events import AUTOMATION_OWNED, EnvironmentEvents
from . import states
from .automation import Automation
from .drivers import NativeState, driver_for

RECONCILE = Sweep("workbench.reconcile", "Reconcile Hosting Account")
RECORD_OUTPUTS = ("ProvisionProduct.RecordId", "TerminateProvisionedProduct.RecordId")
FINISHED = {"Success": True, "Failed": False, "TimedOut": False, "Cancelled": False, "CompletedWithFailure": False}


@dataclass
class Outcome:
    checked: int = 0
    repaired: list[str] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)
    aws_calls: int = 0


class Reconciler:
    def __init__(self, envs: EnvironmentRepository, accounts: AccountRepository, automation: Automation,
                 events: EnvironmentEvents, clock: Callable[[], datetime] = now) -> None:
        self._envs = envs
        self._accounts = accounts
        self._automation = automation
        self._events = events
        self._clock = clock

    def reconcile_account(self, account_id: str) -> Outcome:
        outcome = Outcome()
        try:
            account = self._accounts.get(account_id)
        except NotFound:
            return outcome  # deleted since the fan-out
        envs = {e.id: e for e in self._envs.batch_get(self._envs.live_ids_for_account(account_id))}
        if not envs:
            return outcome
        try:
            session = self._automation.session(account)
            self._runs(session, envs, outcome)
            self._instances(session, envs, outcome)
        except AWS_ERRORS as error:  # unreachable: only deadlines can be judged without the account
            logger.warning("hosting account unreachable during reconciliation",
                           extra={"accountId": account_id, "code": error_code(error)})
        self._deadlines(envs, outcome)
        stamp = self._clock().isoformat()
        for env in envs.values():
            self._envs.stamp(env.id, {"lastReconciledAt": stamp}, expected_status=env.status)
        outcome.checked = len(envs)
        metrics.count("DriftRepaired", len(outcome.repaired))
        metrics.count("DeadlinesHit", len(outcome.overdue))
        return outcome

    def _runs(self, session: Any, envs: dict[str, Environment], outcome: Outcome) -> None:
        awaited = {e.automation_execution_id: e for e in envs.values()
                   if e.status in ("PENDING", "TERMINATING") and e.automation_execution_id}
        if not awaited:
            return
        runs = self._automation.executions(session, list(awaited))
        outcome.aws_calls += (len(awaited) + 9) // 10
        for run_id, env in awaited.items():
            run = runs.get(run_id)
            succeeded = FINISHED.get(run["AutomationExecutionStatus"]) if run else None
            if run is None or succeeded is None:
                continue  # still running (or not visible yet): its event or the deadline will decide
            message = "" if succeeded else (self._record_error(session, run, outcome)
                                            or str(run.get("FailureMessage") or ""))
            if env.status == "PENDING":
                product = run.get("Outputs", {}).get("ProvisionProduct.ProvisionedProductId", [""])[0]
                updated = self._events.finish_launch(env, succeeded, message, product)
            else:
                updated = self._events.finish_terminate(env, succeeded, message)
            if updated is not None:
                envs[env.id] = updated
                outcome.repaired.append(env.id)

    @staticmethod
    def _record_error(session: Any, run: dict[str, Any], outcome: Outcome) -> str:
        """The Service Catalog record's own error, as the lost event would have carried it (the run's
        FailureMessage only says which step noticed that the record failed)."""
        outputs = run.get("Outputs") or {}
        record = next((outputs[k][0] for k in RECORD_OUTPUTS if outputs.get(k) and outputs[k][0]), "")
        if not record:
            return ""
        outcome.aws_calls += 1
        try:
            detail = session.client("servicecatalog").describe_record(Id=record).get("RecordDetail", {})
        except AWS_ERRORS:
            return ""
        errors = detail.get("RecordErrors") or []
        return str(errors[0].get("Description") or "") if errors else ""

    def _instances(self, session: Any, envs: dict[str, Environment], outcome: Outcome) -> None:
        watched = [e for e in envs.values() if e.instance_id and e.status not in AUTOMATION_OWNED]
        for driver_name in sorted({e.driver for e in watched}):
            seen = {s.instance_id: s for s in driver_for(driver_name).list_instances(session)}
            outcome.aws_calls += max(1, (len(seen) + 99) // 100)
            for env in (e for e in watched if e.driver == driver_name):
                state = seen.get(env.instance_id or "") or NativeState(
                    env.instance_id or "", "missing", "FAILED",
                    f"the instance {env.instance_id} no longer exists in the hosting account (deleted outside "
                    "the workbench); terminate this environment to clean up")
                updated = self._events.observe(env, state)
                if updated is not None:
                    envs[env.id] = updated
                    outcome.repaired.append(env.id)

    def _deadlines(self, envs: dict[str, Environment], outcome: Outcome) -> None:
        current = self._clock()
        for env in list(envs.values()):
            if not states.overdue(env, current):
                continue
            minutes = int(states.DEADLINES[env.status].total_seconds() // 60)
            reason = (f"no confirmation that {env.status.lower()} finished within {minutes} minutes; "
                      f"retry the action, or ask an IT admin to look at the hosting account")
            updated = self._envs.transition(env, states.failure_of(env.status), reason, expected=(env.status,),
                                            at=current)
            if updated is not None:
                envs[env.id] = updated
                outcome.overdue.append(env.id)
