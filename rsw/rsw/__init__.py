"""The Research Service Workbench client: `Client` for scripts and notebooks, `rsw` for terminals."""

from .client import Client
from .errors import ApiError, NotSignedIn, RswError, WaitTimedOut

__all__ = ["ApiError", "Client", "NotSignedIn", "RswError", "WaitTimedOut"]
