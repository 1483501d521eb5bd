"""Every operation in /openapi.json, fuzzed against the running local stack (schemathesis).

Generated valid and invalid requests, as an IT admin: no response may be a 5xx, and every
response must match what the OpenAPI document says (status codes, content type, schema).
(Hypothesis drives schemathesis' strategies directly: its pytest plugin predates pytest 9.)
"""

from __future__ import annotations

import os

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from local.token import access_token

EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_EXAMPLES", "12"))
# "A schema-valid request is accepted" cannot hold for opaque pagination tokens: any string fits
# the schema, and a forged one must be refused. Every other check runs, including that invalid
# requests are rejected.
EXCLUDED = [positive_data_acceptance]


def test_no_request_breaks_the_api_or_its_contract(local_stack):
    stack, _, _ = local_stack
    admin = next(u for u in stack["users"] if u["role"] == "ITAdmin")
    headers = {"Authorization": f"Bearer {access_token(stack, admin['username'])}"}
    schema = schemathesis.openapi.from_url(f"{stack['apiUrl']}/openapi.json")
    failures, operations = {}, 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])  # no shrinking:
        # each step is an HTTP round trip, and the failure report already names the request
        def exercise(case):
            case.call_and_validate(base_url=stack["apiUrl"], headers=headers, excluded_checks=EXCLUDED)

        try:
            exercise()
        except Exception as failure:  # noqa: BLE001 - collect every operation's failure, then report all
            failures[operation.label] = str(failure)[:1500]
    assert operations >= 25
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())


# The classes of input that once reached a parser unbounded (issue 7): each sent to every operation.
LONG_DIGITS, DEEP = "0" * 4301, b"[" * 1000 + b"]" * 1000
HOSTILE_PATH_IDS = [LONG_DIGITS, "%C3%A9t%C3%A9", "%ED%A0%80", "..%2F..%2Fetc", "a" * 300, "%00"]
HOSTILE_QUERIES = [f"pageSize={LONG_DIGITS}", "paginationToken=x.%C3%A9", "paginationToken=" + "a" * 5000,
                   "name=%ED%A0%80", "status=" + "S" * 3000, "role=%C3%A9"]
HOSTILE_HEADERS = [{"If-Match": '"' + "1" * 39 + '"'}, {"If-Match": '"' + "9" * 400 + '"'},
                   {"Idempotency-Key": "k" * 65}, {"Idempotency-Key": "\xe9"}, {"Content-Type": "text/plain"}]
HOSTILE_BODIES = [DEEP, b'{"a":' * 1000 + b"1" + b"}" * 1000, b'{"name": "\\ud800"}', b"{" + b" " * 300_000 + b"}",
                  b"\xff\xfe garbage"]


def _hostile_requests(paths: dict, ids: dict) -> list[tuple[str, str, dict, bytes]]:
    import re
    cases = []
    for path, operations in paths.items():
        for method in operations:
            concrete = re.sub(r"{(\w+)}", lambda m: ids.get(m.group(1), "x-1"), path)
            cases += [(method, re.sub(r"{\w+}", bad, path), {}, b"") for bad in HOSTILE_PATH_IDS if "{" in path]
            cases += [(method, f"{concrete}?{query}", {}, b"") for query in HOSTILE_QUERIES]
            # A stale If-Match beside each bad header: a route that ignores the bad one still changes nothing.
            cases += [(method, concrete, {"If-Match": '"999999"', **headers}, b"{}") for headers in HOSTILE_HEADERS]
            cases += [(method, concrete, {}, raw) for raw in HOSTILE_BODIES if method in ("post", "put", "patch")]
    return cases


def _real_ids(api: str, headers: dict) -> dict[str, str]:
    """Real ids, so each bad input reaches the route's own parsing rather than stopping at a 404."""
    import requests

    def first(path: str) -> str:
        return requests.get(api + path, headers=headers, timeout=10).json()["data"][0]["id"]
    ids = {"project_id": first("/projects"), "account_id": first("/awsAccounts"),
           "cost_center_id": first("/costCenters"), "env_type_id": first("/environmentTypes?status=APPROVED"),
           "user_id": requests.get(api + "/me", headers=headers, timeout=10).json()["id"]}
    ids["configuration_id"] = first(f"/environmentTypes/{ids['env_type_id']}/configurations")
    return ids


def test_hostile_inputs_to_every_operation_get_a_4xx_problem_never_a_5xx(local_stack):
    import requests

    stack, _, _ = local_stack
    admin = next(u for u in stack["users"] if u["role"] == "ITAdmin")
    auth = {"Authorization": f"Bearer {access_token(stack, admin['username'])}"}
    paths = requests.get(f"{stack['apiUrl']}/openapi.json", timeout=10).json()["paths"]
    cases, failures = _hostile_requests(paths, _real_ids(stack["apiUrl"], auth)), []
    for method, path, headers, raw in cases:
        sent = {**auth, "Content-Type": "application/json", **headers}
        answer = requests.request(method.upper(), stack["apiUrl"] + path, headers=sent, data=raw, timeout=30)
        if answer.status_code >= 500 or (answer.status_code >= 400 and
                                         answer.headers.get("Content-Type") != "application/problem+json"):
            failures.append(f"{method.upper()} {path[:80]} {headers} {raw[:30]!r} -> {answer.status_code} "
                            f"{answer.text[:120]}")
    print(f"hostile inputs: {len(cases)} requests, {len(failures)} 5xx or non-problem answers")
    assert len(cases) > 600
    assert not failures, "\n".join(failures[:30])
