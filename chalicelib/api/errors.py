"""The only place that knows HTTP status codes: domain errors become RFC 9457 problems."""

from __future__ import annotations

from typing import Any

import pydantic
from chalice import Response

from .. import errors

STATUS: dict[type[errors.WorkbenchError], tuple[int, str]] = {
    errors.Unauthenticated: (401, "Unauthorized"),
    errors.NotAllowed: (403, "Forbidden"),
    errors.NotFound: (404, "Not Found"),
    errors.AlreadyExists: (409, "Conflict"),
    errors.InvalidState: (409, "Conflict"),
    errors.InvalidInput: (400, "Bad Request"),
    errors.UnsupportedMediaType: (415, "Unsupported Media Type"),
    errors.ContentTooLarge: (413, "Content Too Large"),
    errors.PreconditionFailed: (412, "Precondition Failed"),
    errors.IdempotencyMismatch: (422, "Unprocessable Content"),
    errors.DependencyFailed: (502, "Bad Gateway"),
}
PROBLEM_TYPE = "urn:research-workbench:problem:"


def problem(status: int, title: str, detail: str, code: str, request_id: str, **extra: Any) -> Response:
    body = {"type": PROBLEM_TYPE + code.lower().replace("_", "-"), "title": title, "status": status,
            "detail": detail, "code": code, "requestId": request_id,
            **{k: v for k, v in extra.items() if v}}
    headers: dict[str, str | list[str]] = {"Content-Type": "application/problem+json"}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="research-workbench"'
    return Response(body=body, status_code=status, headers=headers)


def from_error(error: errors.WorkbenchError, request_id: str) -> Response:
    kind = next((c for c in type(error).__mro__ if c in STATUS), None)
    status, title = STATUS[kind] if kind else (500, "Internal Server Error")
    return problem(status, title, error.detail, error.code, request_id, hint=error.hint, errors=error.errors)


def validation_problem(error: pydantic.ValidationError) -> errors.InvalidInput:
    fields = [{"field": ".".join(str(p) for p in e["loc"]) or "body", "message": _message(e)}
              for e in error.errors(include_url=False)]
    summary = "; ".join(f"{f['field']}: {f['message']}" for f in fields[:5])
    return errors.InvalidInput(f"the request is not valid: {summary}", errors=fields)


def _message(e: Any) -> str:
    if e["type"] == "extra_forbidden":
        return "unknown field"
    if e["type"] == "missing":
        return "required"
    return e["msg"]
