"""Warm in-process latency per route (p50/p95) beside a bare Chalice route through the same local
gateway: what the pipeline (token, authorization read, audit, metrics) adds to Chalice itself."""

from __future__ import annotations

import functools
import statistics
import time
from typing import Any

from .round_trips import _requests, _seed, _send
from .world import embedded_aws

SAMPLES = 60


def measure(samples: int = SAMPLES) -> list[tuple[str, float, float]]:
    from chalice import Chalice
    from chalice.test import Client

    from app import app

    bare = Chalice(app_name="bare")

    @bare.route("/ping")
    def ping() -> dict[str, str]:
        return {"status": "ok"}

    rows = []
    with Client(bare) as client:
        rows.append(("bare Chalice route (no pipeline)", *_percentiles(
            lambda: client.http.get("/ping"), samples)))
    with embedded_aws("rsw-latency") as (outputs, _counter), Client(app) as client:
        world = _seed(outputs)
        for label, method, path, who, payload in _requests(world):
            if method != "GET":
                continue  # writes change what they measure (and each writes an audit event)
            headers = {"Authorization": f"Bearer {world[who]}", "Content-Type": "application/json"}
            request = functools.partial(_send, client, method, path, headers, payload)
            rows.append((label, *_percentiles(request, samples)))
    return rows


def _percentiles(call: Any, samples: int) -> tuple[float, float]:
    call()  # warm
    timings = []
    for _ in range(samples):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(timings, n=20)
    return statistics.median(timings), cuts[18]


def report() -> None:
    print(f"Warm latency in-process, {SAMPLES} requests each (embedded AWS in the same process)")
    print(f"  {'route':<46} {'p50 ms':>8} {'p95 ms':>8}")
    for label, p50, p95 in measure():
        print(f"  {label:<46} {p50:8.1f} {p95:8.1f}")
