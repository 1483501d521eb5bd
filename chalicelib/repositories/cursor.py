"""Opaque, signed pagination tokens: a tampered or foreign token is rejected, never trusted."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ..errors import InvalidInput


def _bad_token() -> InvalidInput:
    return InvalidInput("paginationToken is malformed, expired or belongs to another list",
                        code="INVALID_PAGINATION_TOKEN",
                        hint="Repeat the request without paginationToken to start from the first page.")


class CursorCodec:
    """Signs the DynamoDB position with HMAC-SHA256, bound to the list (scope) it came from."""

    def __init__(self, secret: Callable[[], bytes]) -> None:
        self._secret = secret  # fetched lazily: most requests never page

    def encode(self, position: dict[str, Any] | None, scope: str) -> str | None:
        if not position:
            return None
        payload = json.dumps(position, separators=(",", ":"), sort_keys=True, default=_num).encode()
        body = base64.urlsafe_b64encode(payload).decode().rstrip("=")
        return f"{body}.{self._sign(body, scope)}"

    def decode(self, token: str | None, scope: str) -> dict[str, Any] | None:
        if not token:
            return None
        body, _, signature = token.partition(".")
        if not body or not hmac.compare_digest(signature, self._sign(body, scope)):
            raise _bad_token()
        try:
            position = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        except ValueError:
            raise _bad_token() from None
        if not isinstance(position, dict):
            raise _bad_token()
        return position

    def _sign(self, body: str, scope: str) -> str:
        mac = hmac.new(self._secret(), f"{scope}\n{body}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac[:18]).decode()


def _num(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == int(value) else float(value)
    raise TypeError(f"cannot encode {type(value).__name__} in a cursor")
