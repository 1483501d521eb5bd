"""Routes anyone may call: /health and /openapi.json."""

from __future__ import annotations

from chalice import Blueprint, Response

from .. import deps
from ..auth.decision import Access
from .openapi import document
from .routing import ROUTES, Call, endpoint

bp = Blueprint(__name__)


@endpoint(bp, "GET", "/health", access=Access(None, "public"), summary="Liveness plus DynamoDB reachability")
def health(call: Call):
    c = deps.container()
    checks = {}
    for name, table in (("appTable", c.app_table), ("authorizationTable", c.auth_table)):
        try:
            table.get_item(Key={"pk": "HEALTH", "sk": "CHECK"})
            checks[name] = "ok"
        except Exception as error:  # noqa: BLE001 - health reports, never raises
            checks[name] = f"error: {type(error).__name__}"
    healthy = all(v == "ok" for v in checks.values())
    return Response(body={"status": "ok" if healthy else "degraded", "checks": checks},
                    status_code=200 if healthy else 503)


@endpoint(bp, "GET", "/openapi.json", access=Access(None, "public"), summary="This API's OpenAPI 3.1 document")
def openapi(call: Call):
    return Response(body=document(tuple(ROUTES)), status_code=200)
