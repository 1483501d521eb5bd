"""Structured logs: one JSON line per request, with the request id and the actor."""

from __future__ import annotations

import io
import json
import logging

import pytest

from chalicelib.logs import logger


@pytest.fixture
def log_lines():
    """The app logger's JSON output, through a stream of ours with the logger's own formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logger.registered_formatter)
    std = logging.getLogger(logger.name)
    std.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    std.removeHandler(handler)


def test_each_request_logs_a_json_line_with_request_id_and_actor(api, admin, log_lines):
    response = api.http.get("/me", headers=admin.headers)
    entry = [line for line in log_lines() if line.get("message") == "request"][-1]
    assert entry["request_id"] == response.headers["X-Request-Id"]
    assert entry["actor"] == admin.id and entry["status"] == 200 and entry["route"] == "/me"
    assert entry["level"] == "INFO" and entry["service"] == "research-workbench"


def test_anonymous_failures_are_logged_without_an_actor(api, log_lines):
    api.http.get("/me")
    entry = [line for line in log_lines() if line.get("message") == "request"][-1]
    assert entry["status"] == 401 and "actor" not in entry
