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
# S3's pre-signed URLs go to browsers: botocore signs them with SigV2 on the global endpoint unless told
# otherwise, and S3 refuses SigV2 on buckets created since June 2020; the console's CSP (console/template.yaml
# UploadOrigin) admits only the bucket's regional virtual-hosted origin, where no redirect breaks the preflight.
S3_CONFIG = CLIENT_CONFIG.merge(Config(signature_version="s3v4", s3={
    "addressing_style": "virtual", "us_east_1_regional_endpoint": "regional"}))


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
        config = S3_CONFIG if service == "s3" else CLIENT_CONFIG
        return self._cached(service, lambda: self.session.client(service, config=config))

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
