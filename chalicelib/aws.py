"""Lazy boto3 clients, built on first use and reused for the life of the Lambda container."""

from __future__ import annotations

import threading
from typing import Any

import boto3
from botocore.config import Config

# The one client configuration, for our account's clients and the hosting accounts' alike: standard
# retries (throttling and transient errors, with backoff and a retry quota) and short timeouts, so a
# stuck connection is retried instead of using up the API's 29 s Lambda timeout.
CLIENT_CONFIG = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=3, read_timeout=10)


class AwsClients:
    """One instance per container; never creates a client at import time (moto must start first)."""

    def __init__(self, session: boto3.session.Session | None = None) -> None:
        self._session = session
        self._made: dict[str, Any] = {}
        self._lock = threading.Lock()

    @property
    def session(self) -> boto3.session.Session:
        if self._session is None:
            self._session = boto3.session.Session()
        return self._session

    def client(self, service: str) -> Any:
        return self._cached(service, lambda: self.session.client(service, config=CLIENT_CONFIG))

    def table(self, name: str) -> Any:
        def build() -> Any:
            return self.session.resource("dynamodb", config=CLIENT_CONFIG).Table(name)
        return self._cached(f"table:{name}", build)

    def _cached(self, key: str, build: Any) -> Any:
        made = self._made.get(key)
        if made is None:
            with self._lock:  # the local server is threaded; build each client once
                made = self._made.get(key)
                if made is None:
                    made = self._made[key] = build()
        return made
