"""Counts the AWS requests a boto3 session sends (bench and tests: round trips per API request)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import boto3


class CallCounter:
    def __init__(self, session: boto3.session.Session) -> None:
        self.calls: Counter[str] = Counter()
        session.events.register("before-call", self._count)  # once per API call, whatever its protocol

    def _count(self, model: Any, **_: Any) -> None:
        self.calls[model.name] += 1

    def reset(self) -> None:
        self.calls.clear()

    @property
    def total(self) -> int:
        return sum(self.calls.values())
