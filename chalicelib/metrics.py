"""CloudWatch metrics in the embedded metric format (Powertools Metrics): written to the log as
JSON that CloudWatch turns into metrics, so counting costs no API call and no latency.

Namespace ResearchWorkbench. Requests and Latency by route and code; Launches by outcome; Status
transitions by status; DriftRepaired and DeadlinesHit from reconciliation; PoisonMessages from the
platform-events queue. main_account/monitoring.yaml graphs them and alarms on the bad ones.
"""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit, single_metric

NAMESPACE = "ResearchWorkbench"


def count(name: str, value: float = 1, **dimensions: str) -> None:
    with single_metric(name=name, unit=MetricUnit.Count, value=value, namespace=NAMESPACE) as metric:
        for key, dimension in dimensions.items():
            metric.add_dimension(name=key, value=dimension)


def request(route: str, code: str, milliseconds: float) -> None:
    """One request: counted by route and outcome code (OK, or the problem's code), timed by route."""
    count("Requests", route=route, code=code)
    with single_metric(name="Latency", unit=MetricUnit.Milliseconds, value=milliseconds,
                       namespace=NAMESPACE) as metric:
        metric.add_dimension(name="route", value=route)
