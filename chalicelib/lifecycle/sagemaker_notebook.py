"""The first driver: a SageMaker notebook instance (catalog/sagemaker-notebook.yaml)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from ..hosting import HostingSession
from ..models.environments import Connection, Environment
from .drivers import NativeState, register

SESSION_SECONDS = 900  # the shortest SageMaker allows is 30 minutes of session; the link itself 5 min
URL_LIFETIME = timedelta(minutes=5)  # CreatePresignedNotebookInstanceUrl links are valid for 5 minutes
# Notebook status -> workbench status. "Updating" says nothing about availability.
STATUS = {"InService": "COMPLETED", "Stopped": "STOPPED", "Pending": "STARTING", "Stopping": "STOPPING",
          "Deleting": "TERMINATING", "Failed": "FAILED"}
EVENT = ("aws.sagemaker", "SageMaker Notebook Instance State Change")


class SageMakerNotebook:
    name = "sagemaker-notebook"

    def instance_id(self, outputs: dict[str, str]) -> str | None:
        return outputs.get("NotebookInstanceName")

    def start(self, session: HostingSession, env: Environment) -> None:
        session.client("sagemaker").start_notebook_instance(NotebookInstanceName=env.instance_id)

    def stop(self, session: HostingSession, env: Environment) -> None:
        session.client("sagemaker").stop_notebook_instance(NotebookInstanceName=env.instance_id)

    def connect(self, session: HostingSession, env: Environment) -> Connection:
        answer = session.client("sagemaker").create_presigned_notebook_instance_url(
            NotebookInstanceName=env.instance_id, SessionExpirationDurationInSeconds=max(SESSION_SECONDS, 1800))
        return Connection(url=answer["AuthorizedUrl"],
                          expires_at=datetime.now(UTC).replace(microsecond=0) + URL_LIFETIME,
                          instructions="Open the link within 5 minutes; it signs you in to the notebook's Jupyter. "
                                       "Ask for a new link when it expires.")

    def list_instances(self, session: HostingSession) -> Iterator[NativeState]:
        for page in session.client("sagemaker").get_paginator("list_notebook_instances").paginate(MaxResults=100):
            for notebook in page.get("NotebookInstances", []):
                yield self._state(notebook["NotebookInstanceName"], notebook["NotebookInstanceStatus"])

    def from_event(self, event: dict[str, Any]) -> NativeState | None:
        if (event.get("source"), event.get("detail-type")) != EVENT:
            return None
        detail = event.get("detail") or {}
        tags = detail.get("Tags") or {}
        state = self._state(str(detail.get("NotebookInstanceName", "")), str(detail.get("NotebookInstanceStatus", "")))
        return NativeState(state.instance_id, state.native_status, state.status, state.reason,
                           env_id=tags.get("Env") if isinstance(tags, dict) else None)

    @staticmethod
    def _state(name: str, native: str) -> NativeState:
        reason = f"the notebook {name} is {native}"
        return NativeState(name, native, STATUS.get(native), reason)


register(SageMakerNotebook())
