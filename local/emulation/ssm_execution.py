"""Automation execution state as SSM reports it, and how start parameters bind to a document."""

from __future__ import annotations

import json
import re
import threading
import uuid
from datetime import datetime
from typing import Any

from moto.core.common_models import BaseModel
from moto.core.exceptions import ServiceException
from moto.core.utils import utcnow

from .ssm_expressions import as_api_strings, default_parameter, typed_parameter

TERMINAL = {"Success", "Failed", "TimedOut", "Cancelled", "CompletedWithSuccess"}
_NO_OUTPUT = "No output available yet because the step is not successfully executed"


class AutomationError(ServiceException):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)


class StepRecord:
    """One StepExecution of an automation."""

    def __init__(self, step: dict[str, Any]) -> None:
        self.step = step
        self.status = "InProgress"
        self.start = utcnow()
        self.end: Any = None
        self.inputs: dict[str, Any] = {}
        self.outputs: dict[str, list[str]] = {}
        self.failure_message: str | None = None
        self.id = str(uuid.uuid4())

    def to_dict(self) -> dict[str, Any]:
        step = self.step
        result = {
            "StepName": step.get("name"),
            "Action": step.get("action"),
            "OnFailure": step.get("onFailure", "Abort"),
            "MaxAttempts": int(step.get("maxAttempts", 1)),
            "ExecutionStartTime": self.start,
            "ExecutionEndTime": self.end,
            "StepStatus": self.status,
            "Inputs": {k: json.dumps(v) for k, v in self.inputs.items()},
            "Outputs": self.outputs or None,
            "FailureMessage": self.failure_message,
            "StepExecutionId": self.id,
            "IsEnd": bool(step.get("isEnd", False)),
            "IsCritical": step.get("isCritical", True) not in (False, "false"),
            "NextStep": step.get("nextStep"),
        }
        if "timeoutSeconds" in step:
            result["TimeoutSeconds"] = int(step["timeoutSeconds"])
        return {k: v for k, v in result.items() if v is not None}


class AutomationExecution(BaseModel):
    def __init__(self, account_id: str, region: str, document: Any, name: str, **kw: Any):
        self.id = str(uuid.uuid4())
        self.account_id, self.region, self.document_name = account_id, region, name
        self.document_version = document.document_version
        self.main_steps: list[dict[str, Any]] = document.content_json.get("mainSteps") or []
        self.doc_outputs: list[str] = document.content_json.get("outputs") or []
        self.parameters: dict[str, list[str]] = kw["parameters"]
        self.variables: dict[str, Any] = kw["variables"]
        self.executed_by: str = kw["executed_by"]
        self.access_key: str = kw["access_key"]
        self.endpoint_url: str | None = kw["endpoint_url"]
        self.tags: list[dict[str, str]] = kw.get("tags") or []
        self.status, self.start = "Pending", utcnow()
        self.end: datetime | None = None
        self.steps: list[StepRecord] = []
        self.outputs: dict[str, list[str]] = {}
        self.failure_message: str | None = None
        self.cancel_event = threading.Event()
        self.thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def done(self) -> bool:
        return self.status in TERMINAL

    def begin_step(self, step: dict[str, Any]) -> StepRecord:
        record = StepRecord(step)
        with self._lock:
            self.steps.append(record)
        return record

    def end_step(self, record: StepRecord, status: str, message: str | None = None) -> None:
        record.status, record.failure_message, record.end = status, message, utcnow()

    def finish(self, status: str, message: str | None) -> None:
        for key in self.doc_outputs:
            value = self.variables.get(key)
            self.outputs[key] = [_NO_OUTPUT] if value is None else as_api_strings(value)
        self.failure_message = message
        self.end = utcnow()
        self.status = status

    def wait(self, timeout: float) -> None:
        if self.thread is not None and self.thread is not threading.current_thread():
            self.thread.join(timeout)

    def _current(self) -> dict[str, Any]:
        running = [s for s in self.steps if s.status == "InProgress"]
        if not running or self.done:
            return {}
        return {"CurrentStepName": running[-1].step.get("name"),
                "CurrentAction": running[-1].step.get("action")}

    def to_metadata(self) -> dict[str, Any]:
        result = {
            "AutomationExecutionId": self.id,
            "DocumentName": self.document_name,
            "DocumentVersion": self.document_version,
            "AutomationExecutionStatus": self.status,
            "ExecutionStartTime": self.start,
            "ExecutionEndTime": self.end,
            "ExecutedBy": self.executed_by,
            "Outputs": self.outputs,
            "Mode": "Auto",
            "FailureMessage": self.failure_message,
            "AutomationType": "Local",
            **self._current(),
        }
        return {k: v for k, v in result.items() if v is not None}

    def to_dict(self) -> dict[str, Any]:
        result = {
            **self.to_metadata(),
            "StepExecutions": [s.to_dict() for s in list(self.steps)],
            "StepExecutionsTruncated": False,
            "Parameters": self.parameters,
        }
        result.pop("AutomationType")
        return {k: v for k, v in result.items() if v is not None}


def execution_globals(execution: AutomationExecution) -> dict[str, Any]:
    now = utcnow()
    return {
        "automation:EXECUTION_ID": execution.id,
        "automation:AUTOMATION_EXECUTION_ID": execution.id,
        "global:ACCOUNT_ID": execution.account_id,
        "global:REGION": execution.region,
        "global:AWS_PARTITION": "aws",
        "global:AWS_URL_SUFFIX": "amazonaws.com",
        "global:DATE": now.strftime("%Y-%m-%d"),
        "global:DATE_TIME": now.strftime("%Y-%m-%d_%H.%M.%S"),
    }


def resolve_parameters(content: dict[str, Any], given: dict[str, list[str]]) -> tuple[Any, Any]:
    declared: dict[str, Any] = content.get("parameters") or {}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise _invalid_params(f"Parameters {unknown} are not defined in the document.")
    api_values, typed = {}, {}
    for name, spec in declared.items():
        kind = spec.get("type", "String")
        if name in given:
            typed[name] = typed_parameter(list(given[name]), kind)
        elif "default" in spec:
            typed[name] = default_parameter(spec["default"], kind)
        else:
            raise _invalid_params(f"Parameter {name} is required but was not provided.")
        allowed = spec.get("allowedValues")
        for value in as_api_strings(typed[name]):
            if allowed and value not in [str(a) for a in allowed]:
                raise _invalid_params(f"Parameter {name} value {value} is not one of {allowed}.")
            pattern = spec.get("allowedPattern")
            if pattern and not re.fullmatch(pattern, value):
                raise _invalid_params(f"Parameter {name} value {value} does not match {pattern}.")
        api_values[name] = as_api_strings(typed[name])
    return api_values, typed


def _invalid_params(message: str) -> AutomationError:
    return AutomationError("InvalidAutomationExecutionParametersException", message)
