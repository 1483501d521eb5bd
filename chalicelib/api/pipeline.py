"""The one request pipeline every route runs through, as named steps:

authenticate -> resolve path ids -> authorize -> check the query -> run the view (idempotently
for a POST with Idempotency-Key) -> problem+json for any failure -> log one line.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pydantic
from chalice import Response
from chalice.app import Request

from .. import deps, metrics
from ..auth.decision import decide
from ..auth.principal import Principal
from ..aws_errors import AWS_ERRORS, dependency_failed
from ..errors import InvalidInput, NotAllowed, NotFound, WorkbenchError
from ..logs import logger
from . import inputs, resources
from .call import Call
from .errors import from_error, problem, validation_problem
from .idempotency import run_idempotent

if TYPE_CHECKING:
    from .routing import RouteSpec

View = Callable[..., Response]
EVERY_MEMBERSHIP = ("authenticated", "anyProject")  # scopes whose decision or service reads all of them


def handle(request: Request, spec: RouteSpec, view: View, params: dict[str, str]) -> Response:
    request_id = (request.context or {}).get("requestId") or str(uuid.uuid4())
    started = time.perf_counter()
    logger.thread_safe_append_keys(request_id=request_id)  # every line of this request (and thread) carries its id
    trace = Trace()
    try:
        response = _run(request, spec, view, params, trace)
    except pydantic.ValidationError as error:
        response = from_error(validation_problem(error), request_id)
    except WorkbenchError as error:
        response = from_error(error, request_id)
    except AWS_ERRORS as error:  # an AWS failure no service anticipated: the caller can only retry
        logger.exception("AWS call failed", extra={"route": f"{spec.method} {spec.path}"})
        response = from_error(dependency_failed(error, "complete the request"), request_id)
    except Exception:  # noqa: BLE001 - the one place an unexpected failure becomes a 500
        logger.exception("unhandled error", extra={"route": f"{spec.method} {spec.path}"})
        response = problem(500, "Internal Server Error", "something went wrong on our side; it is logged",
                           "INTERNAL_ERROR", request_id)
    response.headers["X-Request-Id"] = request_id
    audit(request, spec, trace, response, request_id)
    elapsed = round((time.perf_counter() - started) * 1000, 1)
    logger.info("request", extra={"method": spec.method, "route": spec.path, "status": response.status_code,
                                  "ms": elapsed})
    body = response.body if isinstance(response.body, dict) else {}
    metrics.request(f"{spec.method} {spec.path}", str(body.get("code", "OK")) if response.status_code >= 400
                    else "OK", elapsed)
    logger.thread_safe_remove_keys(["actor", "request_id"])
    return response


@dataclass
class Trace:
    """What the steps learned, for the audit step: who, on what, whether the decision refused."""
    principal: Principal | None = None
    ids: dict[str, str] = field(default_factory=dict)
    call: Call | None = None
    denied: bool = False


def _run(request: Request, spec: RouteSpec, view: View, params: dict[str, str], trace: Trace) -> Response:
    claims = authenticate(request, spec)
    try:
        trace.ids = ids = inputs.path_ids(params)
    except WorkbenchError:
        trace.principal, _ = identify(claims, spec, None)  # a refused caller is told so before a bad id
        raise
    principal, found = identify(claims, spec, ids)
    trace.principal = principal
    try:
        authorize(principal, spec, ids)
    except (NotAllowed, NotFound):
        trace.denied = True
        raise
    trace.call = call = Call(request, principal, spec)
    check_query(spec, call)
    if spec.access.reads and principal is not None:  # only now: a forbidden item is as unseen as a missing one
        call.preloaded = resources.resolve(spec.access.reads, ids, found)
    return execute(call, view, ids)


def audit(request: Request, spec: RouteSpec, trace: Trace, response: Response, request_id: str) -> None:
    """Every mutating request and every refused decision, in one step for every route."""
    if spec.method == "GET" and not trace.denied:
        return
    body = response.body if isinstance(response.body, dict) else {}
    deps.container().audit.request(
        actor=trace.principal.user_id if trace.principal else "anonymous",
        action=spec.access.action or f"{spec.method} {spec.path}", method=spec.method,
        resource=spec.path.format(**trace.ids) if trace.ids.keys() >= _params(spec.path) else spec.path,
        project_id=trace.ids.get(spec.access.param), status=response.status_code,
        decision="DENIED" if trace.denied else "ALLOWED" if response.status_code < 400 else "FAILED",
        code=body.get("code") if response.status_code >= 400 else None, request_id=request_id,
        source_ip=((request.context or {}).get("identity") or {}).get("sourceIp"), body=_body_of(trace.call))


def _params(path: str) -> set[str]:
    return set(re.findall(r"{(\w+)}", path))


def _body_of(call: Call | None) -> dict[str, Any] | None:
    if call is None or call.spec.body is None:
        return None
    try:
        return call.json()
    except WorkbenchError:
        return None  # a body we refused to parse is not recorded


def authenticate(request: Request, spec: RouteSpec) -> dict[str, Any] | None:
    """The token's verified claims (no DynamoDB read yet), None on a public route."""
    if spec.access.scope == "public":
        return None
    return deps.container().token_verifier.verify(inputs.header(request.headers, "authorization"))


def identify(claims: dict[str, Any] | None, spec: RouteSpec,
             ids: dict[str, str] | None) -> tuple[Principal | None, list[dict[str, Any] | None]]:
    """The caller, read fresh on every request, and the item of the route's declared resource.

    A route that needs every membership (`/me`, lists, anyProject) reads the caller's whole partition;
    any other reads the profile, the role in the path's project and the resource in one consistent
    BatchGetItem, so the decision and the read share one DynamoDB round trip."""
    if claims is None:
        return None, []
    access, store = spec.access, deps.container().principals
    found: list[dict[str, Any] | None] = []
    if ids is None or access.scope in EVERY_MEMBERSHIP:
        principal = store.load(claims["sub"])
    else:
        project_id = ids.get(access.param) if access.scope == "project" else None
        principal, found = store.load_in(claims["sub"], project_id, resources.key_of(access.reads, ids))
    logger.thread_safe_append_keys(actor=principal.user_id)
    return principal, found


def authorize(principal: Principal | None, spec: RouteSpec, ids: dict[str, str]) -> None:
    if principal is not None:
        decide(principal, spec.access, ids.get(spec.access.param), deps.container().policy)


def check_query(spec: RouteSpec, call: Call) -> None:
    problems = spec.query_problems(call.query)
    if problems:
        raise InvalidInput("; ".join(f"{p['field']}: {p['message']}" for p in problems), errors=problems)


def execute(call: Call, view: View, ids: dict[str, str]) -> Response:
    key = call.header("idempotency-key")
    if call.spec.method == "POST" and key is not None and call.actor != "anonymous":
        return run_idempotent(deps.container().idempotency, call, inputs.idempotency_key(key),
                              lambda: view(call, **ids))
    return view(call, **ids)
