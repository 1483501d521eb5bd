"""Server mode: every boto3 session made in this process, the app's included, sends s3control and
access-point requests back to the embedded AWS (local/emulation/s3control_rewrite.py).

The app builds its own sessions (chalicelib/aws.py, hosting.py) and knows nothing of local mode,
so the hook sits where every new botocore session picks up its built-in handlers: botocore's
BUILTIN_HANDLERS list, read by each Session as it is created. Install it before any session exists.
"""

from __future__ import annotations

from typing import Any

from botocore import handlers

from .emulation import s3control_rewrite

_installed: list[tuple[str, Any]] = []


def install(endpoint_url: str, region: str) -> None:
    """Idempotent: a second install replaces the first (another endpoint, say)."""
    uninstall()
    rewrite = s3control_rewrite.rewriter(endpoint_url, region)
    for event in s3control_rewrite.EVENTS:
        spec = (event, rewrite)
        handlers.BUILTIN_HANDLERS.append(spec)
        _installed.append(spec)


def uninstall() -> None:
    """Sessions created from now on go without the rewrite; existing ones keep it."""
    while _installed:
        handlers.BUILTIN_HANDLERS.remove(_installed.pop())
