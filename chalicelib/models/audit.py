"""Audit events: who did what, when, to which resource, and what the workbench decided."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from .base import ApiModel

Decision = Literal["ALLOWED", "DENIED", "FAILED", "SYSTEM"]


class AuditEvent(ApiModel):
    id: str
    time: datetime
    actor: str                      # a user's id, or "system" for schedules and event handlers
    action: str                     # the route's declared action (e.g. project:update) or the event's
    method: str | None = None
    resource: str                   # the request path with its ids, or what the event was about
    project_id: str | None = None
    decision: Decision
    status: int | None = None       # the HTTP status answered
    code: str | None = None         # the problem's code when refused or failed
    request_id: str | None = None
    source_ip: str | None = None
    changes: dict[str, Any] | None = None  # the request body, credentials masked
