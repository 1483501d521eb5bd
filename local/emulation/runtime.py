"""Background work of the emulation: delayed transitions and automation workers, trackable."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

_lock = threading.Lock()
_active: set[threading.Thread] = set()


def _tracked(fn: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        try:
            fn()
        except Exception:  # a background failure must never kill the host process
            log.exception("emulation background task failed")
        finally:
            with _lock:
                _active.discard(threading.current_thread())

    return run


def spawn(fn: Callable[[], None], name: str) -> threading.Thread:
    """Run fn in a daemon thread that wait_idle() knows about."""
    thread = threading.Thread(target=_tracked(fn), name=name, daemon=True)
    with _lock:
        _active.add(thread)
    thread.start()
    return thread


def later(delay: float, fn: Callable[[], None], name: str = "emulation-timer") -> None:
    """Run fn after delay seconds; at once, in the calling thread, when delay <= 0."""
    if delay <= 0:
        fn()
        return
    timer = threading.Timer(delay, _tracked(fn))
    timer.name = name
    timer.daemon = True
    with _lock:
        _active.add(timer)
    timer.start()


def wait_idle(timeout: float = 30.0) -> bool:
    """Block until no emulation work is pending or running; False on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        with _lock:
            pending = [t for t in _active if t is not threading.current_thread()]
        if not pending:
            return True
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        pending[0].join(min(remaining, 0.05))
