"""SSM Automation: start/get/describe/stop executions that really run the document's steps
in a background thread, as the executing account (see ssm_runner)."""

from __future__ import annotations

import json
import threading
from typing import Any

from moto.core.base_backend import BackendDict, BaseBackend
from moto.core.responses import ActionResult, EmptyResult
from moto.ssm.models import ssm_backends
from moto.ssm.responses import SimpleSystemManagerResponse

from . import runtime, settings, ssm_documents
from .accounts import access_key_for_account, assumed_role_key, caller_from_access_key
from .patching import add
from .ssm_execution import (
    AutomationError,
    AutomationExecution,
    execution_globals,
    resolve_parameters,
)
from .ssm_expressions import substitute
from .ssm_runner import WORKER_HEADER, Runner


class AutomationBackend(BaseBackend):
    """Automation executions of one account and region."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.executions: dict[str, AutomationExecution] = {}
        self.client_tokens: dict[str, str] = {}

    def reset(self) -> None:
        for execution in self.executions.values():  # stale workers must stop touching moto
            execution.cancel_event.set()
        super().reset()

    def start(self, name: str, version: str | None, params: dict[str, list[str]], **kw: Any) -> str:
        token = kw.pop("client_token", None)
        if token and token in self.client_tokens:
            return self.client_tokens[token]
        ssm = ssm_backends[self.account_id][self.region_name]
        document = ssm_documents.automation_document(ssm, name, version)
        parameters, variables = resolve_parameters(document.content_json, params)
        execution = AutomationExecution(
            self.account_id, self.region_name, document, name,
            parameters=parameters, variables=variables, **kw,
        )
        variables.update(execution_globals(execution))
        assume = substitute(document.content_json.get("assumeRole") or "", variables)
        if assume:  # the execution acts as AutomationAssumeRole, as SSM does
            execution.access_key = assumed_role_key(
                self.account_id, assume, f"Automation-{execution.id}"[:64], self.region_name
            )
        self.executions[execution.id] = execution
        if token:
            self.client_tokens[token] = execution.id
        current = settings.current()
        runner = Runner(execution, current.effective_time_scale, current.poll_interval_seconds)
        execution.thread = runtime.spawn(runner.run, f"automation-{execution.id}")
        return execution.id

    def get(self, execution_id: str) -> AutomationExecution:
        execution = self.executions.get(execution_id)
        if execution is None:
            raise AutomationError(
                "AutomationExecutionNotFoundException",
                f"Automation Execution {execution_id} not found",
            )
        return execution

    def stop(self, execution_id: str) -> AutomationExecution:
        execution = self.get(execution_id)
        if execution.done:
            raise AutomationError(
                "InvalidAutomationStatusUpdateException",
                f"Automation Execution {execution_id} is already in terminal state "
                f"{execution.status}",
            )
        execution.status = "Cancelling"
        execution.cancel_event.set()
        return execution

    def describe(self, filters: list[dict[str, Any]]) -> list[AutomationExecution]:
        found = sorted(self.executions.values(), key=lambda e: e.start, reverse=True)
        for item in filters:
            found = [e for e in found if _filter_matches(e, item["Key"], item["Values"])]
        return found


automation_backends = BackendDict(AutomationBackend, "ssm")


def _filter_matches(execution: AutomationExecution, key: str, values: list[str]) -> bool:
    bare_name = execution.document_name.split("document/")[-1]
    checks = {
        "ExecutionStatus": lambda: execution.status in values,
        "DocumentNamePrefix": lambda: any(
            execution.document_name.startswith(v) or bare_name.startswith(v) for v in values
        ),
        "ExecutionId": lambda: execution.id in values,
        "CurrentAction": lambda: execution._current().get("CurrentAction") in values,
        "StartTimeBefore": lambda: execution.start.isoformat() <= max(values),
        "StartTimeAfter": lambda: execution.start.isoformat() >= min(values),
        "TagKey": lambda: any(t["Key"] in values for t in execution.tags),
        "AutomationType": lambda: "Local" in values,
    }
    if key not in checks:
        raise AutomationError("InvalidFilterKey", f"The filter key {key} is not valid")
    return checks[key]()


# ---- API handlers added to moto's SSM response class ---------------------------------------
class AutomationResponses:
    """Methods copied onto SimpleSystemManagerResponse (moto dispatches by method name)."""

    def _automation(self: Any) -> AutomationBackend:
        return automation_backends[self.current_account][self.region]

    def _wait_if_synchronous(self: Any, execution: AutomationExecution) -> None:
        from_worker = self.headers.get(WORKER_HEADER) or threading.current_thread().name.startswith(
            "automation-"
        )
        if settings.current().synchronous and not from_worker:
            execution.wait(settings.current().sync_timeout_seconds)

    def start_automation_execution(self: Any) -> ActionResult:
        body = json.loads(self.body or "{}")
        caller = caller_from_access_key(self.get_access_key(), self.current_account, self.region)
        key = self.get_access_key() if caller.identified else access_key_for_account(
            self.current_account, self.region
        )
        endpoint = None  # in-process the worker's boto3 calls are intercepted by mock_aws
        if self.is_werkzeug_request:  # server mode: call back into this server over HTTP
            endpoint = settings.current().endpoint_url or f"http://{self.headers.get('Host')}"
        execution_id = self._automation().start(
            body["DocumentName"], body.get("DocumentVersion"), body.get("Parameters") or {},
            client_token=body.get("ClientToken"), tags=body.get("Tags"),
            executed_by=caller.arn, access_key=key, endpoint_url=endpoint,
        )
        return ActionResult({"AutomationExecutionId": execution_id})

    def get_automation_execution(self: Any) -> ActionResult:
        execution = self._automation().get(self._get_param("AutomationExecutionId"))
        self._wait_if_synchronous(execution)
        return ActionResult({"AutomationExecution": execution.to_dict()})

    def describe_automation_executions(self: Any) -> ActionResult:
        found = self._automation().describe(self._get_param("Filters") or [])
        if settings.current().synchronous:
            for execution in found:
                self._wait_if_synchronous(execution)
        start = int(self._get_param("NextToken") or 0)
        size = int(self._get_param("MaxResults") or 50)
        page = found[start : start + size]
        token = str(start + size) if start + size < len(found) else None
        return ActionResult(
            {"AutomationExecutionMetadataList": [e.to_metadata() for e in page], "NextToken": token}
        )

    def stop_automation_execution(self: Any) -> EmptyResult:
        execution = self._automation().stop(self._get_param("AutomationExecutionId"))
        self._wait_if_synchronous(execution)
        return EmptyResult()


def install() -> None:
    """Add the Automation handlers to moto's SSM responses; resolve shared document ARNs."""
    for name, member in vars(AutomationResponses).items():
        if callable(member) and not name.startswith("__"):
            add(SimpleSystemManagerResponse, name, member)
    ssm_documents.install()
