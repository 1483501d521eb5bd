"""`make bench`: AWS round trips per request and the app's import time."""

import logging
import warnings

from . import account_sync, import_time, reconciliation, round_trips

warnings.filterwarnings("ignore")
logging.disable(logging.WARNING)

print("AWS round trips per request (warm container, embedded AWS)")
for label, calls, ms in round_trips.measure():
    detail = ", ".join(f"{name} {count}" for name, count in sorted(calls.items()))
    print(f"  {label:<46} {sum(calls.values()):>2}  ({detail})  {ms:6.1f} ms in-process")
print("\nscheduled account sync, steady state (app's own AWS calls; hosting-account calls go through assumed roles)")
for size, checked, calls, seconds in account_sync.measure():
    total = sum(calls.values())
    print(f"  {size:>2} accounts: {total:>3} main-account calls ({total / max(checked, 1):.1f} per account), "
          f"{seconds * 1000:6.0f} ms in-process  {dict(sorted(calls.items()))}")
print()
reconciliation.report()
print("\nimport time, median of 7 fresh interpreters")
for name, value in import_time.measure().items():
    print(f"  {name:<52} {value:.3f}")
