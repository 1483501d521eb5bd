"""The small JSON file that lets an interrupted upload resume: per file, its multipart upload and the
ETag of every part S3 already has. Written after each part, so a Ctrl-C loses at most parts in flight."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from .config import config_dir, read_json, write_private


def default_state_file(dataset_id: str) -> Path:
    return config_dir() / "uploads" / f"{dataset_id}.json"


class ResumeState:
    def __init__(self, path: Path, dataset_id: str) -> None:
        self.path = path
        data = read_json(path)
        self.files: dict[str, dict[str, Any]] = data.get("files", {}) if data.get("datasetId") == dataset_id else {}
        self.dataset_id = dataset_id
        self._lock = threading.Lock()

    def entry(self, key: str, source: Path, size: int, mtime_ns: int) -> dict[str, Any]:
        """The saved entry for `key`, or a fresh one if the local file is another one or has changed."""
        with self._lock:
            saved = self.files.get(key)
            if not saved or (saved.get("source"), saved.get("size"), saved.get("mtimeNs")) != (str(source), size,
                                                                                               mtime_ns):
                saved = self.files[key] = {"source": str(source), "size": size, "mtimeNs": mtime_ns, "parts": {}}
            return saved

    def started(self, key: str, upload_id: str, part_size: int) -> dict[str, str]:
        """Records the multipart upload; returns the finished parts that still count (same upload)."""
        with self._lock:
            entry = self.files[key]
            if (entry.get("uploadId"), entry.get("partSize")) != (upload_id, part_size):
                entry.update(uploadId=upload_id, partSize=part_size, parts={})
            self._save()
            return dict(entry["parts"])

    def part_done(self, key: str, part_number: int, etag: str) -> None:
        with self._lock:
            self.files[key]["parts"][str(part_number)] = etag
            self._save()

    def file_done(self, key: str) -> None:
        with self._lock:
            self.files[key] = {**self.files[key], "done": True, "parts": {}}
            self._save()

    def is_done(self, key: str) -> bool:
        return bool(self.files.get(key, {}).get("done"))

    def unfinished_multipart(self) -> list[tuple[str, str]]:
        return [(k, v["uploadId"]) for k, v in self.files.items() if v.get("uploadId") and not v.get("done")]

    def clear(self) -> None:
        with self._lock:
            self.files = {}
            self.path.unlink(missing_ok=True)

    def _save(self) -> None:
        write_private(self.path, {"datasetId": self.dataset_id, "files": self.files})
