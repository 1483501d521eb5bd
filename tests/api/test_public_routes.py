"""/health and /openapi.json: public, and the document describes every route."""

from __future__ import annotations

from openapi_spec_validator import validate

from chalicelib.api.routing import ROUTES
from tests.helpers import body


def test_health_checks_both_tables(api):
    response = api.http.get("/health")
    assert response.status_code == 200
    assert body(response) == {"status": "ok", "checks": {"appTable": "ok", "authorizationTable": "ok"}}


def test_openapi_is_valid_3_1_and_describes_every_route(api):
    document = body(api.http.get("/openapi.json"))
    validate(document)
    assert document["openapi"].startswith("3.1")
    described = {(m.upper(), p) for p, ops in document["paths"].items() for m in ops}
    assert described == {(r.method, r.path) for r in ROUTES}
    create = document["paths"]["/projects"]["post"]
    schema_name = create["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert document["components"]["schemas"][schema_name]["additionalProperties"] is False
    assert "401" in create["responses"] and create["security"]
