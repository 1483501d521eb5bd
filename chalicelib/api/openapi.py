"""The OpenAPI 3.1 document, generated from the route declarations and the pydantic models."""

from __future__ import annotations

import functools
import re
from typing import Any

from pydantic.json_schema import JsonSchemaMode, models_json_schema

ERROR_STATUSES = {"400": "Bad request: the problem lists each invalid field",
                  "401": "Missing, invalid or expired access token",
                  "403": "Authenticated but not allowed",
                  "404": "Not found, or not visible to you",
                  "409": "Conflicts with the resource's current state",
                  "412": "If-Match does not match the current etag",
                  "422": "Idempotency-Key reused with a different request"}
PROBLEM = {"type": "object", "required": ["type", "title", "status", "detail", "code", "requestId"],
           "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                          "detail": {"type": "string"}, "code": {"type": "string"}, "requestId": {"type": "string"},
                          "hint": {"type": "string"},
                          "errors": {"type": "array", "items": {"type": "object", "properties": {
                              "field": {"type": "string"}, "message": {"type": "string"}}}}}}


@functools.lru_cache(maxsize=1)
def document(routes: tuple) -> dict[str, Any]:
    models: set[tuple[Any, JsonSchemaMode]] = ({(r.body, "validation") for r in routes if r.body}
                                                | {(r.response, "serialization") for r in routes if r.response})
    refs, defs = models_json_schema(sorted(models, key=lambda m: (m[0].__name__, m[1])), by_alias=True,
                                    ref_template="#/components/schemas/{model}")
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route, refs)
    return {"openapi": "3.1.0",
            "info": {"title": "Research Service Workbench API", "version": "1.0.0",
                     "description": "Self-service research compute and data on AWS."},
            "paths": paths,
            "components": {"schemas": {**defs.get("$defs", {}), "Problem": PROBLEM},
                           "securitySchemes": {"cognitoAccessToken": {"type": "http", "scheme": "bearer",
                                                                      "bearerFormat": "JWT"}}}}


def _operation(route: Any, refs: dict) -> dict[str, Any]:
    op: dict[str, Any] = {"operationId": f"{route.method.lower()}{_camel(route.path)}", "summary": route.summary,
                          "parameters": _parameters(route), "responses": _responses(route, refs)}
    if route.access.scope == "public":
        op["security"] = []
    else:
        op["security"] = [{"cognitoAccessToken": []}]
        op["x-access"] = {"action": route.access.action, "scope": route.access.scope}
    if route.body:
        op["requestBody"] = {"required": True, "content": {"application/json": {
            "schema": refs[(route.body, "validation")]}}}
    return op


def _parameters(route: Any) -> list[dict[str, Any]]:
    params = [{"name": n, "in": "path", "required": True, "schema": {"type": "string"}}
              for n in re.findall(r"{(\w+)}", route.path)]
    params += [{"name": q.name, "in": "query", "required": False,
                "schema": {"type": "string", **({"enum": list(q.choices)} if q.choices else {})}} for q in route.query]
    if route.paginated:
        params += [{"name": "pageSize", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100,
                                                                    "default": 50}},
                   {"name": "paginationToken", "in": "query", "schema": {"type": "string"}}]
    if route.method == "POST":
        params.append({"name": "Idempotency-Key", "in": "header", "schema": {"type": "string", "maxLength": 64}})
    if route.method in ("PATCH", "PUT", "DELETE"):
        params.append({"name": "If-Match", "in": "header", "schema": {"type": "string"}})
    return params


def _responses(route: Any, refs: dict) -> dict[str, Any]:
    success: dict[str, Any] = {"description": "Success"}
    if route.response:
        success["content"] = {"application/json": {"schema": refs[(route.response, "serialization")]}}
    elif route.status != 204:
        success["content"] = {"application/json": {"schema": {"type": "object"}}}
    responses = {str(status): success for status in (route.status, *route.also)}
    problem = {"content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    for status, text in ERROR_STATUSES.items():
        if route.access.scope != "public" or status == "400":
            responses[status] = {"description": text, **problem}
    return responses


def _camel(path: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", path.replace("{", "By/").replace("}", ""))
    return "".join(w[:1].upper() + w[1:] for w in words)
