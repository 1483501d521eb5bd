"""Cost of the scheduled account sync as the number of hosting accounts grows."""

from __future__ import annotations

import time

from .world import embedded_aws, onboard


def measure(sizes: tuple[int, ...] = (1, 4, 8)) -> list[tuple[int, int, dict[str, int], float]]:
    from chalicelib import deps

    results, onboarded = [], 0
    with embedded_aws("rsw-sync-bench") as (_, counter):
        for size in sizes:
            while onboarded < size:
                onboard("bench", onboarded)
                onboarded += 1
            deps.container().accounts.check_all()  # the first pass repairs (shares); measure the steady state
            counter.reset()
            started = time.perf_counter()
            checked, _ = deps.container().accounts.check_all()
            results.append((size, checked, dict(counter.calls), time.perf_counter() - started))
    return results
