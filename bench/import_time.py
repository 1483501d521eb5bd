"""Cold-start proxy: importing the app beside importing boto3 alone, each in a fresh interpreter, and
what the first request adds after the import (the lazily loaded composition root, boto3, clients)."""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {"APP_TABLE_NAME": "t", "AUTH_TABLE_NAME": "t", "USER_POOL_ID": "p", "USER_POOL_CLIENT_ID": "c",
       "PAGINATION_SECRET_ARN": "s", "PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "us-east-1",
       "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"}  # noqa: S105 - never sent anywhere
# What the first authorized GET does before its first network call: load deps (and with it boto3 and
# every service), build the container and both DynamoDB tables, and validate the models it returns.
FIRST_REQUEST = """
from chalicelib import deps
from chalicelib.models.projects import Project
from chalicelib.models.users import User
c = deps.Container(jwks=dict)
c.auth_table, c.app_table, c.principals, c.policy, c.projects_repo, c.token_verifier, c.audit
Project.model_json_schema(), User.model_json_schema()
"""


def _time(setup: str, statement: str, runs: int) -> float:
    code = f"{setup}\nimport time; t = time.perf_counter()\n{statement}\nprint(time.perf_counter() - t)"
    samples = [float(subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=ENV, check=True,  # noqa: S603 - our code
                                    capture_output=True, text=True).stdout) for _ in range(runs)]
    return statistics.median(samples)


def measure(runs: int = 7) -> dict[str, float]:
    boto3_alone = _time("", "import boto3", runs)
    app = _time("", "import app", runs)
    first = _time("import app", FIRST_REQUEST, runs)
    return {"import boto3 (s)": boto3_alone, "import app (s)": app, "ratio app/boto3": app / boto3_alone,
            "first request's setup after import, no network (s)": first}
