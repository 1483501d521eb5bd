"""Dispatches platform-events messages; a failing message never takes good ones back to the queue.

Chalice 1.34 has no partial-batch response: when any message of a batch fails, the handler
deletes the ones that succeeded and then raises, so Lambda returns only the failed ones to the
queue, and after maxReceiveCount deliveries SQS moves them to the dead-letter queue.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import metrics
from ..logs import logger

Handler = Callable[[dict[str, Any]], Any]


@dataclass(frozen=True)
class Record:
    body: str
    receipt_handle: str
    queue_arn: str


class PoisonMessages(Exception):
    """Some messages failed; they go back to the queue (and in time to its dead-letter queue)."""


class Dispatcher:
    def __init__(self, routes: dict[tuple[str, str | None], Handler], sqs: Any,
                 applied: Callable[[dict[str, Any], Any], None] = lambda event, result: None) -> None:
        self._routes = routes  # (source, detail-type) or (source, None) for every type of a source
        self._sqs = sqs
        self._applied = applied  # told what each handler did (the audit trail's system events)
        self._urls: dict[str, str] = {}

    def handle(self, records: list[Record]) -> None:
        done, failed = [], 0
        for record in records:
            try:
                self.dispatch(json.loads(record.body))
                done.append(record)
            except Exception:  # noqa: BLE001 - logged; the message is retried, then dead-lettered
                failed += 1
                logger.exception("platform event failed", extra={"body": record.body[:500]})
        if failed:
            metrics.count("PoisonMessages", failed)
            self._delete(done)
            raise PoisonMessages(f"{failed} of {len(records)} messages failed")

    def dispatch(self, event: dict[str, Any]) -> Any:
        source: str = event.get("source") or ""
        kind: str | None = event.get("detail-type")
        handler = self._routes.get((source, kind)) or self._routes.get((source, None))
        if handler is None:
            logger.info("platform event with no handler ignored", extra={"source": source, "detailType": kind})
            return None
        result = handler(event)
        self._applied(event, result)
        return result

    def _delete(self, records: list[Record]) -> None:
        for start in range(0, len(records), 10):
            batch = records[start:start + 10]
            if batch:
                self._sqs.delete_message_batch(QueueUrl=self._url(batch[0].queue_arn), Entries=[
                    {"Id": str(i), "ReceiptHandle": r.receipt_handle} for i, r in enumerate(batch)])

    def _url(self, arn: str) -> str:
        if arn not in self._urls:
            _, _, _, _, account, name = arn.split(":", 5)
            self._urls[arn] = self._sqs.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)["QueueUrl"]
        return self._urls[arn]
