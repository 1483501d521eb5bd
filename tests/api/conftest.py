"""The API tier runs against the embedded AWS: the shared moto and app fixtures."""

from tests.fixtures import *  # noqa: F401,F403
