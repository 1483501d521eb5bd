"""The domain error tree: what went wrong, in the domain's words. No HTTP in here."""

from __future__ import annotations


class WorkbenchError(Exception):
    """Something the caller did or asked for cannot be done."""

    code = "WORKBENCH_ERROR"

    def __init__(self, detail: str, *, code: str | None = None, hint: str | None = None,
                 errors: list[dict[str, str]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code
        self.hint = hint
        self.errors = errors


class Unauthenticated(WorkbenchError):
    code = "UNAUTHENTICATED"


class NotAllowed(WorkbenchError):
    code = "FORBIDDEN"


class NotFound(WorkbenchError):
    code = "NOT_FOUND"


class AlreadyExists(WorkbenchError):
    code = "ALREADY_EXISTS"


class InvalidState(WorkbenchError):
    code = "INVALID_STATE"


class InvalidInput(WorkbenchError):
    code = "VALIDATION_FAILED"


class UnsupportedMediaType(InvalidInput):
    code = "UNSUPPORTED_MEDIA_TYPE"


class ContentTooLarge(InvalidInput):
    code = "BODY_TOO_LARGE"


class PreconditionFailed(WorkbenchError):
    code = "PRECONDITION_FAILED"


class IdempotencyMismatch(WorkbenchError):
    code = "IDEMPOTENCY_KEY_REUSED"


class DependencyFailed(WorkbenchError):
    """An AWS call we depend on failed; the message says what the user can do about it."""

    code = "DEPENDENCY_FAILED"
