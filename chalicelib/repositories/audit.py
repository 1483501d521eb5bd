"""Audit events in the app table: `AUDIT#<id>`, listed by time through the indexes, expired by TTL.

byType holds every event (gsiSort = time#id), byParent a project's, byOwner an actor's and byStatus
an action's, each in time order, so `since`/`until` is a key condition on every list.
"""

from __future__ import annotations

import time
from typing import Any

from boto3.dynamodb.conditions import Key

from ..models.audit import AuditEvent
from .base import PageRequest, json_safe, paged_query, to_item
from .cursor import CursorCodec
from .filtered_query import Filter, plan

RETENTION_DAYS = 400  # more than a year: an annual review still finds last year's events


class AuditRepository:
    def __init__(self, table: Any, cursor: CursorCodec) -> None:
        self._table = table
        self._cursor = cursor

    def add(self, event: AuditEvent) -> None:
        sort = f"{event.time.isoformat()}#{event.id}"
        item = {"pk": f"AUDIT#{event.id}", "sk": "META", **to_item(event), "gsiType": "audit", "gsiSort": sort,
                "gsiOwner": f"audit#{event.actor}", "gsiStatus": f"audit#{event.action}",
                "expiresAt": int(time.time()) + RETENTION_DAYS * 86400}
        if event.project_id:
            item["gsiParent"] = f"audit#{event.project_id}"
        self._table.put_item(Item=json_safe(item))

    def query(self, page: PageRequest, *, actor: str | None, project_id: str | None, action: str | None,
              since: str | None, until: str | None) -> tuple[list[AuditEvent], str | None]:
        """Newest first; the most selective filter picks the index, the others filter its pages."""
        query = plan([Filter("byParent", "gsiParent", f"audit#{project_id}", "projectId", project_id),
                      Filter("byOwner", "gsiOwner", f"audit#{actor}", "actor", actor),
                      Filter("byStatus", "gsiStatus", f"audit#{action}", "action", action)],
                     ("byType", "gsiType", "audit"))
        if since or until:  # every audit index sorts by time#id
            query["KeyConditionExpression"] &= Key("gsiSort").between(since or "0", (until or "9") + "~")
        scope = f"audit:{query['IndexName']}:{project_id}:{actor}:{action}:{since}:{until}"
        return paged_query(self._table, self._cursor, page, scope, AuditEvent.model_validate,
                           ScanIndexForward=False, **query)
