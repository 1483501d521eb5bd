"""Cost of the scheduled account sync as hosting accounts grow: the schedule's own work (it only fans
out) and each account's unit (run by the platform-events handler), beside the reference of checking
every account one after another in the scheduled function itself (what the sync did before).

Only main-account calls are counted (the app's session: DynamoDB, SQS, STS, SSM, Service Catalog,
EventBridge, S3, KMS); what the checks read in hosting accounts goes through assumed roles.
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

import boto3

from .world import embedded_aws, onboard

SIZES = (1, 10, 100)
PROJECTED = 1000


@dataclass
class Row:
    accounts: int
    sequential_calls: int = 0       # reference: every check in the scheduled function, roles assumed each time
    sequential_seconds: float = 0.0
    schedule_calls: dict[str, int] = field(default_factory=dict)
    schedule_seconds: float = 0.0
    unit_calls: int = 0             # all units together, warm container (sessions cached)
    unit_seconds: list[float] = field(default_factory=list)
    cold_unit_calls: int = 0        # one unit in a container that has assumed nothing yet


def measure(sizes: tuple[int, ...] = SIZES) -> list[Row]:
    rows: list[Row] = []
    accounts: list[str] = []
    with embedded_aws("rsw-sync-bench") as (outputs, counter):
        from app import app
        from chalicelib import deps
        from chalicelib.services.accounts import ACCOUNT_CHECK
        from local.pumps import Pumps

        c, queue = deps.container(), _Queue(outputs, Pumps(app))
        for size in sizes:
            while len(accounts) < size:
                accounts.append(onboard("bench", len(accounts)).id)
            c.fan_out.each_account(ACCOUNT_CHECK)
            queue.deliver_all()  # the first pass repairs (shares, grants) and assumes; measure the steady state
            row = Row(size)
            counter.reset()
            started = time.perf_counter()
            assert c.fan_out.each_account(ACCOUNT_CHECK) == size  # noqa: S101 - the bench measured what it says
            row.schedule_seconds, row.schedule_calls = time.perf_counter() - started, dict(counter.calls)
            counter.reset()
            row.unit_seconds = queue.deliver_all()  # warm: the repair pass assumed every role
            row.unit_calls = counter.total
            c.hosting_sessions.clear()
            counter.reset()
            c.accounts.check_account(accounts[0])
            row.cold_unit_calls = counter.total
            counter.reset()
            started = time.perf_counter()
            for account_id in accounts:  # last: it leaves the session cache empty
                c.hosting_sessions.clear()  # the sync before: one AssumeRole per role and check
                c.accounts.check_account(account_id)
            row.sequential_seconds, row.sequential_calls = time.perf_counter() - started, counter.total
            rows.append(row)
    return rows


class _Queue:
    """Receives as Lambda's event source mapping does (not the app's calls) and hands each unit to the
    platform-events handler on its own, timing it."""

    def __init__(self, outputs: dict[str, str], pumps: Any) -> None:
        self._sqs = boto3.client("sqs")
        self._url = outputs["PlatformEventsQueueUrl"]
        self._arn = self._sqs.get_queue_attributes(QueueUrl=self._url, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"]
        self._pumps = pumps

    def deliver_all(self) -> list[float]:
        seconds = []
        while messages := self._sqs.receive_message(QueueUrl=self._url, MaxNumberOfMessages=10).get("Messages", []):
            self._sqs.delete_message_batch(QueueUrl=self._url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
            for message in messages:
                record = {"messageId": message["MessageId"], "receiptHandle": message["ReceiptHandle"],
                          "body": message["Body"], "attributes": {}, "messageAttributes": {},
                          "eventSource": "aws:sqs", "eventSourceARN": self._arn, "awsRegion": "us-east-1"}
                started = time.perf_counter()
                self._pumps.run("platform_events", {"Records": [record]})
                if json.loads(message["Body"]).get("source") == "workbench.accounts":
                    seconds.append(time.perf_counter() - started)
        return seconds


def report() -> None:
    print("scheduled account sync (main-account calls; hosting-account calls go through assumed roles)")
    print(f"  {'accts':>5} | {'before: every check in the schedule':^36} | {'after: the schedule only fans out':^43} | "
          f"{'after: one unit per account (queue handler)':^46}")
    print(f"  {'':>5} | {'calls':>8} {'per acct':>9} {'ms':>9}       | {'calls':>8} {'ms':>9} {'':>24} | "
          f"{'calls/acct':>10} {'cold':>5} {'p50 ms':>8} {'max ms':>8} {'ms total':>9}", flush=True)
    rows = measure()
    for row in rows:
        _print(row)
    _projection(rows[-1])


def _print(row: Row) -> None:
    n = row.accounts
    schedule = sum(row.schedule_calls.values())
    detail = "+".join(f"{v} {k}" for k, v in sorted(row.schedule_calls.items(), key=lambda kv: kv[0] != "Query"))
    print(f"  {n:>5} | {row.sequential_calls:>8} {row.sequential_calls / n:>9.1f} {row.sequential_seconds * 1000:>9.0f}"
          f"       | {schedule:>8} {row.schedule_seconds * 1000:>9.1f} {detail:>24} | "
          f"{row.unit_calls / n:>10.1f} {row.cold_unit_calls:>5} {statistics.median(row.unit_seconds) * 1000:>8.0f} "
          f"{max(row.unit_seconds) * 1000:>8.0f} {sum(row.unit_seconds) * 1000:>9.0f}", flush=True)


def _projection(last: Row) -> None:
    """1,000 accounts, projected (building 1,000 hosting stacks in the embedded AWS takes too long):
    the schedule's own work is one list page per 100 accounts and one SendMessageBatch per 10."""
    pages, batches = -(-PROJECTED // 100), -(-PROJECTED // 10)
    per_call = last.schedule_seconds / max(sum(last.schedule_calls.values()), 1)
    sequential = last.sequential_seconds / last.accounts * PROJECTED
    print(f"  {PROJECTED:>5} | {'projected':>8} {last.sequential_calls / last.accounts:>9.1f} {sequential * 1000:>9.0f}"
          f"       | {pages + batches:>8} {per_call * (pages + batches) * 1000:>9.1f} "
          f"{f'{pages} Query+{batches} SendMessageBatch':>24} | {last.unit_calls / last.accounts:>10.1f} "
          f"{last.cold_unit_calls:>5} {'(per account, as measured)':>27}")
    print(f"  (projected {PROJECTED}: simulated from the {last.accounts}-account run, not built; the units run in "
          f"parallel Lambda invocations, each bounded by one account's checks; before, {PROJECTED} accounts needed "
          f"{sequential:.0f} s in one 300 s function)")
