"""Runs an Automation document's mainSteps the way SSM does, calling AWS APIs through moto."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC
from typing import TYPE_CHECKING, Any

from botocore import xform_name

from .accounts import EmulationStopped, make_client
from .ssm_expressions import (
    as_api_strings,
    choice_matches,
    duration_seconds,
    select,
    substitute,
    to_json_ready,
    typed_output,
)

if TYPE_CHECKING:
    from .ssm_execution import AutomationExecution

WORKER_HEADER = "X-Emulation-Automation"
_TROUBLESHOOT = "Please refer to Automation Service Troubleshooting Guide for more diagnosis details."
DEFAULT_TIMEOUT = 3600.0


class StepFailed(Exception):
    status = "Failed"


class StepTimedOut(StepFailed):
    status = "TimedOut"


class Cancelled(Exception):
    pass


class Runner:
    """Executes one AutomationExecution; every state change is written onto the execution."""

    def __init__(self, execution: AutomationExecution, time_scale: float, poll: float) -> None:
        self.execution = execution
        self.time_scale = time_scale
        self.poll = poll
        self._clients: dict[str, Any] = {}

    # ---- control flow -------------------------------------------------------------------
    def run(self) -> None:
        ex = self.execution
        ex.status = "InProgress"
        steps = ex.main_steps
        index, failure = 0, None
        try:
            while 0 <= index < len(steps):
                self._check_cancel()
                step = steps[index]
                status, next_name, message = self._run_step(step)
                if status == "Success":
                    if _flag(step.get("isEnd")):
                        break
                    target = next_name or step.get("nextStep")
                    index = self._index_of(target) if target else index + 1
                    continue
                if _flag(step.get("isCritical", True)) and failure is None:
                    failure = (status, message)
                on_failure = str(step.get("onFailure", "Abort"))
                if on_failure.startswith("step:"):
                    index = self._index_of(on_failure[len("step:"):])
                elif on_failure == "Continue" and not _flag(step.get("isEnd")):
                    index += 1
                else:
                    break
        except Cancelled:
            failure = ("Cancelled", None)
        except StepFailed as exc:  # e.g. nextStep names a step the document lacks
            failure = failure or (exc.status, str(exc))
        except Exception as exc:  # never leave an execution InProgress forever
            failure = failure or ("Failed", f"Internal error running the document: {exc}")
        ex.finish(*(failure or ("Success", None)))

    def _index_of(self, name: str) -> int:
        for i, step in enumerate(self.execution.main_steps):
            if step.get("name") == name:
                return i
        raise StepFailed(f"Step {name} is not defined in the document")

    def _run_step(self, step: dict[str, Any]) -> tuple[str, str | None, str | None]:
        ex = self.execution
        record = ex.begin_step(step)
        attempts = max(1, int(step.get("maxAttempts", 1)))
        status, message, next_name = "Failed", None, None
        for _ in range(attempts):
            try:
                self._check_cancel()
                inputs = substitute(step.get("inputs") or {}, ex.variables)
                record.inputs = inputs
                action = _ACTIONS.get(step.get("action", ""))
                if action is None:
                    raise StepFailed(f"Unsupported action {step.get('action')!r}")
                outputs, next_name = action(self, step, inputs)
                record.outputs = {k: as_api_strings(v) for k, v in outputs.items()}
                for key, value in outputs.items():
                    ex.variables[f"{step['name']}.{key}"] = value
                ex.end_step(record, "Success")
                return "Success", next_name, None
            except (Cancelled, EmulationStopped) as exc:
                ex.end_step(record, "Cancelled", None)
                raise Cancelled() from exc
            except StepFailed as exc:
                status, message = exc.status, str(exc)
            except Exception as exc:  # an AWS error, a bad selector, an unknown variable ...
                status, message = "Failed", f"{exc}. {_TROUBLESHOOT}"
        ex.end_step(record, status, message)
        if not str(message).startswith("Step "):
            message = f"Step fails when it is executing step {step.get('name')}. {message}"
        return status, None, message

    # ---- helpers ------------------------------------------------------------------------
    def _check_cancel(self) -> None:
        if self.execution.cancel_event.is_set():
            raise Cancelled()

    def _sleep(self, seconds: float) -> None:
        if self.execution.cancel_event.wait(max(seconds, 0.0)):
            raise Cancelled()

    def _scaled(self, seconds: float) -> float:
        return seconds * self.time_scale

    def client(self, service: str) -> Any:
        if service not in self._clients:
            ex = self.execution
            client = make_client(service, ex.access_key, ex.region, ex.endpoint_url)
            client.meta.events.register("before-call", self._stop_if_cancelled)
            client.meta.events.register("before-sign", self._mark_request)
            self._clients[service] = client
        return self._clients[service]

    def _stop_if_cancelled(self, **_: Any) -> None:
        if self.execution.cancel_event.is_set():
            raise EmulationStopped("automation execution was cancelled")

    def _mark_request(self, request: Any, **_: Any) -> None:
        request.headers[WORKER_HEADER] = self.execution.id  # lets reads skip waiting on us

    def call_api(self, inputs: dict[str, Any], skip: tuple[str, ...] = ()) -> Any:
        service, api = inputs.get("Service"), inputs.get("Api")
        if not service or not api:
            raise StepFailed("Inputs Service and Api are required")
        params = {
            k: v for k, v in inputs.items() if k not in ("Service", "Api", *skip)
        }
        client = self.client(str(service).lower())
        shape = client.meta.service_model.operation_model(str(api)).input_shape
        return to_json_ready(getattr(client, xform_name(str(api)))(**coerce(shape, params)))


# ---- actions: each returns (outputs, next step name or None) ---------------------------
def _execute_aws_api(runner: Runner, step: dict[str, Any], inputs: dict[str, Any]) -> Any:
    response = runner.call_api(inputs)
    outputs = {}
    for output in step.get("outputs") or []:
        value = select(response, output["Selector"])
        if value is not None:
            outputs[output["Name"]] = typed_output(value, output.get("Type", "String"))
    return outputs, None


_PROPERTY_INPUTS = ("PropertySelector", "DesiredValues")


def _property_value(runner: Runner, inputs: dict[str, Any]) -> tuple[Any, list[str], bool]:
    response = runner.call_api(inputs, skip=_PROPERTY_INPUTS)
    value = select(response, inputs["PropertySelector"])
    desired = [str(v) for v in inputs.get("DesiredValues") or []]
    values = value if isinstance(value, list) else [value]
    matched = bool(values) and all(v is not None and str(v) in desired for v in values)
    return value, desired, matched


def _wait_for_property(runner: Runner, step: dict[str, Any], inputs: dict[str, Any]) -> Any:
    timeout = runner._scaled(float(step.get("timeoutSeconds", DEFAULT_TIMEOUT)))
    deadline = time.monotonic() + timeout
    interval = max(runner._scaled(runner.poll), 0.01)
    while True:
        value, desired, matched = _property_value(runner, inputs)
        if matched:
            return {}, None
        if time.monotonic() >= deadline:
            raise StepTimedOut(
                f"Step timed out while step is verifying the resource property. "
                f"Property {inputs['PropertySelector']} is {value!r}, expected one of {desired}."
            )
        runner._sleep(min(interval, max(deadline - time.monotonic(), 0.0)))


def _assert_property(runner: Runner, step: dict[str, Any], inputs: dict[str, Any]) -> Any:
    value, desired, matched = _property_value(runner, inputs)
    if not matched:
        raise StepFailed(
            f"Step fails when it is verifying the resource properties. Property "
            f"{inputs['PropertySelector']} is {value!r}, expected one of {desired}."
        )
    return {}, None


def _branch(runner: Runner, step: dict[str, Any], inputs: dict[str, Any]) -> Any:
    raw = step.get("inputs") or {}
    for choice in raw.get("Choices") or []:
        if choice_matches(choice, runner.execution.variables):
            return {}, choice["NextStep"]
    if raw.get("Default"):
        return {}, raw["Default"]
    raise StepFailed("None of the Choices matched and no Default step is specified.")


def _sleep(runner: Runner, step: dict[str, Any], inputs: dict[str, Any]) -> Any:
    if "Duration" in inputs:
        seconds = duration_seconds(str(inputs["Duration"]))
    elif "Timestamp" in inputs:
        from datetime import datetime

        until = datetime.fromisoformat(str(inputs["Timestamp"]).replace("Z", "+00:00"))
        seconds = (until - datetime.now(UTC)).total_seconds()
    else:
        raise StepFailed("aws:sleep needs a Duration or a Timestamp input")
    runner._sleep(runner._scaled(seconds))
    return {}, None


_ACTIONS: dict[str, Callable[[Runner, dict[str, Any], dict[str, Any]], Any]] = {
    "aws:executeAwsApi": _execute_aws_api,
    "aws:waitForAwsResourceProperty": _wait_for_property,
    "aws:assertAwsResourceProperty": _assert_property,
    "aws:branch": _branch,
    "aws:sleep": _sleep,
}


def coerce(shape: Any, value: Any) -> Any:
    """Convert document values to the API's input types, as SSM does ("3" for an integer ...)."""
    kind = getattr(shape, "type_name", None)
    if kind == "structure" and isinstance(value, dict):
        return {k: coerce(shape.members.get(k), v) for k, v in value.items()}
    if kind == "list" and isinstance(value, list):
        return [coerce(shape.member, v) for v in value]
    if kind == "map" and isinstance(value, dict):
        return {k: coerce(shape.value, v) for k, v in value.items()}
    if kind == "string" and isinstance(value, (int, float, bool)):
        return str(value).lower() if isinstance(value, bool) else str(value)
    if kind in ("integer", "long") and isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    if kind == "boolean" and isinstance(value, str):
        return value.lower() == "true"
    return value


def _flag(value: Any) -> bool:
    return value if isinstance(value, bool) else str(value).lower() == "true"
