"""Server mode: route s3control and access-point requests, whose host botocore prefixes, to moto."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

EVENTS = ("before-send.s3-control", "before-send.s3")


def register(events: Any, endpoint_url: str, region: str) -> None:
    """Register the host rewrite on a boto3 session's or client's event system.

    Accepts `session.events`, `client.meta.events`, or a session/client itself.
    """
    events = _event_system(events)
    rewrite = rewriter(endpoint_url, region)
    unique = f"emulation-s3-rewrite-{urlsplit(endpoint_url).netloc}"
    events.register(EVENTS[0], rewrite, unique_id=unique + "-control")
    events.register(EVENTS[1], rewrite, unique_id=unique + "-s3")


def rewriter(endpoint_url: str, region: str) -> Callable[..., None]:
    """The before-send handler for EVENTS.

    botocore's endpoint rules turn the endpoint into http://<account>.<host> (s3control) or
    http://<ap-name>-<account>.<host> (S3 through an access-point ARN), which do not resolve.
    The request goes back to endpoint_url, and the Host header carries the AWS-style name moto
    routes on. Requests already addressed to endpoint_url pass unchanged, so applying it twice
    (a session-wide hook and a client's own registration) is harmless.
    """
    netloc = urlsplit(endpoint_url).netloc

    def rewrite(request: Any, **_: Any) -> None:
        url = urlsplit(request.url)
        if url.netloc == netloc or not url.netloc.endswith("." + netloc):
            return
        prefix = url.netloc[: -len(netloc) - 1]
        request.url = urlunsplit((url.scheme, netloc, url.path, url.query, url.fragment))
        if "accesspoint" not in url.path and "-" in prefix:  # <ap-name>-<account>: S3 data
            host = f"{prefix}.s3-accesspoint.{region}.amazonaws.com"
        else:  # <account>: s3control
            host = f"{prefix}.s3-control.{region}.amazonaws.com"
        if "Host" in request.headers:
            del request.headers["Host"]
        request.headers["Host"] = host

    return rewrite


def _event_system(obj: Any) -> Any:
    if hasattr(obj, "register"):
        return obj
    if hasattr(obj, "meta"):  # a client
        return obj.meta.events
    return obj.events  # a boto3 Session
