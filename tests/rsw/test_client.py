"""rsw.Client against a fake Workbench: sign-in, the token cache, refresh, problems, retries, pages."""

from __future__ import annotations

import stat

import httpx
import pytest

from rsw import ApiError, NotSignedIn
from rsw.config import Store
from rsw.errors import NewPasswordRequired

from .fake import FakeWorkbench, problem


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "config")


def test_sign_in_answers_the_first_sign_in_challenge_and_caches_tokens_privately(store):
    fake = FakeWorkbench()
    fake.temporary_password = True
    me = fake.client(store).sign_in("jane", "secret", new_password="Chosen-1")
    assert me["username"] == "jane"
    assert ("COGNITO", "RespondToAuthChallenge:NEW_PASSWORD_REQUIRED") in fake.calls
    path = store.tokens_path("default")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert store.load_tokens("default")["refreshToken"] == "refresh-1"


def test_a_first_sign_in_without_a_new_password_says_so(store):
    fake = FakeWorkbench()
    fake.temporary_password = True
    with pytest.raises(NewPasswordRequired):
        fake.client(store).sign_in("jane", "secret")


def test_a_later_process_reuses_the_cached_session_without_signing_in(store):
    fake = FakeWorkbench()
    fake.client(store).sign_in("jane", "secret")
    fake.calls.clear()
    assert fake.client(store).me()["id"] == "user-1"
    assert not [c for c in fake.calls if c[0] == "COGNITO"]


def test_an_expiring_token_is_refreshed_silently_before_the_request(store):
    fake = FakeWorkbench(expires_in=30)  # inside the refresh margin at once
    fake.client(store).sign_in("jane", "secret")
    fake.calls.clear()
    fake.client(store).me()
    assert fake.calls[0] == ("COGNITO", "InitiateAuth:REFRESH_TOKEN_AUTH")
    assert store.load_tokens("default")["refreshToken"] == "refresh-1"  # kept across the refresh


def test_a_revoked_token_is_refreshed_once_and_the_request_repeated(store):
    fake = FakeWorkbench()
    client = fake.client(store)
    client.sign_in("jane", "secret")
    fake.valid.clear()
    assert client.me()["id"] == "user-1"
    assert ("COGNITO", "InitiateAuth:REFRESH_TOKEN_AUTH") in fake.calls


def test_no_session_is_not_signed_in(store):
    with pytest.raises(NotSignedIn):
        FakeWorkbench().client(store).me()


def test_a_problem_becomes_one_exception_with_code_detail_hint_and_status(store):
    fake = FakeWorkbench()
    client = fake.client(store)
    client.sign_in("jane", "secret")
    fake.script("GET", "/users", problem(403, "FORBIDDEN", "you may not list users", hint="ask an IT admin"))
    with pytest.raises(ApiError) as raised:
        list(client.users.list())
    error = raised.value
    assert (error.status, error.code, error.detail, error.hint) == (403, "FORBIDDEN", "you may not list users",
                                                                   "ask an IT admin")


def test_reads_are_retried_with_backoff_on_throttling_and_server_errors(store):
    fake = FakeWorkbench()
    sleeps: list[float] = []
    client = fake.client(store, sleeps)
    client.sign_in("jane", "secret")
    fake.script("GET", "/me", httpx.Response(429, headers={"Retry-After": "2"}), problem(503, "UNAVAILABLE", "busy"))
    assert client.me()["id"] == "user-1"
    assert len(sleeps) == 2 and sleeps[0] >= 2  # Retry-After honoured


def test_posts_carry_one_generated_idempotency_key_across_retries(store):
    fake = FakeWorkbench()
    client = fake.client(store)
    client.sign_in("jane", "secret")
    fake.script("POST", "/projects", problem(502, "DEPENDENCY_FAILED", "try again"),
                httpx.Response(201, json={"id": "proj-9"}))
    assert client.projects.create("p", "cc-1")["id"] == "proj-9"
    keys = fake.idempotency_keys[-2:]
    assert keys[0] and keys[0] == keys[1]


def test_a_patch_is_not_repeated_after_a_server_error(store):
    fake = FakeWorkbench()
    client = fake.client(store)
    client.sign_in("jane", "secret")
    fake.script("PATCH", "/projects/proj-1", problem(503, "UNAVAILABLE", "busy"))
    with pytest.raises(ApiError):
        client.projects.update("proj-1", name="q")
    assert fake.calls.count(("PATCH", "/projects/proj-1")) == 1


def test_lists_iterate_every_page(store):
    fake = FakeWorkbench()
    client = fake.client(store)
    client.sign_in("jane", "secret")
    assert [p["id"] for p in client.projects.list(page_size=2)] == [f"proj-{i}" for i in range(5)]
    assert fake.calls.count(("GET", "/projects")) == 3
