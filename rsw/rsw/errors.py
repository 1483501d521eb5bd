"""One exception per way a call can end badly; the CLI maps each to its exit code."""

from __future__ import annotations

from typing import Any


class RswError(Exception):
    """Base of everything this package raises on purpose."""

    title = "Error"
    hint: str | None = None

    @property
    def detail(self) -> str:
        return str(self)


# When a problem carries no hint of its own: what a caller can usually do about that status.
DEFAULT_HINTS = {
    401: "sign in again: `rsw login`",
    403: "your role does not allow this: ask an IT admin, or an admin of the project, for access",
    404: "check the id, and that you are a member of the project it belongs to",
    409: "the resource is not in a state that allows this: look at it again (`get`) and retry",
    412: "it changed since you read it: read it again and retry with the new etag",
    429: "too many requests: wait a moment and retry",
}


class ApiError(RswError):
    """An RFC 9457 problem the API answered with (or a non-JSON failure dressed as one)."""

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        self.status = status
        self.problem = problem
        self.code: str = problem.get("code") or f"HTTP_{status}"
        self.title = problem.get("title") or f"HTTP {status}"
        self.hint = problem.get("hint") or DEFAULT_HINTS.get(status)
        self.errors: list[dict[str, Any]] = problem.get("errors") or []
        self.request_id: str | None = problem.get("requestId")
        super().__init__(problem.get("detail") or self.title)

    def __repr__(self) -> str:
        return f"ApiError({self.status}, {self.code!r}, {self.detail!r})"


class NotSignedIn(RswError):
    """No token, an expired refresh token, or a stack restarted under a cached token."""

    title = "Not signed in"

    def __init__(self, detail: str, hint: str = "run `rsw login` (with `--local` against `make local`)") -> None:
        self.hint = hint
        super().__init__(detail)


class SignInFailed(RswError):
    """Cognito refused the credentials or the challenge answer."""

    title = "Sign-in failed"

    def __init__(self, code: str, detail: str) -> None:
        self.code = code
        self.hint = "check the username and password; a first sign-in needs --new-password"
        super().__init__(detail)


class NewPasswordRequired(SignInFailed):
    """A first sign-in with a temporary password: Cognito wants a new one before issuing tokens."""

    def __init__(self) -> None:
        super().__init__("NEW_PASSWORD_REQUIRED", "this account must choose a new password on its first sign-in")
        self.hint = "run `rsw login` again and give --new-password (or answer the prompt)"


class WaitTimedOut(RswError):
    """A wait gave up before the resource reached a final state."""

    title = "Timed out"

    def __init__(self, detail: str, last: dict[str, Any] | None = None) -> None:
        self.last = last or {}
        self.hint = "it is still running: look again with `rsw env get`, or wait longer with --timeout"
        super().__init__(detail)


class NotConfigured(RswError):
    """No API URL or Cognito client known for the profile."""

    title = "Not configured"
    hint = "run `rsw configure` (or `rsw configure --local` with `make local` running)"
