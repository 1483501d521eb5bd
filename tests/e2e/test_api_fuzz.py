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
