"""Opaque pagination tokens: the DynamoDB position, encrypted and bound to the list it came from.

AES-GCM (authenticated encryption) under a key derived from the stage's pagination secret, with
the list's scope as associated data: a token reveals no key or id, and a tampered, forged or
foreign one fails to decrypt and is refused, never trusted.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ..errors import InvalidInput

NONCE_BYTES = 12


def _bad_token() -> InvalidInput:
    return InvalidInput("paginationToken is malformed, expired or belongs to another list",
                        code="INVALID_PAGINATION_TOKEN",
                        hint="Repeat the request without paginationToken to start from the first page.")


class CursorCodec:
    def __init__(self, secret: Callable[[], bytes]) -> None:
        self._secret = secret  # fetched lazily: most requests never page
        self._aead: AESGCM | None = None

    def encode(self, position: dict[str, Any] | None, scope: str) -> str | None:
        if not position:
            return None
        payload = json.dumps(position, separators=(",", ":"), sort_keys=True, default=_num).encode()
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._cipher().encrypt(nonce, payload, scope.encode())
        return base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")

    def decode(self, token: str | None, scope: str) -> dict[str, Any] | None:
        if not token:
            return None
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            payload = self._cipher().decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], scope.encode())
            position = json.loads(payload)
        except (ValueError, InvalidTag):
            raise _bad_token() from None
        if not isinstance(position, dict):
            raise _bad_token()
        return position

    def _cipher(self) -> AESGCM:
        if self._aead is None:
            # A key of its own, derived from the secret: the secret itself never keys two things.
            key = hmac.new(self._secret(), b"rsw pagination cursor v2", hashlib.sha256).digest()
            self._aead = AESGCM(key)
        return self._aead


def _num(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == int(value) else float(value)
    raise TypeError(f"cannot encode {type(value).__name__} in a cursor")
