"""Knobs of the embedded-AWS emulation (speeds, URLs, strictness)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EmulationSettings:
    """How the emulated services behave.

    delay_seconds: length of every emulated transitional phase (Service Catalog record
        IN_PROGRESS, notebook Pending/Stopping/Deleting). 0 makes them complete at once,
        synchronously, and makes reads of automation executions wait for the worker.
    time_scale: multiplier applied to time written in Automation documents (aws:sleep,
        timeoutSeconds, polling). None means 0 when delay_seconds is 0, else 1.
    poll_interval_seconds: how often aws:waitForAwsResourceProperty polls (before scaling).
    notebook_url_base: base of pre-signed notebook URLs, e.g. "http://127.0.0.1:8000/notebooks";
        None gives the AWS form https://<name>.notebook.<region>.sagemaker.aws.
    endpoint_url: in server mode, the URL automation workers call back into moto on; None
        takes the Host of the StartAutomationExecution request. Unused in-process.
    enforce_trust_policies: AssumeRole honours the role's trust policy (role must exist).
    enforce_catalog_principals: Service Catalog end-user APIs require the calling IAM role or
        user to be associated with the portfolio (unidentified callers count as account admin).
    sync_timeout_seconds: with delay_seconds == 0, the longest a read waits for a running
        automation to finish.
    strict_cloudformation: CreateStack, UpdateStack and CreateChangeSet refuse (ValidationError,
        nothing created) a template with a resource type, a property or a GetAtt attribute the
        embedded AWS would skip, drop or leave unresolved instead of deploying it in part.
    """

    delay_seconds: float = 0.0
    time_scale: float | None = None
    poll_interval_seconds: float = 2.0
    notebook_url_base: str | None = None
    endpoint_url: str | None = None
    enforce_trust_policies: bool = True
    enforce_catalog_principals: bool = True
    sync_timeout_seconds: float = 30.0
    strict_cloudformation: bool = False

    @property
    def effective_time_scale(self) -> float:
        if self.time_scale is not None:
            return self.time_scale
        return 0.0 if self.delay_seconds <= 0 else 1.0

    @property
    def synchronous(self) -> bool:
        return self.delay_seconds <= 0


_current = EmulationSettings()


def current() -> EmulationSettings:
    return _current


def apply(settings: EmulationSettings) -> None:
    global _current
    _current = settings
