"""Each dataset's file index (`DATASET#<id>` / `FILE#<path>`) and its totals on the dataset item.

A row and the totals change in one transaction, and only when the event is newer than what the row
saw (S3's per-key `sequencer`): a replayed event finds its own sequencer and changes nothing, an
older one arriving late finds a newer one. A deletion leaves a tombstone with its sequencer, so a
late "created" cannot bring a deleted file back.
"""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Attr, Key

from ..models.datasets import DatasetFile
from .base import PageRequest, paged_query
from .cursor import CursorCodec


class ConcurrentChange(Exception):
    """Retry me: the queue redelivers the message."""


def order(sequencer: str) -> str:
    """S3 sequencers compare as hex numbers: left-pad to compare them as strings."""
    return sequencer.rjust(32, "0")


class DatasetFileRepository:
    def __init__(self, table: Any, cursor: CursorCodec) -> None:
        self._table = table
        self._cursor = cursor

    def record(self, dataset_id: str, path: str, *, size: int, etag: str, modified: str, sequencer: str) -> bool:
        """An object was written; False when the index already knew this or a newer state."""
        old = self._row(dataset_id, path)
        if old is not None and not _newer(old, sequencer, etag, size):
            return False
        alive = old is not None and not old.get("deleted")
        row = {"pk": f"DATASET#{dataset_id}", "sk": f"FILE#{path}", "path": path, "size": size, "etag": etag,
               "lastModified": modified, "sequencer": order(sequencer)}
        delta = (0 if alive else 1, size - (int(old["size"]) if alive and old else 0))
        return self._apply(dataset_id, {"Put": {"TableName": self._table.name, "Item": row,
                                                **_unchanged_since(old)}}, delta, modified)

    def forget(self, dataset_id: str, path: str, *, sequencer: str, modified: str) -> bool:
        """An object was deleted; False when it was not in the index or a newer state is."""
        old = self._row(dataset_id, path)
        if old is None or old.get("deleted") or order(sequencer) < str(old.get("sequencer", "")):
            return False
        tombstone = {"pk": f"DATASET#{dataset_id}", "sk": f"FILE#{path}", "path": path, "deleted": True,
                     "sequencer": order(sequencer), "size": 0}
        return self._apply(dataset_id, {"Put": {"TableName": self._table.name, "Item": tombstone,
                                                **_unchanged_since(old)}}, (-1, -int(old["size"])), modified)

    def list(self, dataset_id: str, page: PageRequest, prefix: str = "") -> tuple[list[DatasetFile], str | None]:
        return paged_query(self._table, self._cursor, page, f"files:{dataset_id}:{prefix}", DatasetFile.model_validate,
                           KeyConditionExpression=Key("pk").eq(f"DATASET#{dataset_id}")
                           & Key("sk").begins_with(f"FILE#{prefix}"),
                           FilterExpression=Attr("deleted").not_exists())

    def _row(self, dataset_id: str, path: str) -> dict[str, Any] | None:
        return self._table.get_item(Key={"pk": f"DATASET#{dataset_id}", "sk": f"FILE#{path}"},
                                    ConsistentRead=True).get("Item")

    def _apply(self, dataset_id: str, write: dict[str, Any], delta: tuple[int, int], modified: str) -> bool:
        totals = {"Update": {
            "TableName": self._table.name, "Key": {"pk": f"DATASET#{dataset_id}", "sk": "META"},
            "UpdateExpression": "ADD objectCount :n, totalBytes :b SET lastUpdatedAt = :at",
            "ConditionExpression": "attribute_exists(pk)",
            "ExpressionAttributeValues": {":n": delta[0], ":b": delta[1], ":at": modified}}}
        try:
            self._table.meta.client.transact_write_items(TransactItems=[write, totals])
        except self._table.meta.client.exceptions.TransactionCanceledException as error:
            reasons = [r.get("Code") for r in error.response.get("CancellationReasons") or []]
            if len(reasons) > 1 and reasons[1] == "ConditionalCheckFailed":
                return False  # the dataset is gone: nothing to count
            # Another event for this file changed the row since we read it: raise, so the queue
            # redelivers this one and it is judged again against the new row.
            raise ConcurrentChange(f"file index row of dataset {dataset_id} changed meanwhile") from None
        return True


def _newer(old: dict[str, Any], sequencer: str, etag: str, size: int) -> bool:
    seen = str(old.get("sequencer", ""))
    if order(sequencer) != seen:
        return order(sequencer) > seen
    # The same sequencer: a replay, unless the content differs (emulators that reuse one sequencer).
    return bool(old.get("deleted")) or old.get("etag") != etag or int(old.get("size", -1)) != size


def _unchanged_since(old: dict[str, Any] | None) -> dict[str, Any]:
    """The row must still be as we read it: two events for one file never both count."""
    if old is None:
        return {"ConditionExpression": "attribute_not_exists(pk)"}
    return {"ConditionExpression": "#seq = :seen", "ExpressionAttributeNames": {"#seq": "sequencer"},
            "ExpressionAttributeValues": {":seen": old["sequencer"]}}
