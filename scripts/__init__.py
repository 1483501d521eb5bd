"""Operator scripts: deployment helpers run from a workstation, never deployed."""
