"""Every tier's environment: fake AWS credentials, no real endpoint or profile; nothing heavy is imported.

The embedded AWS and the app's fixtures live in tests/fixtures.py, registered here once so that
every directory shares the one session stack; it imports moto and the app only inside fixtures.
"""

from __future__ import annotations

import os

# Tests written before tests/helpers.py existed import these from here; new code imports tests.helpers.
from tests.helpers import NOTEBOOK_PARAMETERS, PASSWORD, Person, body, random_account_id  # noqa: F401

pytest_plugins = ["tests.fixtures"]

for _name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
    os.environ.pop(_name, None)
os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")  # a test that reads metrics turns them on
os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_SESSION_TOKEN="testing",
                  AWS_DEFAULT_REGION="us-east-1", AWS_REGION="us-east-1")
