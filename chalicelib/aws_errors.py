"""The one translation from botocore's errors to what the domain says about them."""

from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError

from .errors import DependencyFailed

AWS_ERRORS = (ClientError, BotoCoreError)
THROTTLING = frozenset({"Throttling", "ThrottlingException", "TooManyRequestsException",
                        "RequestLimitExceeded", "ProvisionedThroughputExceededException", "SlowDown"})


def error_code(error: Exception) -> str:
    """AWS's error code (AccessDenied, ResourceNotFoundException …), or the client-side failure's name."""
    if isinstance(error, ClientError):
        return str(error.response.get("Error", {}).get("Code") or "Unknown")
    return type(error).__name__


def error_message(error: Exception) -> str:
    if isinstance(error, ClientError):
        return str(error.response.get("Error", {}).get("Message") or error_code(error))[:300]
    return str(error)[:300]


def dependency_failed(error: Exception, doing: str, hint: str | None = None) -> DependencyFailed:
    """`doing`: what we were trying, in the user's words (e.g. "start the launch automation")."""
    code = error_code(error)
    default_hint = ("AWS is throttling the workbench; retry in a minute." if code in THROTTLING
                    else "Retry in a moment; if it persists, an IT admin can look up the request id in the logs.")
    return DependencyFailed(f"could not {doing}: {code}: {error_message(error)}", code="DEPENDENCY_FAILED",
                            hint=hint or default_hint)
