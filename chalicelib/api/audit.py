"""Route for the audit trail."""

from __future__ import annotations

from chalice import Blueprint

from .. import deps
from ..auth.decision import Access
from ..models.audit import AuditEvent
from ..models.base import Page
from .responses import page
from .routing import Call, endpoint

bp = Blueprint(__name__)


@endpoint(bp, "GET", "/auditEvents", access=Access("audit:read", "anyProject"), paginated=True,
          query=("actor", "projectId", "action", "since", "until"), response=Page[AuditEvent],
          summary="Who did what, when, on which resource, with the decision; newest first "
                  "(project admins: ?projectId= of a project they administer)")
def list_audit_events(call: Call):
    q = call.query
    items, token = deps.container().audit.query(call.principal, call.page(), actor=q.get("actor"),
                                                project_id=q.get("projectId"), action=q.get("action"),
                                                since=q.get("since"), until=q.get("until"))
    return page(items, token)
