"""One registry of the attributes the emulation sets on moto's classes, so they can be undone."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

_MISSING = object()
_lock = threading.Lock()
_originals: dict[tuple[Any, str], Any] = {}
_added: set[tuple[Any, str]] = set()


@dataclass(frozen=True)
class Patched:
    """One attribute the emulation set, and what it expected of moto (checked by the contract test)."""

    owner: Any
    name: str
    added: bool  # declared new with add(): moto is expected not to define it
    found: bool  # moto defined it on owner itself when the emulation first set it


def patch(owner: Any, name: str, value: Any) -> None:
    """Replace moto's own owner.name with value, remembering moto's (once, however often called)."""
    with _lock:
        _set(owner, name, value)


def add(owner: Any, name: str, value: Any) -> None:
    """Give owner an attribute moto lacks (an API action moto does not implement, say)."""
    with _lock:
        _added.add((owner, name))
        _set(owner, name, value)


def _set(owner: Any, name: str, value: Any) -> None:
    _originals.setdefault((owner, name), owner.__dict__.get(name, _MISSING))
    setattr(owner, name, value)


def original(owner: Any, name: str) -> Any:
    """What owner.name was before the emulation touched it (a plain function for methods)."""
    if (owner, name) not in _originals:
        return owner.__dict__[name]
    value = _originals[(owner, name)]
    if value is _MISSING:  # returning the replacement would make a wrapper call itself forever
        raise AttributeError(f"moto's {getattr(owner, '__name__', owner)} has no {name} of its own to wrap: "
                             "moto was upgraded past 5.2.x; the emulation must be updated")
    return value


def patched() -> list[Patched]:
    """Every attribute set since the last restore_all(), in the order first set."""
    with _lock:
        return [Patched(owner, name, (owner, name) in _added, value is not _MISSING)
                for (owner, name), value in _originals.items()]


def restore_all() -> None:
    """Put every patched attribute back as moto defined it."""
    with _lock:
        for (owner, name), value in reversed(list(_originals.items())):
            if value is _MISSING:
                delattr(owner, name)
            else:
                setattr(owner, name, value)
        _originals.clear()
        _added.clear()


def active() -> bool:
    return bool(_originals)
