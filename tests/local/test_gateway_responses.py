"""Locally, API Gateway's own answers come from the same file the deployed API uses."""

from __future__ import annotations

import json

from chalice.test import Client

from chalicelib.api.routing import console_cors
from local import gateway


def test_an_unknown_route_is_a_404_problem_that_never_echoes_the_token(app):
    gateway.install()
    with Client(app) as client:
        for headers in ({}, {"Authorization": "Bearer secret.token.value"}):
            response = client.http.get("/no/such/route", headers=headers)
            assert response.status_code == 404
            assert response.headers["Content-Type"] == "application/problem+json"
            assert response.headers["Access-Control-Allow-Origin"] == console_cors().allow_origin  # as deployed
            problem = json.loads(response.body)
            assert problem["code"] == "ROUTE_NOT_FOUND" and problem["requestId"] != "$context.requestId"
            assert b"secret" not in response.body


def test_wrong_method_and_content_type_are_problems(app, admin, new_project):
    project = new_project()
    with Client(app) as client:
        response = client.http.request("HEAD", f"/projects/{project.id}", headers=admin.headers)
        assert response.status_code == 405 and response.headers["Content-Type"] == "application/problem+json"
        response = client.http.post("/projects", headers={**admin.headers, "Content-Type": "application/xml"},
                                    body=b"<project/>")
        assert response.status_code == 415 and json.loads(response.body)["code"] == "UNSUPPORTED_MEDIA_TYPE"
