"""Small constructors for the responses views return."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chalice import Response

from ..models.base import ApiModel


def _body(value: Any) -> Any:
    return value.to_json() if isinstance(value, ApiModel) else value


def _etag(value: Any) -> dict[str, str | list[str]]:
    etag = getattr(value, "etag", None)
    return {"ETag": etag} if etag else {}


def ok(value: Any) -> Response:
    return Response(body=_body(value), status_code=200, headers=_etag(value))


def created(value: Any, location: str) -> Response:
    return Response(body=_body(value), status_code=201, headers={"Location": location, **_etag(value)})


def no_content() -> Response:
    return Response(body="", status_code=204)


def page(items: Sequence[Any], token: str | None) -> Response:
    body: dict[str, Any] = {"data": [_body(i) for i in items]}
    if token:
        body["paginationToken"] = token
    return Response(body=body, status_code=200)
