"""Keeps each dataset's file index from S3's object events, and purges a deleted dataset's objects."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote_plus

from ..logs import logger
from ..repositories.dataset_files import DatasetFileRepository
from ..repositories.datasets import DatasetRepository

PURGE_PAGES_PER_MESSAGE = 10  # 10,000 objects per invocation; the rest continues in a new message


class DatasetIndex:
    def __init__(self, datasets: DatasetRepository, files: DatasetFileRepository, s3: Any, bucket: str,
                 enqueue: Callable[[dict], None]) -> None:
        self._datasets = datasets
        self._files = files
        self._s3 = s3
        self._bucket = bucket
        self._enqueue = enqueue

    def apply(self, event: dict[str, Any]) -> bool:
        detail = event.get("detail") or {}
        if (detail.get("bucket") or {}).get("name") != self._bucket:
            return False
        obj = detail.get("object") or {}
        key = str(obj.get("key", ""))
        if "%" in key or "+" in key:  # S3 notification keys are URL-encoded; EventBridge ones may be too
            key = unquote_plus(key)
        owner = self._datasets.owner_of_key(key)
        if owner is None:
            return False  # an object outside every dataset
        dataset_id, prefix = owner
        path, sequencer, modified = key[len(prefix):], str(obj.get("sequencer", "")), _time(event.get("time"))
        if event.get("detail-type") == "Object Deleted":
            return self._files.forget(dataset_id, path, sequencer=sequencer, modified=modified)
        return self._files.record(dataset_id, path, size=int(obj.get("size", 0)),
                                  etag=str(obj.get("etag") or obj.get("eTag") or ""), modified=modified,
                                  sequencer=sequencer)

    def purge(self, event: dict[str, Any]) -> int:
        """Deletes a deleted dataset's objects (the bucket keeps old versions for its retention period)."""
        detail = event.get("detail") or {}
        prefix = str(detail.get("prefix", ""))
        if not prefix.startswith("datasets/") or len(prefix) < len("datasets/x/"):
            logger.warning("purge of an unexpected prefix refused", extra={"prefix": prefix})
            return 0
        deleted = 0
        pages = self._s3.get_paginator("list_objects_v2").paginate(Bucket=self._bucket, Prefix=prefix,
                                                                   PaginationConfig={"PageSize": 1000})
        for number, page in enumerate(pages):
            if number == PURGE_PAGES_PER_MESSAGE:
                self._enqueue(event)  # more to do: continue in a fresh invocation
                break
            keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]
            if keys:
                self._s3.delete_objects(Bucket=self._bucket, Delete={"Objects": keys, "Quiet": True})
                deleted += len(keys)
        return deleted


def _time(value: Any) -> str:
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC).replace(microsecond=0).isoformat()
    text = str(value or "")
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()
    except ValueError:
        return datetime.now(UTC).replace(microsecond=0).isoformat()
