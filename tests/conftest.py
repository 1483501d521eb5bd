"""Every tier's environment: fake AWS credentials, no real endpoint or profile; nothing heavy is imported.

The embedded AWS and the app's fixtures live in tests/fixtures.py, imported by the conftest.py of
the directories that use them, so `pytest tests/unit` never loads the app or moto.
"""

from __future__ import annotations

import os

from tests.helpers import NOTEBOOK_PARAMETERS, PASSWORD, Person, body, random_account_id  # noqa: F401 - tests
# written before tests/helpers.py existed import these from here; new code imports tests.helpers

for _name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
    os.environ.pop(_name, None)
os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_SESSION_TOKEN="testing",
                  AWS_DEFAULT_REGION="us-east-1", AWS_REGION="us-east-1")
