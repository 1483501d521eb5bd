"""`Client`: one deployment, one signed-in user, every route as a typed method grouped by resource."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from .auth import Cognito, needs_refresh
from .config import LOCAL_PROFILE, Settings, Store
from .datasets import Datasets
from .environments import Environments
from .errors import NotSignedIn
from .resources import (
    Accounts,
    AuditEvents,
    Configurations,
    CostCenters,
    EnvironmentTypes,
    Members,
    Projects,
    Users,
)
from .transport import Api

TIMEOUT = httpx.Timeout(30.0, connect=10.0)


class Client:
    """rsw.Client.from_profile() for a configured deployment; rsw.Client.local() for `make local`.

    Tokens are cached per profile (when a `Store` is given) and refreshed silently before expiry.
    """

    def __init__(self, settings: Settings, *, profile: str = "default", store: Store | None = None,
                 transport: httpx.BaseTransport | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings
        self.profile = profile
        self.store = store
        self.http = httpx.Client(transport=transport, timeout=TIMEOUT, follow_redirects=False)
        self.cognito = Cognito(settings, self.http)
        self._tokens: dict[str, Any] = store.load_tokens(profile) if store else {}
        self._lock = threading.Lock()  # uploads call from worker threads; refresh once, not per thread
        self.api = Api(settings.api_url, self.access_token, self.http, sleep)
        self.projects = Projects(self.api)
        self.members = Members(self.api)
        self.users = Users(self.api)
        self.accounts = Accounts(self.api)
        self.cost_centers = CostCenters(self.api)
        self.environment_types = EnvironmentTypes(self.api)
        self.configurations = Configurations(self.api)
        self.environments = Environments(self.api, sleep)
        self.datasets = Datasets(self.api, self.http)
        self.audit = AuditEvents(self.api)

    @classmethod
    def from_profile(cls, profile: str = "default", store: Store | None = None, **kwargs: Any) -> Client:
        store = store or Store()
        return cls(store.settings(profile), profile=profile, store=store, **kwargs)

    @classmethod
    def local(cls, store: Store | None = None, **kwargs: Any) -> Client:
        return cls.from_profile(LOCAL_PROFILE, store, **kwargs)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- signing in ------------------------------------------------------------------------------
    def sign_in(self, username: str, password: str,
                new_password: str | Callable[[], str] | None = None) -> dict[str, Any]:
        self._remember(self.cognito.sign_in(username, password, new_password))
        return self.me()

    def sign_out(self) -> None:
        self._tokens = {}
        if self.store:
            self.store.forget_tokens(self.profile)

    def access_token(self, force_refresh: bool = False) -> str:
        with self._lock:
            tokens = self._tokens
            if not tokens.get("accessToken"):
                raise NotSignedIn("no saved session for this deployment")
            if tokens.get("clientId") != self.settings.client_id or tokens.get("apiUrl") != self.settings.api_url:
                raise NotSignedIn("the saved session belongs to another deployment (a restarted `make local`?)")
            if force_refresh or needs_refresh(tokens):
                if not tokens.get("refreshToken"):
                    raise NotSignedIn("the session expired")
                self._remember(self.cognito.refresh(tokens))
            return self._tokens["accessToken"]

    def _remember(self, tokens: dict[str, Any]) -> None:
        self._tokens = tokens
        if self.store:
            self.store.save_tokens(self.profile, tokens)

    @property
    def username(self) -> str | None:
        return self._tokens.get("username")

    # -- the caller and the service --------------------------------------------------------------
    def me(self) -> dict[str, Any]:
        return self.api.request("GET", "/me")

    def health(self) -> dict[str, Any]:
        return self.http.get(self.settings.api_url.rstrip("/") + "/health").json()
