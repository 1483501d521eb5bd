"""Fixtures for the embedded-AWS emulation tests: fake credentials, mock_aws, settings."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # the project root holds the `local` package
    sys.path.insert(0, str(ROOT))

try:
    from local import emulation
    from local.emulation import EmulationSettings
except ImportError as error:  # moto lost a name the emulation imports: name every one, and say why
    from .moto_contract import missing_imports, report

    raise ImportError(report(missing_imports() or [str(error)])) from error


@pytest.fixture(autouse=True)
def fake_aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "MOTO_ACCOUNT_ID", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def configure() -> Iterator[Callable[..., EmulationSettings]]:
    """Install the emulation with the given settings (synchronous by default).

    Afterwards moto is left as it was found: patched with the same settings, or not at all.
    """
    before = emulation.installed_settings()

    def apply(**overrides: object) -> EmulationSettings:
        return emulation.install(EmulationSettings(**overrides))  # type: ignore[arg-type]

    apply()
    yield apply
    assert emulation.wait_idle(30), "emulation work still running at teardown"
    if before is None:
        emulation.uninstall()
    else:
        emulation.install(before)


@pytest.fixture
def aws(configure: Callable[..., EmulationSettings]) -> Iterator[Callable[..., EmulationSettings]]:
    """moto in-process with the emulation installed; background work drained before teardown.

    Inside a session-wide mock_aws this nests and does not reset, hence fresh accounts per test.
    """
    from moto import mock_aws

    with mock_aws():
        yield configure
        assert emulation.wait_idle(30), "emulation work still running at teardown"


@pytest.fixture
def server(configure) -> Iterator[str]:
    """A ThreadedMotoServer with the emulation installed, as `make local` runs it; its URL."""
    import logging

    from moto.server import ThreadedMotoServer

    from local.emulation import wait_idle

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    moto_server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto_server.start()
    host, port = moto_server.get_host_and_port()
    try:  # no /moto-api/reset: it would wipe a session-wide mock's data too (shared backends)
        yield f"http://{host}:{port}"
    finally:
        assert wait_idle(30)
        moto_server.stop()
