"""Cost of reconciling hosting accounts as environments and accounts grow, and the DynamoDB round
trips of reading one environment next to reading its project.

Environments are written straight to the table and their notebooks made directly in the hosting
accounts (no launch automation), so 1,000 of them are cheap. Every AWS call is counted by service,
the app's own and those made in hosting accounts through assumed roles alike.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

import boto3

from .world import embedded_aws, onboard

# BENCH_MAX_ENVS lowers the largest world (building 1,000 environments takes minutes on a busy machine).
SIZES = tuple(n for n in (10, 100, 1000) if n <= int(os.environ.get("BENCH_MAX_ENVS", "1000")))
ACCOUNT_COUNTS = (1, 10)


class ServiceTally:
    """Counts calls per (service, operation) on every session it is attached to."""

    def __init__(self) -> None:
        self.calls: Counter[tuple[str, str]] = Counter()

    def attach(self, session: boto3.session.Session) -> boto3.session.Session:
        session.events.register("before-call", self._count)
        return session

    def _count(self, model: Any, **_: Any) -> None:
        self.calls[(model.service_model.service_name, model.name)] += 1

    def by_service(self) -> Counter[str]:
        found: Counter[str] = Counter()
        for (service, _), count in self.calls.items():
            found[service] += count
        return found

    def of(self, service: str, operation: str) -> int:
        return self.calls[(service, operation)]


def measure(sizes: tuple[int, ...] = SIZES, account_counts: tuple[int, ...] = ACCOUNT_COUNTS,
            progress: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
    from chalicelib import deps
    from chalicelib.aws import AwsClients
    from local.app_identity import app_credentials

    with embedded_aws("rsw-reconcile-bench") as (outputs, _):
        tally = ServiceTally()
        session = tally.attach(boto3.session.Session(**app_credentials()))
        deps.reset(deps.Container(aws=AwsClients(session), jwks=_jwks))
        reconciler = _reconciler(tally)
        rows = []
        for count in account_counts:
            fleet = _Fleet([onboard("bench", 100 + len(rows) * 10 + i) for i in range(count)])
            for size in sizes:
                fleet.grow_to(size)
                tally.calls.clear()
                started = time.perf_counter()
                outcomes = [reconciler.reconcile_account(a.id) for a in fleet.accounts]
                seconds = time.perf_counter() - started
                assert sum(o.checked for o in outcomes) == size  # noqa: S101 - the bench measured what it says
                rows.append({"envs": size, "accounts": count, "seconds": seconds,
                             "repaired": sum(len(o.repaired) + len(o.overdue) for o in outcomes),
                             "services": tally.by_service(), "stamps": tally.of("dynamodb", "UpdateItem")})
                if progress:
                    progress(rows[-1])
        return {"reconcile": rows, "reads": _reads(outputs, tally)}


def _jwks() -> dict:
    from moto.utilities.utils import load_resource
    return load_resource("cognitoidp/resources/jwks-public.json")


def _reconciler(tally: ServiceTally):
    """The container's reconciler, but with hosting-account sessions that are counted too."""
    from chalicelib import deps
    from chalicelib.hosting import HostingSessions

    c = deps.container()
    # Set before anything reads it (a cached_property), so the container wires the counted one everywhere.
    c.hosting_sessions = HostingSessions(c.aws.client("sts"), c.settings.region,
                                         new_session=lambda **kw: tally.attach(boto3.session.Session(**kw)))
    return c.reconciler


class _Fleet:
    """Environment rows spread evenly over the accounts, each with its notebook in its hosting account."""

    def __init__(self, accounts: list) -> None:
        from local.emulation import account_credentials

        self.accounts = accounts
        self.made = 0
        self._notebooks = {a.id: boto3.session.Session(**account_credentials(a.aws_account_id)).client("sagemaker")
                           for a in accounts}

    def grow_to(self, size: int) -> None:
        from local.emulation import wait_idle

        rows: list[dict[str, Any]] = []
        while self.made < size:
            rows += self._add(self.accounts[self.made % len(self.accounts)], stopped=self.made % 2 == 1)
            self.made += 1
        _write(rows)
        wait_idle(60)

    def _add(self, account, stopped: bool) -> list[dict[str, Any]]:
        from chalicelib import deps
        from chalicelib.models.base import now
        from chalicelib.models.environments import Environment

        name = f"nb-{uuid.uuid4().hex[:20]}"
        notebooks = self._notebooks[account.id]
        notebooks.create_notebook_instance(
            NotebookInstanceName=name, InstanceType="ml.t3.medium",
            RoleArn=f"arn:aws:iam::{account.aws_account_id}:role/bench-notebook")
        if stopped:
            notebooks.stop_notebook_instance(NotebookInstanceName=name)
        stamp = now()
        repo = deps.container().environments_repo
        env = Environment(
            id=f"env-{uuid.uuid4()}", name=name, project_id="proj-bench", env_type_id="et-bench",
            env_type_config_id="etc-bench", owner="bench", account_id=account.id,
            aws_account_id=account.aws_account_id, driver="sagemaker-notebook",
            status="STOPPED" if stopped else "COMPLETED", status_reason="bench", status_changed_at=stamp,
            instance_id=name, outputs={"NotebookInstanceName": name}, created_at=stamp, updated_at=stamp,
            created_by="bench", updated_by="bench")
        # The repository's own items (what EnvironmentRepository.add writes in one transaction), written
        # in batches instead: moto copies every table on each TransactWriteItems, quadratic at 1,000 rows.
        return [repo.item(env), *({**r, "projectId": env.project_id} for r in repo._usage_rows(env))]


def _write(rows: list[dict[str, Any]]) -> None:
    from chalicelib import deps

    with deps.container().app_table.batch_writer() as batch:
        for row in rows:
            batch.put_item(Item=row)


def _reads(outputs: dict[str, str], tally: ServiceTally) -> list[tuple[str, int, int]]:
    """DynamoDB round trips (and all calls) of one authorized GET, warm, as the project's researcher."""
    from chalice.test import Client

    from app import app

    from .round_trips import _seed

    world = _seed(outputs)
    env = _environment_in(world["project"])
    headers = {"Authorization": f"Bearer {world['researcher']}"}
    found = []
    with Client(app) as client:
        for label, path in (("GET /projects/{pid}", f"/projects/{world['project']}"),
                            ("GET /projects/{pid}/environments/{env_id}",
                             f"/projects/{world['project']}/environments/{env.id}")):
            client.http.get(path, headers=headers)  # warm the per-container caches
            tally.calls.clear()
            response = client.http.get(path, headers=headers)
            assert response.status_code == 200, (label, response.status_code, json.loads(response.body))  # noqa: S101
            found.append((label, tally.by_service()["dynamodb"], sum(tally.calls.values())))
    return found


def _environment_in(project_id: str):
    from chalicelib import deps
    from chalicelib.models.base import now
    from chalicelib.models.environments import Environment

    c, stamp = deps.container(), now()
    account = c.accounts_repo.get(c.projects_repo.get(project_id).account_id)
    return c.environments_repo.add(Environment(
        id=f"env-{uuid.uuid4()}", name="read-bench", project_id=project_id, env_type_id="et-bench",
        env_type_config_id="etc-bench", owner="bench", account_id=account.id,
        aws_account_id=account.aws_account_id, driver="sagemaker-notebook", status="STOPPED",
        status_reason="bench", status_changed_at=stamp, created_at=stamp, updated_at=stamp,
        created_by="bench", updated_by="bench"))


def report() -> None:
    """Prints each row as it is measured (the 1,000-environment worlds take minutes to build)."""
    print("reconciliation per run over all accounts (AWS calls by service; the app's and in hosting accounts)")
    print(f"  {'envs':>5} {'accts':>5} {'sts':>4} {'sagemaker':>9} {'ssm':>4} {'ddb reads':>9} "
          f"{'ddb stamps':>10} {'repaired':>8} {'ms':>7}", flush=True)
    results = measure(progress=_row)
    print("  (stamps: one lastReconciledAt UpdateItem per environment, so they grow with environments)")
    print("DynamoDB round trips of one authorized GET (warm container)")
    for label, dynamodb, total in results["reads"]:
        print(f"  {label:<46} dynamodb {dynamodb:>2}  (all AWS calls {total})")


def _row(row: dict[str, Any]) -> None:
    services = row["services"]
    reads = services["dynamodb"] - row["stamps"]
    print(f"  {row['envs']:>5} {row['accounts']:>5} {services['sts']:>4} {services['sagemaker']:>9} "
          f"{services['ssm']:>4} {reads:>9} {row['stamps']:>10} {row['repaired']:>8} "
          f"{row['seconds'] * 1000:>7.0f}", flush=True)
