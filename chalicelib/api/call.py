"""What a view gets: the request's parts, each parsed and bounded once (see inputs.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from chalice.app import Request

from ..auth.principal import Principal
from ..errors import Unauthenticated
from ..repositories.base import PageRequest
from . import inputs

if TYPE_CHECKING:
    from .routing import RouteSpec

R = TypeVar("R")


class Call:
    def __init__(self, request: Request, principal: Principal | None, spec: RouteSpec) -> None:
        self.request = request
        self.spec = spec
        self.query = inputs.query_values(request.query_params)
        self._principal = principal
        self._json: dict[str, Any] | None = None
        self.preloaded: Any = None  # the resource the route declared it reads (Access.reads), once allowed

    @property
    def principal(self) -> Principal:
        """The signed-in caller; every non-public route has one (the pipeline authenticated it)."""
        if self._principal is None:
            raise Unauthenticated("this route needs a signed-in caller", code="TOKEN_MISSING")
        return self._principal

    @property
    def actor(self) -> str:
        return self._principal.user_id if self._principal else "anonymous"

    def resource(self, kind: type[R]) -> R:
        """The declared resource, read in the same round trip as the caller's roles (pipeline.py)."""
        if not isinstance(self.preloaded, kind):
            raise TypeError(f"{self.spec.method} {self.spec.path} declared no {kind.__name__} it reads")
        return self.preloaded

    def json(self) -> dict[str, Any]:
        """The body as a JSON object, parsed once (the idempotency fingerprint reads it too)."""
        if self._json is None:
            self._json = inputs.json_body(self.request.raw_body, self.header("content-type"))
        return self._json

    def body(self) -> Any:
        if self.spec.body is None:
            raise TypeError(f"{self.spec.method} {self.spec.path} declared no body model")
        return self.spec.body.model_validate(self.json())

    def page(self) -> PageRequest:
        return PageRequest(size=inputs.page_size(self.query.get("pageSize")),
                           token=inputs.pagination_token(self.query.get("paginationToken")))

    def if_match(self) -> int | None:
        return inputs.if_match(self.header("if-match"))

    def header(self, name: str) -> str | None:
        return inputs.header(self.request.headers, name)
