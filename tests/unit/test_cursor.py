"""Pagination tokens are opaque: encrypted, bound to their list, refused when touched."""

from __future__ import annotations

import base64

import pytest

from chalicelib.errors import InvalidInput
from chalicelib.repositories.cursor import CursorCodec

POSITION = {"pk": "USER#4f1c2b8e-6d10-4d5e-9a43-3f1c2b8e6d10", "sk": "PROFILE", "gsiSort": "2026-11-30#proj-1"}


def codec(secret: bytes = b"s" * 32) -> CursorCodec:
    return CursorCodec(lambda: secret)


def test_a_token_round_trips_and_reveals_no_key_or_id_when_decoded():
    token = codec().encode(POSITION, "projects:byType")
    assert codec().decode(token, "projects:byType") == POSITION
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    for secret in (b"USER#", b"4f1c2b8e", b"PROFILE", b"proj-1", b"pk"):
        assert secret not in raw


def test_two_tokens_for_one_position_differ():
    assert codec().encode(POSITION, "a") != codec().encode(POSITION, "a")


@pytest.mark.parametrize("mangle", [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), lambda t: "A" + t[1:],
                                    lambda t: t[:20], lambda t: t + "AAAA", lambda t: "%%%%"])
def test_a_tampered_token_is_refused(mangle):
    token = codec().encode(POSITION, "a")
    with pytest.raises(InvalidInput) as refused:
        codec().decode(mangle(token), "a")
    assert refused.value.code == "INVALID_PAGINATION_TOKEN"


def test_a_token_of_another_list_or_another_stage_is_refused():
    token = codec().encode(POSITION, "members:proj-1")
    with pytest.raises(InvalidInput):
        codec().decode(token, "members:proj-2")
    with pytest.raises(InvalidInput):
        codec(b"another stage's secret").decode(token, "members:proj-1")
