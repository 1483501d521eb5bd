"""main_account/monitoring.yaml: the dashboard shows every metric the app emits, the alarms watch the bad ones."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
EMITTED = ("Requests", "Latency", "Launches", "StatusTransitions", "DriftRepaired", "DeadlinesHit", "PoisonMessages")


class _Loader(yaml.SafeLoader):
    """CloudFormation's short tags, kept as {tag: value}."""


_Loader.add_multi_constructor("!", lambda loader, tag, node: {tag: (
    loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else
    loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else loader.construct_mapping(node))})


def template() -> dict:
    return yaml.load((ROOT / "main_account" / "monitoring.yaml").read_text(), Loader=_Loader)  # noqa: S506


def test_the_dashboard_body_is_json_and_graphs_every_metric_the_app_emits():
    body = template()["Resources"]["Dashboard"]["Properties"]["DashboardBody"]["Sub"]
    widgets = json.loads(re.sub(r"\$\{[^}]+\}", "x", body))["widgets"]
    text = json.dumps(widgets)
    for metric in EMITTED:
        assert metric in text, metric
    source = (ROOT / "chalicelib").rglob("*.py")
    emitted = {m for f in source for m in re.findall(r'metrics\.count\("(\w+)"', f.read_text())}
    assert emitted <= set(EMITTED), emitted - set(EMITTED)


def test_alarms_watch_dead_letters_server_errors_and_poison_messages():
    alarms = {r["Properties"]["MetricName"] for r in template()["Resources"].values()
              if r["Type"] == "AWS::CloudWatch::Alarm"}
    assert alarms == {"ApproximateNumberOfMessagesVisible", "5XXError", "PoisonMessages"}
