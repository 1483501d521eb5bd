"""Input that once reached a parser unbounded now gets a 4xx problem: the classes, not four strings."""

from __future__ import annotations

import json

import pytest

from tests.helpers import body


@pytest.fixture(scope="module")
def project(new_project):
    return new_project()


def assert_problem(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.body[:300]
    assert response.headers["Content-Type"] == "application/problem+json"
    problem = body(response)
    assert problem["status"] == status and problem["requestId"]
    if code:
        assert problem["code"] == code, problem
    return problem


@pytest.mark.parametrize("size", ["0" * 4301, "1" * 30, "٣", "²", "1e2", " 5", "0x10"])
def test_page_size_of_any_length_or_script_is_a_400(api, admin, size):
    assert_problem(api.http.get(f"/projects?pageSize={size}", headers=admin.headers), 400)


@pytest.mark.parametrize("token", ["x.%C3%A9", "%C3%A9.x", "a" * 5000 + ".b", "..", "x.y.z", "%F0%9F%98%80"])
def test_pagination_tokens_that_are_not_ours_are_a_400(api, admin, token):
    problem = assert_problem(api.http.get(f"/projects?paginationToken={token}", headers=admin.headers), 400)
    assert problem["code"] in ("INVALID_PAGINATION_TOKEN", "VALIDATION_FAILED")  # the latter: over the length bound


@pytest.mark.parametrize("etag", ['"' + "1" * 39 + '"', '"' + "9" * 400 + '"', '"1.5"', '"-1"', '"１"'])
def test_if_match_values_that_cannot_be_ours_are_a_400(api, admin, project, etag):
    response = api.http.patch(f"/projects/{project.id}", headers={**admin.headers, "If-Match": etag},
                              body=b'{"description": "x"}')
    assert_problem(response, 400)


@pytest.mark.parametrize("raw", [b"[" * 1000 + b"]" * 1000, b'{"a":' * 1000 + b"1" + b"}" * 1000,
                                 b'{"a":' * 40 + b"1" + b"}" * 40, b'{"name": "\\ud800"}', b'{"\\udfff": 1}'])
def test_deep_or_invalid_unicode_bodies_are_a_400_and_idempotency_never_sees_them(api, admin, raw):
    for headers in (admin.headers, {**admin.headers, "Idempotency-Key": "deep-body"}):
        assert_problem(api.http.post("/projects", headers=headers, body=raw), 400, "MALFORMED_JSON")


def test_a_body_over_the_limit_is_a_413(api, admin):
    raw = json.dumps({"name": "x", "description": "y" * 300_000}).encode()
    assert_problem(api.http.post("/projects", headers=admin.headers, body=raw), 413, "BODY_TOO_LARGE")


def test_a_body_that_is_not_json_by_content_type_is_a_415(api, admin):
    response = api.http.post("/projects", headers={**admin.headers, "Content-Type": "text/plain"}, body=b"name=x")
    assert_problem(response, 415, "UNSUPPORTED_MEDIA_TYPE")


def test_a_method_the_path_does_not_have_is_a_405_naming_the_allowed_ones(api, admin, project):
    response = api.http.put(f"/projects/{project.id}", headers=admin.headers, body=b"{}")
    assert_problem(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["Allow"] == "DELETE, GET, PATCH"


@pytest.mark.parametrize("raw_id", ["proj-%2E%2E%2Fetc", "%C3%A9t%C3%A9", "a" * 300, "proj%00x", "%ED%A0%80"])
def test_path_ids_that_cannot_be_ids_are_a_404_that_shows_them_decoded(api, admin, raw_id):
    problem = assert_problem(api.http.get(f"/projects/{raw_id}", headers=admin.headers), 404)
    assert "%" not in problem["detail"] and len(problem["detail"]) < 120


def test_an_oversized_header_is_a_400_not_a_500(api, admin):
    response = api.http.get("/me", headers={**admin.headers, "If-Match": '"' + "1" * 9000 + '"'})
    assert response.status_code in (200, 400)  # GET ignores If-Match; it never breaks the route
    assert_problem(api.http.get("/me", headers={"Authorization": "Bearer " + "a" * 9000}), 400)


@pytest.mark.parametrize("key", ["k" * 65, "é", "line\nbreak", ""])
def test_idempotency_keys_outside_64_printable_ascii_are_a_400(api, admin, key):
    response = api.http.post("/projects", headers={**admin.headers, "Idempotency-Key": key},
                             body=b'{"name": "n", "costCenterId": "cc-x"}')
    assert_problem(response, 400)
