"""Declared routes: every route states its access rule, and one pipeline enforces it.

A route is registered only through `endpoint`, which records a RouteSpec (used by the OpenAPI
document and the generated authorization tests) and wraps the view in the pipeline:
verify the token -> load the principal -> decide -> (idempotency) -> view -> problem+json.
"""

from __future__ import annotations

import functools
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any, Callable, NamedTuple, get_args

import pydantic
from chalice import Blueprint, Response
from chalice.app import Request

from .. import deps
from ..auth.decision import Access, decide
from ..auth.principal import Principal
from ..errors import InvalidInput, WorkbenchError
from ..logs import logger
from ..repositories.base import PageRequest
from .errors import from_error, problem, validation_problem
from .idempotency import run_idempotent

JSON_TYPES = ["application/json", "application/merge-patch+json"]


class QueryParam(NamedTuple):
    """A filter a list route takes; `choices` (when given) are its only valid values."""
    name: str
    choices: tuple[str, ...] = ()

    @classmethod
    def of(cls, name: str, literal: Any = None) -> "QueryParam":
        return cls(name, tuple(get_args(literal)) if literal is not None else ())


@dataclass(frozen=True)
class RouteSpec:
    method: str
    path: str
    access: Access
    summary: str
    body: type[pydantic.BaseModel] | None = None
    response: Any = None
    status: int = 200
    query: tuple[QueryParam, ...] = ()
    paginated: bool = False

    @property
    def allowed_query(self) -> frozenset[str]:
        return frozenset(q.name for q in self.query) | ({"pageSize", "paginationToken"} if self.paginated else set())

    def query_problems(self, given: dict[str, str]) -> list[dict[str, str]]:
        problems = [{"field": q, "message": "unknown query parameter"} for q in sorted(set(given) - self.allowed_query)]
        problems += [{"field": q.name, "message": f"must be one of {', '.join(q.choices)}"}
                     for q in self.query if q.choices and q.name in given and given[q.name] not in q.choices]
        return problems


ROUTES: list[RouteSpec] = []


class Call:
    """What a view needs from the request, parsed and validated."""

    def __init__(self, request: Request, principal: Principal | None, spec: RouteSpec) -> None:
        self.request = request
        self.principal = principal
        self.spec = spec
        self.query = dict(request.query_params or {})

    @property
    def actor(self) -> str:
        return self.principal.user_id if self.principal else "anonymous"

    def body(self) -> Any:
        raw = self.request.raw_body or b""
        try:
            data = json.loads(raw) if raw.strip() else {}
        except ValueError as error:
            raise InvalidInput(f"the body is not valid JSON: {error}", code="MALFORMED_JSON") from None
        if not isinstance(data, dict):
            raise InvalidInput("the body must be a JSON object", code="MALFORMED_JSON")
        assert self.spec.body is not None, "route declared no body model"
        return self.spec.body.model_validate(data)

    def page(self) -> PageRequest:
        size = self.query.get("pageSize", "50")
        if not _plain_digits(size) or not 1 <= int(size) <= 100:
            raise InvalidInput("pageSize must be a whole number from 1 to 100",
                               errors=[{"field": "pageSize", "message": "must be 1..100"}])
        return PageRequest(size=int(size), token=self.query.get("paginationToken"))

    def if_match(self) -> int | None:
        value = (self.request.headers.get("if-match") or "").strip()
        if not value or value == "*":
            return None
        digits = value.removeprefix("W/").strip('"')
        if not _plain_digits(digits):
            raise InvalidInput("If-Match must be an etag this API returned, e.g. \"3\"",
                               errors=[{"field": "If-Match", "message": "not an etag"}])
        return int(digits)


def _plain_digits(text: str) -> bool:
    """ASCII 0-9 only: str.isdigit() also accepts '²', which int() then refuses."""
    return text.isascii() and text.isdecimal()


def endpoint(bp: Blueprint, method: str, path: str, *, access: Access, summary: str,
             body: type[pydantic.BaseModel] | None = None, response: Any = None, status: int = 200,
             query: tuple[str | QueryParam, ...] = (), paginated: bool = False) -> Callable:
    params = tuple(q if isinstance(q, QueryParam) else QueryParam(q) for q in query)
    spec = RouteSpec(method, path, access, summary, body, response, status, params, paginated)
    ROUTES.append(spec)

    def decorate(view: Callable[..., Response]) -> Callable[..., Response]:
        @functools.wraps(view)
        def handler(**params: str) -> Response:
            return handle(bp.current_request, spec, view, params)
        handler.route_spec = spec  # type: ignore[attr-defined]
        bp.route(path, methods=[method], content_types=JSON_TYPES)(handler)
        return handler
    return decorate


def handle(request: Request, spec: RouteSpec, view: Callable[..., Response], params: dict[str, str]) -> Response:
    request_id = (request.context or {}).get("requestId") or str(uuid.uuid4())
    started = time.perf_counter()
    principal = None
    logger.append_keys(request_id=request_id)  # every line this request logs carries its id
    try:
        if spec.access.scope != "public":
            c = deps.container()
            claims = c.token_verifier.verify(request.headers.get("authorization"))
            principal = c.principals.load(claims["sub"])
            logger.append_keys(actor=principal.user_id)
            decide(principal, spec.access, params.get("project_id"), c.policy)
        call = Call(request, principal, spec)
        problems = spec.query_problems(call.query)
        if problems:
            raise InvalidInput("; ".join(f"{p['field']}: {p['message']}" for p in problems), errors=problems)
        key = request.headers.get("idempotency-key")
        if spec.method == "POST" and key is not None and principal is not None:
            response = run_idempotent(call, key, lambda: view(call, **params))
        else:
            response = view(call, **params)
    except pydantic.ValidationError as error:
        response = from_error(validation_problem(error), request_id)
    except WorkbenchError as error:
        response = from_error(error, request_id)
    except Exception:  # noqa: BLE001 - the one place an unexpected failure becomes a 500
        logger.exception("unhandled error", extra={"route": f"{spec.method} {spec.path}"})
        response = problem(500, "Internal Server Error", "something went wrong on our side; it is logged",
                           "INTERNAL_ERROR", request_id)
    response.headers["X-Request-Id"] = request_id
    logger.info("request", extra={"method": spec.method, "route": spec.path, "status": response.status_code,
                                  "ms": round((time.perf_counter() - started) * 1000, 1)})
    logger.remove_keys(["actor", "request_id"])
    return response
