"""The console in a real browser: Debian's chromium driven by Playwright, against `make local` (issue 12).

They run whenever /usr/bin/chromium exists (`.ci/run` installs it) and otherwise skip, saying so plainly.
Playwright's own browser download (`playwright install`) is never used.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from tests.e2e.conftest import running_local_stack

CHROMIUM = Path("/usr/bin/chromium")
SKIP_REASON = "browser tests skipped: Debian's chromium is not installed"
_skipped: list[str] = []


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.skip(reason=SKIP_REASON))
            _skipped.append(item.nodeid)


def pytest_terminal_summary(terminalreporter):
    if _skipped:
        terminalreporter.write_line(f"{SKIP_REASON} ({len(_skipped)} tests; apt-get install -y chromium)")


@pytest.fixture(scope="session")
def console_stack(tmp_path_factory):
    with running_local_stack(tmp_path_factory.mktemp("console")) as (stack, _process):
        yield stack


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Root (CI) needs --no-sandbox; the browser is Debian's, never one Playwright downloads.
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where the main screens are saved for a person to look at (RSW_SCREENSHOTS, or a temp dir)."""
    folder = Path(os.environ.get("RSW_SCREENSHOTS") or tempfile.mkdtemp(prefix="rsw-console-"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def console(browser, console_stack):
    """A fresh browser context (its own sessionStorage) per test; sign in with `signed_in(role)`."""
    contexts = []

    def open_as(role: str | None = None, width: int = 1280):
        context = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.errors = errors
        page.goto(console_stack["consoleUrl"])
        if role:
            user = next(u for u in console_stack["users"] if u["role"] == role)
            page.get_by_label("Username or e-mail").fill(user["username"])
            page.get_by_label("Password").fill(user["password"])
            page.get_by_role("button", name="Sign in").click()
            page.get_by_role("navigation", name="Main").wait_for()
        return page

    yield open_as
    for context in contexts:
        context.close()
