"""The API tier: the app is imported at collection, so tests parametrized over ROUTES see every route."""

import app as _app  # noqa: F401 - registers every route (the fixtures themselves come from tests/fixtures.py)
