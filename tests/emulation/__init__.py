"""Tests of the embedded-AWS emulation (local/emulation)."""
