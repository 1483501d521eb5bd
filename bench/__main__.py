"""`make bench`: each figure of issue 14 beside its reference, measured in one run."""

import logging
import os
import sys
import warnings

# Powertools' single_metric prints its EMF line whatever POWERTOOLS_METRICS_DISABLED says; the lines
# CloudWatch would read are noise in a table, so the bench's stdout drops them.
os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"


class _WithoutMetrics:
    def __init__(self, stream) -> None:
        self._stream = stream
        self._dropped = False  # print() writes the line, then its newline apart

    def write(self, text: str) -> int:
        dropped, self._dropped = self._dropped, text.startswith('{"_aws"')
        if self._dropped or (dropped and text == "\n"):
            return len(text)
        return self._stream.write(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


sys.stdout = _WithoutMetrics(sys.stdout)

from . import account_sync, import_time, latency, reconciliation, round_trips, status_lag  # noqa: E402

warnings.filterwarnings("ignore")
logging.disable(logging.WARNING)

print("AWS round trips per request (warm container, embedded AWS)", flush=True)
for label, calls, ms in round_trips.measure():
    detail = ", ".join(f"{name} {count}" for name, count in sorted(calls.items()))
    print(f"  {label:<46} {sum(calls.values()):>2}  ({detail})  {ms:6.1f} ms in-process")
print()
latency.report()
print()
account_sync.report()
print()
status_lag.report()
print()
reconciliation.report()
print("\nimport time, median of 7 fresh interpreters")
for name, value in import_time.measure().items():
    print(f"  {name:<52} {value:.3f}")
