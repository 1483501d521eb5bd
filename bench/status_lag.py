"""Status lag, the figure a researcher feels: from a notebook's state change in the hosting account to
the workbench reporting it, through the event path only (SageMaker state-change event -> the hosting
account's forwarding rule -> the main bus -> the platform-events queue -> the dispatcher).

Measured in the embedded AWS with the local stack's own delivery: EventBridge forwards at once, and
the queue is drained as `make local` drains it (Pumps: a 1 s long poll, then 1 s pause when empty).
No schedule runs meanwhile, so no reconciliation repairs the status behind the event's back.
"""

from __future__ import annotations

import statistics
import time
import uuid

import boto3

from .world import embedded_aws, onboard

CYCLES = 10


def measure(cycles: int = CYCLES) -> dict[str, list[float]]:
    lags: dict[str, list[float]] = {"STOPPED": [], "COMPLETED": []}
    with embedded_aws("rsw-lag-bench") as (outputs, _):
        from app import app
        from chalicelib import deps
        from local.emulation import account_credentials, wait_idle
        from local.pumps import Pumps

        account = deps.container().accounts.check(onboard("bench", 0))
        notebooks = boto3.session.Session(**account_credentials(account.aws_account_id)).client("sagemaker")
        env = _environment(account, notebooks)
        wait_idle(30)
        pumps = Pumps(app, queue_url=outputs["PlatformEventsQueueUrl"])
        pumps.settle()  # what onboarding queued
        pumps.start(schedules=False)
        try:
            for _ in range(cycles):
                for call, status in ((notebooks.stop_notebook_instance, "STOPPED"),
                                     (notebooks.start_notebook_instance, "COMPLETED")):
                    started = time.perf_counter()
                    call(NotebookInstanceName=env.instance_id)
                    lags[status].append(_until(env.id, status) - started)
        finally:
            pumps.stop()
    return lags


def _environment(account, notebooks):
    """An environment whose notebook is InService in the hosting account, tagged as the template tags it."""
    from chalicelib import deps
    from chalicelib.models.base import now
    from chalicelib.models.environments import Environment

    env_id, name, stamp = f"env-{uuid.uuid4()}", f"nb-{uuid.uuid4().hex[:20]}", now()
    notebooks.create_notebook_instance(NotebookInstanceName=name, InstanceType="ml.t3.medium",
                                       RoleArn=f"arn:aws:iam::{account.aws_account_id}:role/bench-notebook",
                                       Tags=[{"Key": "Env", "Value": env_id}])
    return deps.container().environments_repo.add(Environment(
        id=env_id, name=name, project_id="proj-bench", env_type_id="et-bench", env_type_config_id="etc-bench",
        owner="bench", account_id=account.id, aws_account_id=account.aws_account_id, driver="sagemaker-notebook",
        status="COMPLETED", status_reason="bench", status_changed_at=stamp, instance_id=name,
        outputs={"NotebookInstanceName": name}, created_at=stamp, updated_at=stamp, created_by="bench",
        updated_by="bench"))


def _until(env_id: str, status: str, timeout: float = 30.0) -> float:
    """When a strongly consistent read (what GET .../environments/{id} does) first shows `status`."""
    from chalicelib import deps

    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if deps.container().environments_repo.get(env_id).status == status:
            return time.perf_counter()
        time.sleep(0.02)
    raise TimeoutError(f"environment {env_id} did not become {status} within {timeout} s through events")


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def report() -> None:
    lags = measure()
    print(f"status lag through the event path (embedded AWS, local delivery; {CYCLES} stops and {CYCLES} starts)")
    for status, values in lags.items():
        print(f"  notebook -> {status:<10} p50 {statistics.median(values):5.2f} s   p95 {_p95(values):5.2f} s   "
              f"max {max(values):5.2f} s")
    print("  reference: Service Workbench polls every 1 minute (lag up to 60 s); when an event is lost here, the "
          "reconciliation repairs status within one period (10 minutes)")
