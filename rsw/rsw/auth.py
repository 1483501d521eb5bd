"""Cognito sign-in over its plain JSON API (no AWS SDK): USER_PASSWORD_AUTH, the first-sign-in
challenge, and REFRESH_TOKEN_AUTH, exactly as any public app client talks to a user pool."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from typing import Any

import httpx

from .config import Settings
from .errors import NewPasswordRequired, NotSignedIn, SignInFailed

TARGET = "AWSCognitoIdentityProviderService."
REFRESH_MARGIN_SECONDS = 60  # refresh a little early so a token never expires mid-request


class Cognito:
    def __init__(self, settings: Settings, http: httpx.Client) -> None:
        self.settings = settings
        self.http = http

    def _call(self, action: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = self.http.post(self.settings.idp_url, content=json.dumps(body), headers={
            "X-Amz-Target": TARGET + action, "Content-Type": "application/x-amz-json-1.1"})
        data = answer.json() if answer.content else {}
        if answer.status_code >= 400:
            code = str(data.get("__type", f"HTTP_{answer.status_code}")).rsplit("#", 1)[-1]
            raise SignInFailed(code, data.get("message") or data.get("Message") or answer.reason_phrase)
        return data

    def sign_in(self, username: str, password: str,
                new_password: str | Callable[[], str] | None = None) -> dict[str, Any]:
        answer = self._call("InitiateAuth", {
            "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": self.settings.client_id,
            "AuthParameters": {"USERNAME": username, "PASSWORD": password}})
        if answer.get("ChallengeName") == "NEW_PASSWORD_REQUIRED":
            chosen = new_password() if callable(new_password) else new_password
            if not chosen:
                raise NewPasswordRequired()
            answer = self._call("RespondToAuthChallenge", {
                "ChallengeName": "NEW_PASSWORD_REQUIRED", "ClientId": self.settings.client_id,
                "Session": answer.get("Session"),
                "ChallengeResponses": {"USERNAME": username, "NEW_PASSWORD": chosen}})
        if "AuthenticationResult" not in answer:
            raise SignInFailed(answer.get("ChallengeName", "UNKNOWN"), "Cognito asked for a step rsw cannot answer")
        return self._tokens(answer["AuthenticationResult"], username)

    def refresh(self, tokens: dict[str, Any]) -> dict[str, Any]:
        try:
            answer = self._call("InitiateAuth", {
                "AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": self.settings.client_id,
                "AuthParameters": {"REFRESH_TOKEN": tokens["refreshToken"]}})
        except SignInFailed as error:
            raise NotSignedIn(f"the session could not be renewed ({error.code}: {error})") from error
        # Cognito does not rotate the refresh token on REFRESH_TOKEN_AUTH: keep the one we have.
        result = {"RefreshToken": tokens["refreshToken"], **answer["AuthenticationResult"]}
        return self._tokens(result, tokens.get("username", ""))

    def _tokens(self, result: dict[str, Any], username: str) -> dict[str, Any]:
        return {"accessToken": result["AccessToken"], "refreshToken": result.get("RefreshToken"),
                "idToken": result.get("IdToken"), "expiresAt": time.time() + int(result.get("ExpiresIn", 3600)),
                "username": username, "clientId": self.settings.client_id, "apiUrl": self.settings.api_url}


def needs_refresh(tokens: dict[str, Any], now: float | None = None) -> bool:
    return float(tokens.get("expiresAt", 0)) - REFRESH_MARGIN_SECONDS <= (now or time.time())


def claims(token: str) -> dict[str, Any]:
    """The token's payload, unverified: only to show who is signed in (the API verifies it)."""
    try:
        payload = token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return {}
