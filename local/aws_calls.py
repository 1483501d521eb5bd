"""Counts the AWS requests a boto3 session sends (bench and tests: round trips per API request)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import boto3


class CallCounter:
    def __init__(self, session: boto3.session.Session) -> None:
        self.calls: Counter[str] = Counter()
        session.events.register("before-send", self._count)

    def _count(self, request: Any, **_: Any) -> None:
        target = request.headers.get("X-Amz-Target", b"")
        target = target.decode() if isinstance(target, bytes) else target
        self.calls[target.split(".")[-1] or request.url.split("?")[0].rsplit("/", 1)[-1]] += 1

    def reset(self) -> None:
        self.calls.clear()

    @property
    def total(self) -> int:
        return sum(self.calls.values())
