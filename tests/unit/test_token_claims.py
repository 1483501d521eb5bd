"""Token claims Cognito never issues are refused: non-integer dates, ID tokens (with a hint to fix it)."""

from __future__ import annotations

import time

import jwt
import pytest

from chalicelib.auth.tokens import TokenVerifier
from chalicelib.errors import Unauthenticated
from tests.unit.test_token_verifier import CLIENT, ISSUER, _key

FUTURE = int(time.time()) + 3600


@pytest.fixture(scope="module")
def signer():
    """A key pair, and a verifier that trusts its public half, as the pool's JWKS would."""
    private, jwk = _key()
    verifier = TokenVerifier(ISSUER, CLIENT, lambda: {"keys": [{**jwk, "kid": "k1", "alg": "RS256", "use": "sig"}]})
    return private, verifier


def _signed(private, claims: dict) -> str:
    return "Bearer " + jwt.encode(claims, private, algorithm="RS256", headers={"kid": "k1"})


def _access(**over) -> dict:
    now = int(time.time())
    return {"sub": "u1", "iss": ISSUER, "client_id": CLIENT, "token_use": "access", "iat": now, "exp": now + 60,
            "auth_time": now, **over}


@pytest.mark.parametrize("claim, value", [
    ("exp", str(FUTURE)), ("exp", f"{FUTURE}.0"), ("exp", float(FUTURE) + 0.5), ("exp", True), ("exp", None),
    ("exp", [FUTURE]), ("iat", str(int(time.time()))), ("iat", False), ("iat", None), ("iat", "1e9"),
    ("nbf", "0"), ("nbf", None), ("auth_time", str(int(time.time()))), ("auth_time", True)])
def test_a_date_claim_that_is_not_a_json_integer_is_an_invalid_token(signer, claim, value):
    private, verifier = signer
    with pytest.raises(Unauthenticated) as raised:
        verifier.verify(_signed(private, _access(**{claim: value})))
    assert raised.value.code == "TOKEN_INVALID"
    assert claim in raised.value.detail


def test_a_string_expiry_in_the_past_is_invalid_rather_than_expired(signer):
    private, verifier = signer
    with pytest.raises(Unauthenticated) as raised:
        verifier.verify(_signed(private, _access(exp=str(int(time.time()) - 600))))
    assert raised.value.code == "TOKEN_INVALID"


def test_integer_dates_including_optional_ones_are_accepted(signer):
    private, verifier = signer
    now = int(time.time())
    assert verifier.verify(_signed(private, _access(nbf=now - 1, auth_time=now - 5)))["sub"] == "u1"


def test_an_id_token_is_refused_with_a_hint_to_send_the_access_token(signer):
    private, verifier = signer
    now = int(time.time())
    id_token = {"sub": "u1", "iss": ISSUER, "aud": CLIENT, "token_use": "id", "iat": now, "exp": now + 60,
                "auth_time": now, "email": "u1@example.org"}  # as Cognito issues it: aud, no client_id
    with pytest.raises(Unauthenticated) as raised:
        verifier.verify(_signed(private, id_token))
    assert raised.value.code == "TOKEN_INVALID"
    assert raised.value.hint == "Send the AccessToken from InitiateAuth, not the IdToken."
