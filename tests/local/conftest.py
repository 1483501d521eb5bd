"""Tests of `make local`'s pieces that serve the app (gateway answers) need the shared moto and app fixtures."""

from tests.fixtures import *  # noqa: F401,F403
