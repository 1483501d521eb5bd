"""CORS: browsers may call the API from the console's origin only, never from `*` (issue 12)."""

from __future__ import annotations

from chalice.config import Config
from chalice.local import LocalGateway

from chalicelib.settings import console_origin
from tests.helpers import body


def test_a_preflight_allows_the_console_origin_and_the_headers_the_console_sends(app):
    # chalice.test's client cannot read a body-less preflight; the local gateway answers it as `make local` does.
    response = LocalGateway(app, Config()).handle_request("OPTIONS", "/projects", {
        "origin": console_origin(), "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type,idempotency-key"}, b"")
    assert response["statusCode"] == 200
    headers = response["headers"]
    assert headers["Access-Control-Allow-Origin"] == console_origin() != "*"
    allowed = headers["Access-Control-Allow-Headers"].lower().split(",")
    assert {"authorization", "content-type", "idempotency-key", "if-match"} <= set(allowed)
    assert "POST" in headers["Access-Control-Allow-Methods"]


def test_answers_and_problems_carry_the_console_origin_so_the_console_can_read_them(api):
    public = api.http.get("/health")
    unauthorized = api.http.get("/projects")
    not_allowed = api.http.request("PUT", "/projects")
    for response in (public, unauthorized, not_allowed):
        assert response.headers["Access-Control-Allow-Origin"] == console_origin()
    assert unauthorized.status_code == 401 and body(unauthorized)["code"]
    assert not_allowed.status_code == 405 and "Location" in not_allowed.headers["Access-Control-Expose-Headers"]
