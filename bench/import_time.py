"""Cold-start proxy: importing the app beside importing boto3 alone, each in a fresh interpreter."""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {"APP_TABLE_NAME": "t", "AUTH_TABLE_NAME": "t", "USER_POOL_ID": "p", "USER_POOL_CLIENT_ID": "c",
       "PAGINATION_SECRET_ARN": "s", "PATH": "/usr/bin:/bin"}


def _time(statement: str, runs: int) -> float:
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    samples = [float(subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=ENV, check=True,  # noqa: S603 - our code
                                    capture_output=True, text=True).stdout) for _ in range(runs)]
    return statistics.median(samples)


def measure(runs: int = 7) -> dict[str, float]:
    boto3_alone = _time("import boto3", runs)
    app = _time("import app", runs)
    return {"import boto3 (s)": boto3_alone, "import app (s)": app, "ratio app/boto3": app / boto3_alone}
