"""Idempotency records in the app table, expired by DynamoDB TTL after 24 hours."""

from __future__ import annotations

import json
import time
from typing import Any

from botocore.exceptions import ClientError

from ..errors import IdempotencyMismatch, InvalidState
from .base import is_condition_failure, plain

TTL_SECONDS = 24 * 3600
LEASE_SECONDS = 60  # longer than a Lambda invocation: a request that died frees its key after this


class IdempotencyStore:
    def __init__(self, table: Any) -> None:
        self._table = table

    def begin(self, key: str, fingerprint: str) -> dict[str, Any] | None:
        """Claims the key, or returns the stored response of an earlier identical request."""
        now = int(time.time())
        try:
            self._table.put_item(
                Item={**self._key(key), "fingerprint": fingerprint, "state": "IN_PROGRESS",
                      "expiresAt": now + TTL_SECONDS, "leaseUntil": now + LEASE_SECONDS},
                ConditionExpression=("attribute_not_exists(pk) OR expiresAt < :now OR "
                                     "(#s = :running AND leaseUntil < :now AND fingerprint = :fp)"),
                ExpressionAttributeNames={"#s": "state"},
                ExpressionAttributeValues={":now": now, ":running": "IN_PROGRESS", ":fp": fingerprint})
            return None
        except ClientError as error:
            if not is_condition_failure(error):
                raise
        record = plain(self._table.get_item(Key=self._key(key), ConsistentRead=True).get("Item") or {})
        if record.get("fingerprint") != fingerprint:
            raise IdempotencyMismatch("this Idempotency-Key was used with a different request in the last 24 hours",
                                      hint="Use a new key for a new request.")
        if record.get("state") != "COMPLETE":
            raise InvalidState("a request with this Idempotency-Key is still running",
                               code="IDEMPOTENCY_IN_PROGRESS", hint="Retry in a moment.")
        return {"status": record["status"], "body": json.loads(record["body"]), "headers": record["headers"]}

    def complete(self, key: str, status: int, body: Any, headers: dict[str, str | list[str]]) -> None:
        self._table.update_item(
            Key=self._key(key), UpdateExpression="SET #s = :done, #st = :status, body = :body, headers = :headers",
            ExpressionAttributeNames={"#s": "state", "#st": "status"},
            ExpressionAttributeValues={":done": "COMPLETE", ":status": status, ":body": json.dumps(body),
                                       ":headers": headers})

    def abandon(self, key: str) -> None:
        self._table.delete_item(Key=self._key(key))

    @staticmethod
    def _key(key: str) -> dict[str, str]:
        return {"pk": f"IDEMPOTENCY#{key}", "sk": "META"}
