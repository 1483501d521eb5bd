"""Where an uploaded file may go: a key inside its dataset's prefix, or a per-file error (no I/O)."""

from __future__ import annotations

import unicodedata

MAX_KEY_BYTES = 1024  # S3's limit on an object key, in UTF-8 bytes


def problem(path: str, prefix: str) -> str | None:
    """Why `path` cannot be a file of the dataset at `prefix`; None when it can."""
    if not path or not path.strip():
        return "the path is empty"
    if path.startswith("/"):
        return "the path must be relative to the dataset (no leading /)"
    if "\\" in path:
        return "use / between folders, not \\"
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in path):
        return "the path has control or invisible characters"
    segments = path.split("/")
    if any(s in ("", ".", "..") for s in segments):
        return "the path has an empty, '.' or '..' folder"
    if len((prefix + path).encode("utf-8")) > MAX_KEY_BYTES:
        return f"the path is longer than S3 allows ({MAX_KEY_BYTES} bytes with the dataset's prefix)"
    return None
