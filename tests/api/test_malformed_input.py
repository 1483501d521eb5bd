"""No input, however malformed, gets a 500: every route with a body x a catalogue of bad bodies."""

from __future__ import annotations

import re

import pytest

from chalicelib.api.routing import ROUTES
from tests.helpers import body

BAD_BODIES = [b"not json", b"[1, 2]", b'"text"', b"null", b"42", b"{", b'{"name": null}',
              b'{"name": 12, "description": []}', b'{"name": "' + b"x" * 5000 + b'"}',
              b'{"name": "\\u0000bad"}', b'{"costCenterId": {"$ne": 1}}', b'{"role": "Owner"}',
              b'{"roles": ["Root"]}', b'{"email": "not-an-email"}', b'{"awsAccountId": "12"}',
              b"\xff\xfe\x00garbage", b'{"a":' * 50 + b"1" + b"}" * 50]
WITH_BODY = [r for r in ROUTES if r.body]


@pytest.fixture(scope="module")
def params(new_project, cost_center, hosting_account, admin, new_configuration):
    project = new_project()
    configuration = new_configuration(projects=[project])
    return {"project_id": project.id, "user_id": admin.id, "cost_center_id": cost_center.id,
            "account_id": hosting_account.id, "env_type_id": configuration.env_type_id,
            "configuration_id": configuration.id, "env_id": "env-00000000-0000-0000-0000-000000000000",
            "dataset_id": "dataset-00000000-0000-0000-0000-000000000000", "target_project_id": project.id,
            "upload_id": "upload-1"}


@pytest.mark.parametrize("route", WITH_BODY, ids=[f"{r.method} {r.path}" for r in WITH_BODY])
def test_malformed_bodies_get_a_problem_never_a_500(api, admin, params, route):
    path = re.sub(r"{(\w+)}", lambda m: params[m.group(1)], route.path)
    for raw in BAD_BODIES:
        response = api.http.request(route.method, path, headers=admin.headers, body=raw)
        assert 400 <= response.status_code < 500, (raw[:40], response.status_code, response.body[:200])
        problem = body(response)
        assert problem["status"] == response.status_code and problem["code"] and problem["requestId"]


@pytest.mark.parametrize("query", ["pageSize=0", "pageSize=101", "pageSize=abc", "pageSize=-1", "colour=red",
                                   "paginationToken=", "status=BOGUS"])
def test_bad_query_parameters_are_400(api, admin, query):
    response = api.http.get(f"/users?{query}", headers=admin.headers)
    assert response.status_code in (200, 400)
    if query != "paginationToken=":
        assert response.status_code == 400, query


def test_bad_if_match_is_400(api, admin, params):
    response = api.http.patch(f"/projects/{params['project_id']}", headers={**admin.headers, "If-Match": "garbage"},
                              body=b'{"description": "x"}')
    assert response.status_code == 400


def test_overlong_idempotency_key_is_400(api, admin, cost_center):
    response = api.http.post("/projects", headers={**admin.headers, "Idempotency-Key": "k" * 65},
                             body=b'{"name": "whatever", "costCenterId": "cc-1"}')
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/awsAccounts?status=SLEEPY", "/environmentTypes?status=MAYBE", "/users?status=GONE"])
def test_filters_with_a_value_outside_their_choices_are_400_naming_the_choices(api, admin, path):
    response = api.http.get(path, headers=admin.headers)
    assert response.status_code == 400
    assert body(response)["errors"][0]["field"] == "status" and "must be one of" in body(response)["errors"][0]["message"]


def test_openapi_lists_the_choices_of_each_filter(api):
    document = body(api.http.get("/openapi.json"))
    status = next(p for p in document["paths"]["/awsAccounts"]["get"]["parameters"] if p["name"] == "status")
    assert status["schema"]["enum"] == ["PENDING", "CURRENT", "NEEDS_UPDATE", "ERRORED", "DELETED"]


@pytest.mark.parametrize("size", ["²", "٣", "1e1", " 5", "+5"])
def test_page_sizes_that_are_not_plain_digits_are_400(api, admin, size):
    from urllib.parse import quote
    assert api.http.get(f"/projects?pageSize={quote(size)}", headers=admin.headers).status_code == 400


def test_if_match_with_unicode_digits_is_400(api, admin, params):
    response = api.http.patch(f"/projects/{params['project_id']}", headers={**admin.headers, "If-Match": '"²"'},
                              body=b'{"description": "x"}')
    assert response.status_code == 400
