"""Declared routes: every route states its access rule, and one pipeline enforces it.

A route is registered only through `endpoint`, which records a RouteSpec (used by the OpenAPI
document and the generated authorization tests) and wraps the view in the pipeline (pipeline.py).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple, get_args

import pydantic
from chalice import Blueprint, CognitoUserPoolAuthorizer, CORSConfig, Response
from chalice.app import Authorizer

from ..auth.decision import Access
from ..settings import console_origin, user_pool_arn
from .call import Call
from .pipeline import EVERY_MEMBERSHIP, handle
from .resources import READABLE

__all__ = ["Call", "QueryParam", "RouteSpec", "ROUTES", "endpoint"]
# Chalice's own content-type check would answer 415 in its own format; the pipeline's body parser
# answers it as problem+json instead, so Chalice lets every type through.
ANY_CONTENT = ["*/*"]


@functools.cache
def edge_authorizer() -> Authorizer:
    """The first wall: API Gateway refuses missing, forged and expired tokens before any Lambda runs.

    The scope makes a REST API's Cognito authorizer take access tokens (without one it takes ID
    tokens only). The pipeline verifies the token again and decides per request: the second wall,
    and the only one under `make local`, whose gateway does not check signatures."""
    return CognitoUserPoolAuthorizer("cognito", provider_arns=[user_pool_arn()]).with_scopes(
        ["aws.cognito.signin.user.admin"])


@functools.cache
def console_cors() -> CORSConfig:
    """Browsers may call the API only from the console's origin; one config object, as Chalice
    requires every method of a path to share its CORS settings (the 405 fallbacks use it too)."""
    return CORSConfig(allow_origin=console_origin(), allow_headers=["If-Match", "Idempotency-Key"],
                      expose_headers=["Location"], max_age=600)


class QueryParam(NamedTuple):
    """A filter a list route takes; `choices` (when given) are its only valid values."""
    name: str
    choices: tuple[str, ...] = ()

    @classmethod
    def of(cls, name: str, literal: Any = None) -> QueryParam:
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
    also: tuple[int, ...] = ()  # other success statuses (e.g. 200 when a create finds it exists)

    @property
    def allowed_query(self) -> frozenset[str]:
        return frozenset(q.name for q in self.query) | ({"pageSize", "paginationToken"} if self.paginated else set())

    def query_problems(self, given: dict[str, str]) -> list[dict[str, str]]:
        problems = [{"field": q, "message": "unknown query parameter"} for q in sorted(set(given) - self.allowed_query)]
        problems += [{"field": q.name, "message": f"must be one of {', '.join(q.choices)}"}
                     for q in self.query if q.choices and q.name in given and given[q.name] not in q.choices]
        return problems


ROUTES: list[RouteSpec] = []


def endpoint(bp: Blueprint, method: str, path: str, *, access: Access, summary: str,
             body: type[pydantic.BaseModel] | None = None, response: Any = None, status: int = 200,
             query: tuple[str | QueryParam, ...] = (), paginated: bool = False,
             also: tuple[int, ...] = ()) -> Callable:
    params = tuple(q if isinstance(q, QueryParam) else QueryParam(q) for q in query)
    _check_reads(path, access)
    spec = RouteSpec(method, path, access, summary, body, response, status, params, paginated, also)
    ROUTES.append(spec)

    def decorate(view: Callable[..., Response]) -> Callable[..., Response]:
        @functools.wraps(view)
        def handler(**params: str) -> Response:
            return handle(bp.current_request, spec, view, params)
        handler.route_spec = spec  # type: ignore[attr-defined]
        edge = {} if access.scope == "public" else {"authorizer": edge_authorizer()}
        bp.route(path, methods=[method], content_types=ANY_CONTENT, cors=console_cors(), **edge)(handler)
        return handler
    return decorate


def _check_reads(path: str, access: Access) -> None:
    """A declared resource must be named by the path, on a route whose caller is read by key."""
    if access.reads is None:
        return
    readable = READABLE[access.reads]
    named = {readable.param, *([readable.parent] if readable.parent else [])}
    if access.scope in (*EVERY_MEMBERSHIP, "public") or any(f"{{{p}}}" not in path for p in named):
        raise ValueError(f"{path}: reads={access.reads!r} needs {sorted(named)} in the path and a "
                         f"project or global scope")
