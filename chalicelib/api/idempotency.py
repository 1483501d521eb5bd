"""Idempotency-Key on POST: the same key and body replay the first response; nothing runs twice."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Callable

from chalice import Response

from .. import deps
from ..errors import InvalidInput

if TYPE_CHECKING:
    from .routing import Call


def run_idempotent(call: "Call", key: str, execute: Callable[[], Response]) -> Response:
    if not 1 <= len(key) <= 64 or not key.isprintable():
        raise InvalidInput("Idempotency-Key must be 1 to 64 printable characters",
                           errors=[{"field": "Idempotency-Key", "message": "1..64 printable characters"}])
    store = deps.container().idempotency
    record_key = f"{call.actor}#{key}"  # keys are per caller: nobody can replay another's response
    stored = store.begin(record_key, _fingerprint(call))
    if stored is not None:
        return Response(body=stored["body"], status_code=stored["status"],
                        headers={**stored["headers"], "Idempotent-Replayed": "true"})
    try:
        response = execute()
    except BaseException:
        store.abandon(record_key)  # a failed attempt may be retried with the same key
        raise
    if 200 <= response.status_code < 300:
        store.complete(record_key, response.status_code, response.body, dict(response.headers or {}))
    else:
        store.abandon(record_key)
    return response


def _fingerprint(call: "Call") -> str:
    raw = call.request.raw_body or b""
    try:
        canonical = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        canonical = raw
    # Chalice's request.path is the route template: the path parameters must be in the fingerprint
    # too, or one key would replay a response for another project or user.
    target = json.dumps({"route": f"{call.spec.method} {call.spec.path}", "params": call.request.uri_params or {}},
                        sort_keys=True)
    return hashlib.sha256(f"{target}\n".encode() + canonical).hexdigest()
