"""Environment lifecycle: the state machine, the drivers that act in hosting accounts, reconciliation."""
