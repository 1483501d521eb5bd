"""The one request pipeline every route runs through, as named steps:

authenticate -> resolve path ids -> authorize -> check the query -> run the view (idempotently
for a POST with Idempotency-Key) -> problem+json for any failure -> log one line.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

import pydantic
from chalice import Response
from chalice.app import Request

from .. import deps
from ..auth.decision import decide
from ..auth.principal import Principal
from ..aws_errors import AWS_ERRORS, dependency_failed
from ..errors import InvalidInput, WorkbenchError
from ..logs import logger
from . import inputs
from .call import Call
from .errors import from_error, problem, validation_problem
from .idempotency import run_idempotent

if TYPE_CHECKING:
    from .routing import RouteSpec

View = Callable[..., Response]


def handle(request: Request, spec: RouteSpec, view: View, params: dict[str, str]) -> Response:
    request_id = (request.context or {}).get("requestId") or str(uuid.uuid4())
    started = time.perf_counter()
    logger.append_keys(request_id=request_id)  # every line this request logs carries its id
    try:
        response = _run(request, spec, view, params)
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
    logger.info("request", extra={"method": spec.method, "route": spec.path, "status": response.status_code,
                                  "ms": round((time.perf_counter() - started) * 1000, 1)})
    logger.remove_keys(["actor", "request_id"])
    return response


def _run(request: Request, spec: RouteSpec, view: View, params: dict[str, str]) -> Response:
    principal = authenticate(request, spec)
    ids = inputs.path_ids(params)
    authorize(principal, spec, ids)
    call = Call(request, principal, spec)
    check_query(spec, call)
    return execute(call, view, ids)


def authenticate(request: Request, spec: RouteSpec) -> Principal | None:
    if spec.access.scope == "public":
        return None
    c = deps.container()
    claims = c.token_verifier.verify(inputs.header(request.headers, "authorization"))
    principal = c.principals.load(claims["sub"])
    logger.append_keys(actor=principal.user_id)
    return principal


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
