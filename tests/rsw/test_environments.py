"""Waiting for an environment: every change reported, a final status returned, a deadline kept."""

from __future__ import annotations

import pytest

from rsw import WaitTimedOut
from rsw.config import Store

from .fake import FakeWorkbench


def signed_in(tmp_path, statuses):
    fake = FakeWorkbench()
    fake.environment_statuses = statuses
    client = fake.client(Store(tmp_path))
    client.sign_in("jane", "secret")
    return client


def test_wait_reports_each_status_once_and_returns_the_completed_environment(tmp_path):
    client = signed_in(tmp_path, ["PENDING", "PENDING", "PENDING", "COMPLETED"])
    seen: list[str] = []
    env = client.environments.wait("proj-1", "env-1", on_change=lambda e: seen.append(e["status"]), poll=0)
    assert env["status"] == "COMPLETED" and seen == ["PENDING", "COMPLETED"]


def test_a_failure_ends_the_wait_with_its_reason(tmp_path):
    client = signed_in(tmp_path, ["PENDING", "FAILED"])
    assert client.environments.wait("proj-1", "env-1", poll=0)["statusReason"] == "failed"


def test_a_stop_waits_for_stopped(tmp_path):
    client = signed_in(tmp_path, ["STOPPING", "STOPPED"])
    assert client.environments.wait("proj-1", "env-1", action="stop", poll=0)["status"] == "STOPPED"


def test_past_the_deadline_the_wait_times_out_with_the_last_state(tmp_path):
    client = signed_in(tmp_path, ["PENDING"])
    ticks = iter(range(100))
    client.environments.clock = lambda: float(next(ticks))
    with pytest.raises(WaitTimedOut) as raised:
        client.environments.wait("proj-1", "env-1", timeout=3, poll=0)
    assert raised.value.last["status"] == "PENDING"
