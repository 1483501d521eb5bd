"""Idempotency-Key on POST: the same key and body replay the first response; nothing runs twice."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from chalice import Response

from ..repositories.idempotency import IdempotencyStore
from .call import Call


def run_idempotent(store: IdempotencyStore, call: Call, key: str, execute: Callable[[], Response]) -> Response:
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


def _fingerprint(call: Call) -> str:
    canonical = json.dumps(call.json(), sort_keys=True, separators=(",", ":")).encode()
    # Chalice's request.path is the route template: the path parameters must be in the fingerprint
    # too, or one key would replay a response for another project or user.
    target = json.dumps({"route": f"{call.spec.method} {call.spec.path}", "params": call.request.uri_params or {}},
                        sort_keys=True)
    return hashlib.sha256(f"{target}\n".encode() + canonical).hexdigest()
