"""The audit trail: one event per mutating request, per denied decision and per system change,
with credentials masked; written to DynamoDB (with a retention TTL) and to the log."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any

from ..auth.principal import Principal
from ..errors import InvalidInput, NotAllowed
from ..logs import logger
from ..models.audit import AuditEvent
from ..models.base import now
from ..repositories.audit import AuditRepository
from ..repositories.base import PageRequest

SECRET = re.compile(r"pass|token|secret|external.?id|authori[sz]ation|credential|url|signature|key$", re.I)
MASK = "***"
MAX_CHANGES = 2000  # characters of a body kept in the trail


def masked(value: Any, depth: int = 0) -> Any:
    """The value with every credential-like field replaced (bodies are bounded to depth 32)."""
    if isinstance(value, dict):
        return {k: MASK if SECRET.search(str(k)) else masked(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [masked(v, depth + 1) for v in value[:50]]
    if isinstance(value, str) and re.search(r"https?://\S*[?&](X-Amz-Signature|authToken|Signature)=", value):
        return MASK  # a pre-signed URL is a credential
    return value


class AuditTrail:
    def __init__(self, events: AuditRepository) -> None:
        self._events = events

    def record(self, event: AuditEvent) -> None:
        logger.info("audit", extra={"audit": event.to_json()})
        try:
            self._events.add(event)
        except Exception:  # noqa: BLE001 - the log line above keeps it; the request's own answer stands
            logger.exception("audit event not stored", extra={"auditId": event.id})

    def request(self, *, actor: str, action: str, method: str, resource: str, project_id: str | None,
                decision: str, status: int, code: str | None, request_id: str, source_ip: str | None,
                body: dict[str, Any] | None) -> None:
        changes = masked(body) if body else None
        if changes is not None and len(str(changes)) > MAX_CHANGES:
            changes = {"truncated": str(changes)[:MAX_CHANGES]}
        self.record(AuditEvent(id=new_audit_id(), time=now(), actor=actor, action=action, method=method,
                               resource=resource, project_id=project_id, decision=decision,
                               status=status, code=code, request_id=request_id, source_ip=source_ip,
                               changes=changes))

    def system(self, action: str, resource: str, project_id: str | None = None,
               detail: dict[str, Any] | None = None) -> None:
        self.record(AuditEvent(id=new_audit_id(), time=now(), actor="system", action=action, resource=resource,
                               project_id=project_id, decision="SYSTEM", changes=masked(detail) if detail else None))

    def event_applied(self, event: dict[str, Any], result: Any) -> None:
        """Event handlers audit as `system`: a status an event changed, drift reconciliation repaired.
        S3 object events are not audited one by one (the file index is their record)."""
        detail = event.get("detail") or {}
        if event.get("source") in ("workbench.automation", "aws.sagemaker") and result is True:
            self.system(f"environment:{event.get('detail-type', 'event')}",
                        f"environment {detail.get('EnvId') or detail.get('NotebookInstanceName', '?')}",
                        detail={"status": detail.get("Status") or detail.get("NotebookInstanceStatus")})
        elif getattr(result, "repaired", None) or getattr(result, "overdue", None):
            self.system("environment:reconcile", f"hosting account {detail.get('accountId', '?')}",
                        detail={"repaired": result.repaired, "overdue": result.overdue})

    def query(self, principal: Principal, page: PageRequest, *, actor: str | None, project_id: str | None,
              action: str | None, since: str | None, until: str | None) -> tuple[list[AuditEvent], str | None]:
        if not principal.is_it_admin:
            administered = {p for p, role in principal.memberships.items() if role == "ProjectAdmin"}
            if not project_id:
                raise InvalidInput("project admins read the trail of one of their projects: add ?projectId=",
                                   errors=[{"field": "projectId", "message": "required for project admins"}])
            if project_id not in administered:
                raise NotAllowed(f"you do not administer project {project_id}", code="ACTION_NOT_ALLOWED")
        return self._events.query(page, actor=actor, project_id=project_id, action=action,
                                  since=_instant("since", since), until=_instant("until", until))


def new_audit_id() -> str:
    return f"audit-{uuid.uuid4()}"


def _instant(field: str, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"{field} must be an ISO 8601 time, e.g. 2026-11-30T12:00:00Z",
                           errors=[{"field": field, "message": "not an ISO 8601 time"}]) from None
    if parsed.tzinfo is None:
        raise InvalidInput(f"{field} needs a time zone (Z for UTC)", errors=[{"field": field, "message": "no zone"}])
    return parsed.astimezone(now().tzinfo).isoformat()
