"""TokenVerifier alone, with keys it makes itself: expiry, issuer, client and key rotation."""

from __future__ import annotations

import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from chalicelib.auth.tokens import TokenVerifier
from chalicelib.errors import Unauthenticated

ISSUER, CLIENT = "https://cognito-idp.us-east-1.amazonaws.com/pool", "client-1"


def _key():
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
    return private, jwk


def _token(private, kid="k1", **over):
    now = int(time.time())
    claims = {"sub": "u1", "iss": ISSUER, "client_id": CLIENT, "token_use": "access", "iat": now, "exp": now + 60,
              **over}
    return "Bearer " + jwt.encode(claims, private, algorithm="RS256", headers={"kid": kid})


@pytest.fixture
def keys():
    private, jwk = _key()
    fetches = []

    def source():
        fetches.append(1)
        return {"keys": [{**jwk, "kid": "k1", "alg": "RS256", "use": "sig"}]}
    return private, TokenVerifier(ISSUER, CLIENT, source), fetches


def test_valid_token_yields_claims_and_keys_are_fetched_once(keys):
    private, verifier, fetches = keys
    assert verifier.verify(_token(private))["sub"] == "u1"
    verifier.verify(_token(private))
    assert len(fetches) == 1


@pytest.mark.parametrize("over, code", [({"exp": int(time.time()) - 60}, "TOKEN_EXPIRED"),
                                        ({"iss": "https://evil.example"}, "TOKEN_INVALID"),
                                        ({"client_id": "other"}, "TOKEN_INVALID"),
                                        ({"token_use": "id"}, "TOKEN_INVALID")])
def test_wrong_claims_are_refused(keys, over, code):
    private, verifier, _ = keys
    with pytest.raises(Unauthenticated) as raised:
        verifier.verify(_token(private, **over))
    assert raised.value.code == code


def test_missing_required_claim_is_refused(keys):
    private, verifier, _ = keys
    now = int(time.time())
    token = jwt.encode({"sub": "u1", "iss": ISSUER, "token_use": "access", "iat": now, "exp": now + 60},
                       private, algorithm="RS256", headers={"kid": "k1"})
    with pytest.raises(Unauthenticated):
        verifier.verify(f"Bearer {token}")


def test_unknown_key_id_is_refused_without_hammering_the_jwks(keys):
    private, verifier, fetches = keys
    verifier.verify(_token(private))
    for _ in range(3):
        with pytest.raises(Unauthenticated):
            verifier.verify(_token(private, kid="rotated"))
    assert len(fetches) == 1


def test_unreachable_signing_keys_are_a_dependency_failure_not_a_crash():
    from chalicelib.errors import DependencyFailed
    private, _ = _key()

    def down():
        raise OSError("connection refused")
    with pytest.raises(DependencyFailed):
        TokenVerifier(ISSUER, CLIENT, down).verify(_token(private))
