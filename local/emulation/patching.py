"""One registry of the attributes the emulation sets on moto's classes, so they can be undone."""

from __future__ import annotations

import threading
from typing import Any

_MISSING = object()
_lock = threading.Lock()
_originals: dict[tuple[Any, str], Any] = {}


def patch(owner: Any, name: str, value: Any) -> None:
    """Set owner.name = value, remembering what was there first (once, however often called)."""
    with _lock:
        _originals.setdefault((owner, name), owner.__dict__.get(name, _MISSING))
        setattr(owner, name, value)


def original(owner: Any, name: str) -> Any:
    """What owner.name was before the emulation touched it (a plain function for methods)."""
    value = _originals.get((owner, name), _MISSING)
    if value is _MISSING:
        value = owner.__dict__[name]
    return value


def restore_all() -> None:
    """Put every patched attribute back as moto defined it."""
    with _lock:
        for (owner, name), value in reversed(list(_originals.items())):
            if value is _MISSING:
                delattr(owner, name)
            else:
                setattr(owner, name, value)
        _originals.clear()


def active() -> bool:
    return bool(_originals)
