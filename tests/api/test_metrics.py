"""Metrics reach CloudWatch as embedded-metric-format log lines: requests by route and code."""

from __future__ import annotations

import json

import pytest

from chalicelib.events.dispatch import Dispatcher, PoisonMessages, Record


def emitted(text: str) -> list[dict]:
    found = []
    for line in text.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and "_aws" in record:
            found.append(record)
    return found


def test_each_request_is_counted_by_route_and_code_and_timed(api, admin, monkeypatch, capsys):
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    capsys.readouterr()
    api.http.get("/projects/proj-00000000-0000-0000-0000-000000000000", headers=admin.headers)
    metrics = emitted(capsys.readouterr().out)
    requests = [m for m in metrics if "Requests" in m]
    assert requests and requests[0]["route"] == "GET /projects/{project_id}" and requests[0]["code"] == "PROJECT_NOT_FOUND"
    directive = requests[0]["_aws"]["CloudWatchMetrics"][0]
    assert directive["Namespace"] == "ResearchWorkbench"
    assert any({"route", "code"} <= set(d) for d in directive["Dimensions"])
    assert any("Latency" in m and m["route"] == "GET /projects/{project_id}" for m in metrics)


class _Sqs:
    """A queue that only records what the dispatcher deletes."""

    def __init__(self) -> None:
        self.deleted: list[str] = []

    def get_queue_url(self, **_: str) -> dict:
        return {"QueueUrl": "https://queue"}

    def delete_message_batch(self, QueueUrl: str, Entries: list[dict]) -> None:  # noqa: N803 - boto3's names
        self.deleted += [e["ReceiptHandle"] for e in Entries]


def test_a_poison_message_is_counted_and_the_good_ones_are_deleted(monkeypatch, capsys):
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    sqs = _Sqs()
    dispatcher = Dispatcher({("good", None): lambda e: True}, sqs)
    arn = "arn:aws:sqs:us-east-1:123456789012:rsw-dev-platform-events"
    with pytest.raises(PoisonMessages):
        dispatcher.handle([Record('{"source": "good"}', "rh-good", arn), Record("not json", "rh-bad", arn)])
    assert sqs.deleted == ["rh-good"]
    assert any(m.get("PoisonMessages") == [1.0] for m in emitted(capsys.readouterr().out))
