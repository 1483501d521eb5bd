"""Use cases: one service per resource, taking its collaborators in the constructor."""
