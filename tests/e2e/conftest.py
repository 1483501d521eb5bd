"""The local stack as `make local` starts it, shared by the end-to-end modules."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str, token: str | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@contextlib.contextmanager
def running_local_stack(state: Path) -> Iterator[tuple[dict, subprocess.Popen]]:
    """`make local` in a subprocess on free ports, its log and stack.json in `state`; killed on exit."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AWS_", "APP_", "AUTH_", "USER_POOL", "CONSOLE_"))}
    log = (state / "local.log").open("w")  # a file, not a pipe: nobody reads a pipe, and a full one blocks the server
    process = subprocess.Popen([sys.executable, "-m", "local", "--api-port", str(_free_port()),
                                "--aws-port", str(_free_port()), "--notebook-port", str(_free_port()),
                                "--console-port", str(_free_port()), "--state-dir", str(state)],
                               cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        while not (state / "stack.json").exists():
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"make local did not come up:\n{(state / 'local.log').read_text()[-3000:]}")
            time.sleep(0.5)
        yield json.loads((state / "stack.json").read_text()), process
    finally:
        if process.poll() is None:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def local_stack(tmp_path_factory):
    state = tmp_path_factory.mktemp("local")
    with running_local_stack(state) as (stack, process):
        yield stack, process, state
