"""Answers Chalice and API Gateway would otherwise give in their own formats, as problem+json.

- A method a path does not have: API Gateway only routes the methods an app registers (any other
  is its "Missing Authentication Token"), so every path registers the remaining methods here, and
  they answer 405 with `Allow`, deployed and local alike.
- Anything Chalice itself answers (its {"Code", "Message"} errors): rewritten by `problem_middleware`.
An unknown path never reaches Lambda: .chalice/gateway-responses.json answers it at the gateway.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any

from chalice import Chalice, Response

from .errors import problem
from .routing import console_cors

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def register_method_fallbacks(app: Chalice, routes: Iterable[Any]) -> None:
    by_path: dict[str, set[str]] = {}
    for route in routes:
        by_path.setdefault(route.path, set()).add(route.method)
    for number, (path, methods) in enumerate(sorted(by_path.items())):
        others = [m for m in METHODS if m not in methods]
        if others:
            route = app.route(path, methods=others, content_types=["*/*"], cors=console_cors())
            route(_not_allowed(app, number, sorted(methods)))


def _not_allowed(app: Chalice, number: int, allowed: list[str]) -> Callable[..., Response]:
    def view(**_params: str) -> Response:
        request = app.current_request
        response = problem(405, "Method Not Allowed",
                           f"{request.method if request else 'this method'} is not supported here; "
                           f"use {', '.join(allowed)}", "METHOD_NOT_ALLOWED", _request_id(app))
        response.headers["Allow"] = ", ".join(allowed)
        return response
    view.__name__ = f"method_not_allowed_{number}"  # Chalice names API Gateway methods after views
    view.fallback_for = allowed  # type: ignore[attr-defined]
    return view


def problem_middleware(app: Chalice) -> Callable[[Any, Callable[[Any], Response]], Response]:
    """An error Chalice produced itself (not through the pipeline) becomes problem+json too."""
    def middleware(event: Any, get_response: Callable[[Any], Response]) -> Response:
        response = get_response(event)
        if response.status_code >= 400 and not _is_problem(response):
            body = response.body if isinstance(response.body, dict) else {}
            code = "".join(f"_{c}" if c.isupper() else c for c in str(body.get("Code", "Error"))).strip("_").upper()
            rewritten = problem(response.status_code, str(body.get("Code", "Error")),
                                str(body.get("Message", "the request failed")), code, _request_id(app))
            # CORS headers too: without them the console's browser hides the problem from the console.
            rewritten.headers.update({k: v for k, v in (response.headers or {}).items()
                                      if k.lower() in ("allow", "www-authenticate")
                                      or k.lower().startswith("access-control-")})
            return rewritten
        return response
    return middleware


def _is_problem(response: Response) -> bool:
    return any(k.lower() == "content-type" and isinstance(v, str) and v.startswith("application/problem+json")
               for k, v in (response.headers or {}).items())


def _request_id(app: Chalice) -> str:
    request = app.current_request
    return ((request.context or {}).get("requestId") if request else None) or str(uuid.uuid4())



