"""Every API request goes through `Api.request`: bearer token (refreshed silently), retries with
backoff where a repeat is safe, and problem+json turned into `ApiError`."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from .errors import ApiError, NotSignedIn

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
SAFE_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})  # idempotent by HTTP's definition
MAX_ATTEMPTS = 4
BASE_DELAY = 0.5
MAX_DELAY = 8.0


def backoff(attempt: int, retry_after: str | None = None) -> float:
    """Full jitter, capped; a server's Retry-After (seconds) wins when it asks for longer."""
    delay = random.uniform(0, min(MAX_DELAY, BASE_DELAY * 2 ** attempt))  # noqa: S311 - jitter, not crypto
    if retry_after and retry_after.isdigit():
        delay = max(delay, min(float(retry_after), MAX_DELAY * 4))
    return delay


def problem_of(response: httpx.Response) -> ApiError:
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        body = {"title": response.reason_phrase, "detail": response.text[:500] or response.reason_phrase}
    return ApiError(response.status_code, body)


class Api:
    """One deployment's API. `token` is asked for before each request, so a refresh is never missed."""

    def __init__(self, base_url: str, token: Callable[[bool], str], http: httpx.Client,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token  # token(force_refresh) -> access token, or NotSignedIn
        self.http = http
        self.sleep = sleep

    def request(self, method: str, path: str, *, json: Any = None, params: dict[str, Any] | None = None,
                headers: dict[str, str] | None = None) -> Any:
        headers = dict(headers or {})
        if method == "POST":
            # With a key the server answers a repeat with the first response: safe to retry.
            headers.setdefault("Idempotency-Key", str(uuid.uuid4()))
        query = {k: v for k, v in (params or {}).items() if v is not None}
        response = self._send(method, path, json, query, headers)
        if response.status_code == 401:
            response = self._send(method, path, json, query, headers, refresh=True)
            if response.status_code == 401:
                error = problem_of(response)
                raise NotSignedIn(f"the API refused the token: {error.detail}")
        if response.status_code >= 400:
            raise problem_of(response)
        return response.json() if response.content else None

    def _send(self, method: str, path: str, body: Any, query: dict[str, Any], headers: dict[str, str],
              refresh: bool = False) -> httpx.Response:
        retryable = method in SAFE_METHODS or "Idempotency-Key" in headers
        attempt = 0
        while True:
            headers["Authorization"] = f"Bearer {self.token(refresh)}"
            refresh = False
            try:
                response = self.http.request(method, self.base_url + path, json=body, params=query, headers=headers)
            except httpx.TransportError:
                if not retryable or attempt + 1 >= MAX_ATTEMPTS:
                    raise
                self.sleep(backoff(attempt))
                attempt += 1
                continue
            if response.status_code not in RETRY_STATUSES or not retryable or attempt + 1 >= MAX_ATTEMPTS:
                return response
            self.sleep(backoff(attempt, response.headers.get("Retry-After")))
            attempt += 1

    def pages(self, path: str, params: dict[str, Any] | None = None,
              page_size: int | None = None) -> Iterator[list[dict[str, Any]]]:
        query = dict(params or {}, pageSize=page_size)
        while True:
            page = self.request("GET", path, params=query)
            yield page.get("data", [])
            token = page.get("paginationToken")
            if not token:
                return
            query["paginationToken"] = token

    def iterate(self, path: str, params: dict[str, Any] | None = None,
                page_size: int | None = None) -> Iterator[dict[str, Any]]:
        for page in self.pages(path, params, page_size):
            yield from page
