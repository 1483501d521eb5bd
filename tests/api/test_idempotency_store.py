"""The idempotency record's lease: a request that died frees its key; a live one holds it."""

from __future__ import annotations

import time
import uuid

import pytest

from chalicelib.errors import InvalidState


def test_a_running_request_holds_its_key_until_its_lease_ends(stack):
    from chalicelib import deps
    store, key = deps.container().idempotency, f"test#{uuid.uuid4().hex}"
    assert store.begin(key, "fp") is None
    with pytest.raises(InvalidState) as running:
        store.begin(key, "fp")
    assert running.value.code == "IDEMPOTENCY_IN_PROGRESS"
    # the first request's Lambda died: its lease runs out
    deps.container().app_table.update_item(Key={"pk": f"IDEMPOTENCY#{key}", "sk": "META"},
                                           UpdateExpression="SET leaseUntil = :past",
                                           ExpressionAttributeValues={":past": int(time.time()) - 1})
    assert store.begin(key, "fp") is None  # the retry takes the key over and runs
