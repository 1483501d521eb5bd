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
    report = deps.container().health.check()
    return Response(body=report, status_code=200 if report["status"] == "ok" else 503)


@endpoint(bp, "GET", "/openapi.json", access=Access(None, "public"), summary="This API's OpenAPI 3.1 document")
def openapi(call: Call):
    return Response(body=document(tuple(ROUTES)), status_code=200)
