"""DynamoDB: each request is atomic, as on AWS, and a cancelled transaction rolls back in place."""

from __future__ import annotations

import threading
from typing import Any

from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.table import Table
from moto.dynamodb.responses import DynamoHandler

from .patching import original, patch

# moto reads an item, checks the condition, then writes; it cancels a transaction by putting back
# copies of its tables taken at the start. Requests served on parallel threads (ThreadedMotoServer,
# or boto3 under mock_aws called from threads) interleave between those steps: two conditional
# writes both win, and one transaction's restore brings back another's cancelled writes or erases
# its committed ones. One lock for every account and region: local traffic is small, and AWS's
# guarantees are per request. Re-entrant, so a DynamoDB call made while serving one cannot deadlock.
_lock = threading.RLock()


def _call_action(self: DynamoHandler) -> Any:
    # call_action is where every DynamoDB request, in either mode, reaches the backend (dispatch
    # builds a new handler per request and calls it), after parsing and before serialising.
    with _lock:
        return original(DynamoHandler, "call_action")(self)


def _transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    held = dict(self.tables)
    try:
        original(DynamoDBBackend, "transact_write_items")(self, transact_items)
    finally:
        for name, table in held.items():
            _keep_table_object(self, name, table)


def _keep_table_object(backend: DynamoDBBackend, name: str, table: Table) -> None:
    """Undo moto's swap of a rolled-back copy for the table: others hold the table object itself (a
    CloudFormation stack updates its own; a change made to a stale copy would be lost)."""
    rolled_back = backend.tables.get(name)
    if rolled_back is None or rolled_back is table:
        return
    table.items = rolled_back.items
    if table.stream_shard is not None and rolled_back.stream_shard is not None:
        table.stream_shard.items = rolled_back.stream_shard.items
    backend.tables[name] = table


def install() -> None:
    """Serialise moto's DynamoDB request handling; roll transactions back into the live tables."""
    patch(DynamoHandler, "call_action", _call_action)
    patch(DynamoDBBackend, "transact_write_items", _transact_write_items)
