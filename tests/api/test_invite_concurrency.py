"""Inviting one e-mail address many times at once: one user, one intact login, every other answer a 409."""

from __future__ import annotations

import json
import threading
import time
import uuid

import boto3
import pytest

from tests.helpers import PASSWORD, body

PARALLEL = 20


def _invite_all_at_once(email: str) -> list:
    """Runs the invite use case in PARALLEL threads released together; returns each result or error.

    The threads call the service the POST /users route calls, not the route itself: chalice.test.Client
    keeps the request on the shared app object (`app.current_request`), so concurrent route calls in one
    process would read each other's bodies; separate clients share that app too. The route adds
    nothing to the race (parse, call the service, map the error), and each error is mapped through the
    route's own error table below, so the HTTP answers are the ones the route would give.
    """
    from chalicelib import deps
    from chalicelib.models.users import CreateUser

    users = deps.container().users  # built once here: the container builds lazily, threads share it as Lambda would
    start = threading.Barrier(PARALLEL)
    results: list = [None] * PARALLEL

    def invite(slot: int) -> None:
        start.wait()
        try:
            results[slot] = users.create("bootstrap", CreateUser(first_name="Twice", last_name=str(slot), email=email))
        except Exception as error:  # noqa: BLE001 - the test inspects every outcome, 500s included
            results[slot] = error

    threads = [threading.Thread(target=invite, args=(i,)) for i in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _as_http(outcome) -> tuple[int, dict]:
    from chalicelib.api.errors import from_error
    from chalicelib.errors import WorkbenchError

    if isinstance(outcome, WorkbenchError):
        response = from_error(outcome, "test")
        return response.status_code, response.body
    if isinstance(outcome, Exception):  # what the pipeline would answer 500 for
        return 500, {"error": repr(outcome)}
    return 201, outcome.model_dump(mode="json", by_alias=True)


def _sign_in(stack, username: str) -> str:
    cognito = boto3.client("cognito-idp")
    cognito.admin_set_user_password(UserPoolId=stack["UserPoolId"], Username=username, Password=PASSWORD,
                                    Permanent=True)
    return cognito.initiate_auth(ClientId=stack["UserPoolClientId"], AuthFlow="USER_PASSWORD_AUTH",
                                 AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD}
                                 )["AuthenticationResult"]["AccessToken"]


def test_twenty_simultaneous_invites_make_one_user_whose_login_survives(api, admin, stack):
    email = f"twice-{uuid.uuid4().hex[:6]}@example.org"
    answers = [_as_http(outcome) for outcome in _invite_all_at_once(email)]
    statuses = sorted(status for status, _ in answers)
    assert statuses == [201] + [409] * (PARALLEL - 1), answers
    assert {problem["code"] for status, problem in answers if status == 409} == {"USER_EMAIL_TAKEN"}
    winner = next(user for status, user in answers if status == 201)

    identity = boto3.client("cognito-idp").admin_get_user(UserPoolId=stack["UserPoolId"],
                                                          Username=winner["username"])
    assert {a["Name"]: a["Value"] for a in identity["UserAttributes"]}["sub"] == winner["id"]
    assert body(api.http.get(f"/users/{winner['id']}", headers=admin.headers))["email"] == email
    token = _sign_in(stack, winner["username"])
    me = api.http.get("/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and body(me)["id"] == winner["id"]

    again = api.http.post("/users", headers=admin.headers,
                          body=json.dumps({"firstName": "Third", "lastName": "Time", "email": email}))
    assert again.status_code == 409 and body(again)["code"] == "USER_EMAIL_TAKEN"


def _write_pending_claim(email: str, lease_until: int) -> None:
    """A claim as a request leaves it when it dies between claiming the e-mail and writing the profile."""
    from chalicelib import deps
    deps.container().auth_table.put_item(Item={
        "pk": f"EMAIL#{email.lower()}", "sk": "UNIQUE", "state": "PENDING", "holder": "a-request-that-died",
        "claimedBy": "bootstrap", "claimedAt": "2020-01-01T00:00:00+00:00", "leaseUntil": lease_until})


def test_an_invite_takes_over_a_claim_whose_holder_died_and_completes_its_identity(api, admin, stack):
    from chalicelib.services.users import _username
    email = f"died-{uuid.uuid4().hex[:6]}@example.org"
    boto3.client("cognito-idp").admin_create_user(UserPoolId=stack["UserPoolId"], Username=_username(email))
    _write_pending_claim(email, lease_until=int(time.time()) - 1)
    response = api.http.post("/users", headers=admin.headers,
                             body=json.dumps({"firstName": "Second", "lastName": "Try", "email": email}))
    assert response.status_code == 201, body(response)
    assert body(response)["username"] == _username(email)


def test_an_invite_in_progress_elsewhere_is_a_conflict_not_a_second_identity(api, admin, stack):
    from chalicelib.services.users import _username
    email = f"busy-{uuid.uuid4().hex[:6]}@example.org"
    _write_pending_claim(email, lease_until=int(time.time()) + 60)
    response = api.http.post("/users", headers=admin.headers,
                             body=json.dumps({"firstName": "Too", "lastName": "Early", "email": email}))
    assert response.status_code == 409 and body(response)["code"] == "USER_EMAIL_TAKEN"
    assert "retry" in body(response)["hint"].lower()
    users = boto3.client("cognito-idp").list_users(UserPoolId=stack["UserPoolId"],
                                                   Filter=f'username = "{_username(email)}"')["Users"]
    assert users == []  # the conflict created nothing the holder could trip over


class _CognitoDown:
    """A Cognito that fails every invite, as in an outage (a small fake: moto cannot be made to fail)."""

    class exceptions:  # noqa: N801 - mirrors boto3's client.exceptions
        class UsernameExistsException(Exception):
            pass

    def admin_create_user(self, **_):
        raise ConnectionError("cognito-idp is unreachable")


def test_an_invite_that_fails_frees_the_e_mail_at_once_for_the_next_try(api, admin, stack):
    from chalicelib import deps
    from chalicelib.models.users import CreateUser
    from chalicelib.services.users import UserService

    email = f"retry-{uuid.uuid4().hex[:6]}@example.org"
    failing = UserService(deps.container().users_repo, deps.container().memberships_repo, _CognitoDown(),
                          stack["UserPoolId"])
    with pytest.raises(ConnectionError):
        failing.create(admin.id, CreateUser(first_name="First", last_name="Try", email=email))
    response = api.http.post("/users", headers=admin.headers,
                             body=json.dumps({"firstName": "Second", "lastName": "Try", "email": email}))
    assert response.status_code == 201, body(response)  # not 409 until the failed attempt's lease ran out
