"""`make bench`: AWS round trips per request and the app's import time."""

import logging
import warnings

from . import import_time, round_trips

warnings.filterwarnings("ignore")
logging.disable(logging.WARNING)

print("AWS round trips per request (warm container, embedded AWS)")
for label, calls, ms in round_trips.measure():
    detail = ", ".join(f"{name} {count}" for name, count in sorted(calls.items()))
    print(f"  {label:<46} {sum(calls.values()):>2}  ({detail})  {ms:6.1f} ms in-process")
print("\nimport time, median of 7 fresh interpreters")
for name, value in import_time.measure().items():
    print(f"  {name:<20} {value:.3f}")
