"""API Gateway's own answers, emulated for `chalice local` and chalice.test.Client.

Deployed, an unknown route never reaches Lambda: API Gateway answers it with the gateway responses
in .chalice/gateway-responses.json (merged into the package). Chalice's local gateway instead
answers 403 "Missing Authentication Token" and echoes the Authorization header back. This makes it
answer from the same file the deployed API uses, so local and deployed say the same thing.
"""

from __future__ import annotations

import json
import uuid
from functools import cache
from pathlib import Path
from typing import Any

from chalice.app import CognitoUserPoolAuthorizer
from chalice.local import LocalGateway, LocalGatewayAuthorizer

from chalicelib.api.routing import console_cors

RESPONSES = Path(__file__).resolve().parent.parent / ".chalice" / "gateway-responses.json"


@cache
def gateway_response(response_type: str) -> tuple[int, str, dict[str, str]]:
    """(status, body template, headers) of the deployed gateway response of this type."""
    resources = json.loads(RESPONSES.read_text())["Resources"].values()
    props = next(r["Properties"] for r in resources if r["Properties"]["ResponseType"] == response_type)
    headers = {k.removeprefix("gatewayresponse.header."): v.strip("'")
               for k, v in props.get("ResponseParameters", {}).items()}
    return int(props["StatusCode"]), props["ResponseTemplates"]["application/json"], headers


def render(response_type: str) -> dict[str, Any]:
    status, template, headers = gateway_response(response_type)
    request_id = str(uuid.uuid4())
    # Deployed, the stage's merge template adds the origin the app's CORS allows (scripts/app_package.py),
    # so the console reads the gateway's problems instead of a bare network error: locally too.
    headers = {**headers, "Access-Control-Allow-Origin": console_cors().allow_origin, "x-amzn-RequestId": request_id}
    return {"statusCode": status, "headers": headers,
            "multiValueHeaders": {}, "body": template.replace("$context.requestId", request_id)}


def install() -> None:
    """Idempotent: unknown routes answer the MISSING_AUTHENTICATION_TOKEN gateway response."""
    original = LocalGateway.handle_request
    if getattr(original, "emulates_gateway_responses", False):
        return

    def handle_request(self: LocalGateway, method: str, path: str, headers: Any, body: Any) -> Any:
        try:
            self.event_converter._route_matcher.match_route(path)
        except ValueError:
            return render("MISSING_AUTHENTICATION_TOKEN")
        return original(self, method, path, headers, body)

    handle_request.emulates_gateway_responses = True  # type: ignore[attr-defined]
    LocalGateway.handle_request = handle_request  # type: ignore[method-assign]
    install_authorizer_pass_through()


def _pass_cognito(original: Any) -> Any:
    """Locally the pipeline is the only wall: chalice's local Cognito check decodes the token without
    verifying it and fails on a malformed one, so Cognito-authorized routes go straight through."""
    def authorize(self: LocalGatewayAuthorizer, raw_path: str, lambda_event: Any, lambda_context: Any) -> Any:
        route = self._route_for_event(lambda_event)
        if route is not None and isinstance(route.authorizer, CognitoUserPoolAuthorizer):
            return lambda_event, lambda_context
        return original(self, raw_path, lambda_event, lambda_context)
    authorize.emulates_gateway_responses = True  # type: ignore[attr-defined]
    return authorize


def install_authorizer_pass_through() -> None:
    if not getattr(LocalGatewayAuthorizer.authorize, "emulates_gateway_responses", False):
        LocalGatewayAuthorizer.authorize = _pass_cognito(LocalGatewayAuthorizer.authorize)  # type: ignore[method-assign]
