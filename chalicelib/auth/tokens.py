"""Verifies Cognito access tokens: RS256 only, issuer, client, token_use=access, integer dates, expiry."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Callable
from typing import Any

import jwt

from ..errors import DependencyFailed, Unauthenticated

JwksSource = Callable[[], dict[str, Any]]


def fetch_jwks(url: str) -> JwksSource:
    def fetch() -> dict[str, Any]:
        with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 (https in AWS, a setting)
            return json.load(answer)
    return fetch


class TokenVerifier:
    """Keeps the pool's keys per container; refetches at most every 5 minutes on an unknown kid."""

    def __init__(self, issuer: str, client_id: str, jwks: JwksSource, leeway: int = 5) -> None:
        self._issuer = issuer
        self._client_id = client_id
        self._jwks = jwks
        self._leeway = leeway
        self._keys: dict[str, Any] = {}
        self._fetched_at = float("-inf")
        self._lock = threading.Lock()

    def verify(self, authorization: str | None) -> dict[str, Any]:
        token = _bearer(authorization)
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise Unauthenticated("the bearer token is not a JWT", code="TOKEN_MALFORMED") from None
        if header.get("alg") != "RS256":
            raise Unauthenticated("the token must be signed with RS256", code="TOKEN_INVALID")
        key = self._key(header.get("kid"))
        _require_numeric_dates(token)
        try:
            # client_id is checked below, after token_use: an ID token has none, and deserves the better hint.
            claims = jwt.decode(token, key, algorithms=["RS256"], issuer=self._issuer, leeway=self._leeway,
                                options={"verify_aud": False,
                                         "require": ["exp", "iat", "iss", "sub", "token_use"]})
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("the token has expired", code="TOKEN_EXPIRED",
                                  hint="Sign in again or use your refresh token.") from None
        except jwt.PyJWTError as error:
            raise Unauthenticated(f"the token is not valid: {error}", code="TOKEN_INVALID") from None
        if claims["token_use"] != "access":  # noqa: S105 - a claim value, not a password
            raise Unauthenticated(f"this is an {claims['token_use']!r} token; the API takes access tokens",
                                  code="TOKEN_INVALID",
                                  hint="Send the AccessToken from InitiateAuth, not the IdToken.")
        if claims.get("client_id") != self._client_id:
            raise Unauthenticated("the token was not issued to this API's app client", code="TOKEN_INVALID")
        return claims

    def _key(self, kid: str | None) -> Any:
        if kid not in self._keys and time.monotonic() - self._fetched_at > 300:
            with self._lock:
                if kid not in self._keys:
                    try:
                        keys = self._jwks().get("keys", [])
                    except (OSError, ValueError) as error:  # network, HTTP or JSON: not the caller's fault
                        raise DependencyFailed(f"the user pool's signing keys cannot be fetched ({error})",
                                               hint="Retry in a moment.") from None
                    self._keys = {k["kid"]: jwt.PyJWK(k).key for k in keys if k.get("kty") == "RSA"}
                    self._fetched_at = time.monotonic()
        if kid not in self._keys:
            raise Unauthenticated("the token was not signed by this user pool", code="TOKEN_INVALID")
        return self._keys[kid]


def _require_numeric_dates(token: str) -> None:
    """Time claims must be JSON integers, as Cognito issues them.

    PyJWT runs int() over exp and iat, so "1999999999" (a string), "1e10" or true would pass for a date;
    such a token was not minted by Cognito. Read before the signature check: the answer is a 401 either way.
    """
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise Unauthenticated("the bearer token is not a JWT", code="TOKEN_MALFORMED") from None
    for name in ("exp", "iat", "nbf", "auth_time"):  # missing exp/iat: the decode's `require` says so
        if name in claims and type(claims[name]) is not int:  # `type`: bool is an int subclass
            raise Unauthenticated(f"the token's {name} claim must be an integer (seconds since 1970)",
                                  code="TOKEN_INVALID")


def _bearer(authorization: str | None) -> str:
    if not authorization:
        raise Unauthenticated("send 'Authorization: Bearer <access token>'", code="TOKEN_MISSING")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("the Authorization header must be 'Bearer <access token>'", code="TOKEN_MALFORMED")
    return token.strip()
