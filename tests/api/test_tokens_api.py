"""Authentication at the edge: every bad token is a clear 401 problem."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.helpers import body


def _forge(claims: dict, key=None, alg="RS256", kid="dummy") -> str:
    key = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(claims, key, algorithm=alg, headers={"kid": kid})


def _claims(stack, **over):
    now = int(time.time())
    base = {"sub": "x", "iss": f"https://cognito-idp.us-east-1.amazonaws.com/{stack['UserPoolId']}",
            "client_id": stack["UserPoolClientId"], "token_use": "access", "iat": now, "exp": now + 600}
    return {**base, **over}


def _get_me(api, token):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return api.http.get("/me", headers=headers)


def test_a_real_access_token_works(api, admin):
    me = body(api.http.get("/me", headers=admin.headers))
    assert me["id"] == admin.id and me["roles"] == ["ITAdmin"]


@pytest.mark.parametrize("case", ["missing", "not-bearer", "garbage", "self-signed", "hs256", "none-alg",
                                  "tampered", "id-token"])
def test_bad_tokens_are_401_with_a_reason(api, stack, admin, people, case):
    token = admin.token
    if case == "missing":
        response = _get_me(api, None)
    elif case == "not-bearer":
        response = api.http.get("/me", headers={"Authorization": f"Basic {token}"})
    else:
        if case == "garbage":
            token = "abc.def.ghi"
        elif case == "self-signed":
            token = _forge(_claims(stack, sub=admin.id))
        elif case == "hs256":
            token = jwt.encode(_claims(stack, sub=admin.id), "secret-key-long-enough-32-bytes!!", algorithm="HS256",
                               headers={"kid": "dummy"})
        elif case == "none-alg":
            header = base64.urlsafe_b64encode(b'{"alg":"none","kid":"dummy"}').rstrip(b"=").decode()
            payload = base64.urlsafe_b64encode(json.dumps(_claims(stack, sub=admin.id)).encode()).rstrip(b"=").decode()
            token = f"{header}.{payload}."
        elif case == "tampered":
            head, payload, sig = token.split(".")
            claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
            claims["sub"] = "someone-else"
            token = ".".join([head, base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode(), sig])
        elif case == "id-token":
            import boto3
            from tests.helpers import PASSWORD
            token = boto3.client("cognito-idp").initiate_auth(
                ClientId=stack["UserPoolClientId"], AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": admin.username, "PASSWORD": PASSWORD})["AuthenticationResult"]["IdToken"]
        response = _get_me(api, token)
    assert response.status_code == 401, body(response)
    problem = body(response)
    assert problem["code"].startswith("TOKEN_") and problem["detail"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_disabled_user_is_refused_on_the_next_request(api, admin, people):
    person = people.make()
    assert api.http.get("/me", headers=person.headers).status_code == 200
    disabled = api.http.patch(f"/users/{person.id}", headers=admin.headers, body=json.dumps({"status": "INACTIVE"}))
    assert disabled.status_code == 200 and body(disabled)["status"] == "INACTIVE"
    response = api.http.get("/me", headers=person.headers)
    assert response.status_code == 403 and body(response)["code"] == "USER_INACTIVE"


def test_signed_in_but_unregistered_user_is_403(api, stack):
    import boto3
    from tests.helpers import PASSWORD
    cognito = boto3.client("cognito-idp")
    cognito.admin_create_user(UserPoolId=stack["UserPoolId"], Username="stranger")
    cognito.admin_set_user_password(UserPoolId=stack["UserPoolId"], Username="stranger", Password=PASSWORD,
                                    Permanent=True)
    token = cognito.initiate_auth(ClientId=stack["UserPoolClientId"], AuthFlow="USER_PASSWORD_AUTH",
                                  AuthParameters={"USERNAME": "stranger", "PASSWORD": PASSWORD}
                                  )["AuthenticationResult"]["AccessToken"]
    response = _get_me(api, token)
    assert response.status_code == 403 and body(response)["code"] == "USER_NOT_REGISTERED"
