"""audit: who did what, when, on which resource, and what the workbench decided (GET /auditEvents)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Annotated

import typer

from ..client import Client
from . import session
from .output import OutputOption, show_list

audit = typer.Typer(no_args_is_help=True,
                    help="The audit trail (IT admins; project admins for their project): `rsw audit ls --since 1h`")

AUDIT_COLUMNS = ("time", "actor", "action", "resource", "decision", "status")
AGE = re.compile(r"(\d+)([smhdw])")
UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
MAX_PAGE = 100  # the API's largest pageSize

EPILOG = """Examples:

  rsw audit ls --since 2h                        # the last two hours

  rsw audit ls --action project:update -o json   # all fields, with changes

  rsw audit ls --project proj-…                  # a project you administer

  rsw audit ls --actor system --since 2026-11-30T00:00:00Z --until 1d

Times: ISO 8601 (no zone: your local time) or an age before now: 30m, 12h, 7d, 2w.
"""


@audit.command("ls", epilog=EPILOG)
def audit_ls(actor: Annotated[str | None, typer.Option(help="a user's id, or `system`")] = None,
             project: Annotated[str | None, typer.Option(
                 "--project", "-p", help="only this project's events (default for project admins: the one you "
                                         "administer)")] = None,
             action: Annotated[str | None, typer.Option(help="e.g. project:update, dataset:manage")] = None,
             since: Annotated[str | None, typer.Option(help="from this time (ISO 8601) or age (2h, 7d)")] = None,
             until: Annotated[str | None, typer.Option(help="up to this time (ISO 8601) or age")] = None,
             limit: Annotated[int, typer.Option(min=0, help="the newest N events; 0 for the whole trail")] = 100,
             output: OutputOption = None):
    """Audit events, newest first: a table of time, actor, action, resource, decision and status."""
    api = session.client()
    events = api.audit.list(actor, project or _administered(api), action, _when(since, "--since"),
                            _when(until, "--until"), page_size=min(limit, MAX_PAGE) or MAX_PAGE)
    # The iterator is lazy: islice stops asking for pages once `limit` events are in, so an IT admin's
    # `audit ls` does not read months of trail to show the latest screenful.
    show_list(islice(events, limit) if limit else events, output, AUDIT_COLUMNS)


def _administered(api: Client) -> str | None:
    """A project admin may read only the trail of a project they administer, so the API wants its id; with
    exactly one, take it. IT admins (and callers with no admin role, whom the API refuses) pass none."""
    me = api.me()
    if "ITAdmin" in me.get("roles", []):
        return None
    administered = [p["projectId"] for p in me.get("projects", []) if p.get("role") == "ProjectAdmin"]
    if len(administered) > 1:
        raise typer.BadParameter(f"you administer {len(administered)} projects: say which; `rsw projects ls` "
                                 "lists them", param_hint="--project")
    return administered[0] if administered else None


def _when(value: str | None, option: str) -> datetime | None:
    """An age (`2h`) counts back from now; anything else must be ISO 8601 (a naive one is local time)."""
    if value is None:
        return None
    if age := AGE.fullmatch(value.strip()):
        return datetime.now(UTC) - timedelta(**{UNITS[age[2]]: int(age[1])})
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise typer.BadParameter("an ISO 8601 time (2026-11-30T12:00:00Z) or an age (30m, 2h, 7d)",
                                 param_hint=option) from None
