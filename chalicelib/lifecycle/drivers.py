"""Environment types as plug-ins: one driver per kind of environment, found by its product's name.

A driver knows how its environment is operated in the hosting account once Service Catalog has
provisioned it (launch and terminate are the same shared SSM documents for every type): start,
stop, connect, its native status in workbench terms, and how to list every instance of the
account in pages for reconciliation. docs/environment-types.md shows how to add one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from ..errors import InvalidState
from ..hosting import HostingSession
from ..models.environments import Connection, Environment


@dataclass(frozen=True)
class NativeState:
    """What the hosting account says about one instance, in the driver's own words and ours."""
    instance_id: str
    native_status: str
    status: str | None          # the workbench status it means; None: says nothing (e.g. "Updating")
    reason: str = ""
    env_id: str | None = None   # the environment it belongs to, when the instance carries it (a tag)


class Driver(Protocol):
    name: str

    def instance_id(self, outputs: dict[str, str]) -> str | None:
        """Which provisioned-product output names the instance (e.g. the notebook's name)."""

    def start(self, session: HostingSession, env: Environment) -> None: ...

    def stop(self, session: HostingSession, env: Environment) -> None: ...

    def connect(self, session: HostingSession, env: Environment) -> Connection: ...

    def list_instances(self, session: HostingSession) -> Iterator[NativeState]:
        """Every instance of this kind in the account, read in pages (one call per page)."""

    def from_event(self, event: dict[str, Any]) -> NativeState | None:
        """A state-change event of this kind, or None when the event is not this driver's."""


_DRIVERS: dict[str, Driver] = {}


def register(driver: Driver) -> Driver:
    _DRIVERS[driver.name] = driver
    return driver


def driver_for(product_name: str) -> Driver:
    if product_name not in _DRIVERS:
        raise InvalidState(f"no lifecycle driver is registered for environment type product '{product_name}'",
                           code="ENVIRONMENT_TYPE_UNSUPPORTED",
                           hint="Register a driver in chalicelib/lifecycle (docs/environment-types.md).")
    return _DRIVERS[product_name]


def all_drivers() -> list[Driver]:
    return list(_DRIVERS.values())
