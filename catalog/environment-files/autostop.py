#!/usr/bin/env python3
"""Stops this SageMaker notebook instance once Jupyter has been idle for --idle-minutes.

Cron runs it every five minutes (installed by the notebook's OnStart script). Idle means: no
kernel is busy and the latest kernel or terminal activity (or, with none, the instance start) is
older than the limit. Standard library plus the AWS CLI that notebook instances ship with.
"""

from __future__ import annotations

import argparse
import json
import os
import ssl
import subprocess
import sys
import urllib.request
from datetime import datetime, timedelta, timezone

JUPYTER_API = "https://localhost:8443/api/"
METADATA = "/opt/ml/metadata/resource-metadata.json"


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def idle_since(kernels: list[dict], terminals: list[dict], started: datetime) -> datetime | None:
    """When Jupyter became idle, or None while a kernel is busy."""
    if any(k.get("execution_state") == "busy" for k in kernels):
        return None
    seen = [parse_time(item["last_activity"]) for item in [*kernels, *terminals] if item.get("last_activity")]
    return max([started, *seen])


def should_stop(kernels: list[dict], terminals: list[dict], started: datetime, idle_minutes: int,
                now: datetime) -> bool:
    since = idle_since(kernels, terminals, started)
    return idle_minutes > 0 and since is not None and now - since >= timedelta(minutes=idle_minutes)


def _jupyter(path: str) -> list[dict]:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # Jupyter's self-signed certificate on localhost
    try:
        with urllib.request.urlopen(JUPYTER_API + path, context=context, timeout=10) as answer:  # noqa: S310
            return json.load(answer)
    except OSError:
        return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--idle-minutes", type=int, required=True)
    parser.add_argument("--started", help="file whose modification time is the instance start")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)

    now = datetime.now(timezone.utc)
    started = now
    if args.started and os.path.exists(args.started):
        started = datetime.fromtimestamp(os.path.getmtime(args.started), timezone.utc)
    if not should_stop(_jupyter("kernels"), _jupyter("terminals"), started, args.idle_minutes, now):
        return 0
    with open(METADATA) as handle:
        metadata = json.load(handle)
    name, region = metadata["ResourceName"], metadata["ResourceArn"].split(":")[3]
    print(f"{now.isoformat()} idle for {args.idle_minutes} minutes: stopping {name}", flush=True)
    if args.dry_run:
        return 0
    return subprocess.call(["aws", "sagemaker", "stop-notebook-instance", "--region", region,
                            "--notebook-instance-name", name])


if __name__ == "__main__":
    sys.exit(main())
