"""How results and errors look: rich tables for people, stable JSON for scripts (docs/cli.md)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..errors import ApiError, RswError

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)

# Exit codes (docs/cli.md): usage errors are click's own 2.
OK, REFUSED, USAGE, NOT_SIGNED_IN, TIMED_OUT = 0, 1, 2, 3, 4


class Format(StrEnum):
    table = "table"
    json = "json"


class Flags:
    """Options given before the command (`rsw --local --output json …`), set by the root callback."""

    output: Format = Format.table
    profile: str | None = None
    local: bool = False


OutputOption = Annotated[Format | None, typer.Option("--output", "-o", help="table (default) or json: stable shapes")]


def fmt(given: Format | None) -> Format:
    return given or Flags.output


def emit_json(data: Any) -> None:
    out.print_json(json.dumps(data, default=str), indent=2, highlight=False)


def show(data: Any, given: Format | None, fields: Sequence[str] | None = None, title: str | None = None) -> None:
    """One resource as key/value rows, or in JSON exactly as the API answered."""
    if fmt(given) == Format.json:
        emit_json(data)
        return
    table = Table(show_header=False, box=None, title=title, title_justify="left")
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    for key in fields or list(data):
        if key in data:
            table.add_row(f"[bold]{key}[/]", escape(_cell(data[key])))
    out.print(table)


def show_list(items: Iterable[Mapping[str, Any]], given: Format | None, columns: Sequence[str]) -> None:
    """Every page gathered: a JSON array, or a table of the named columns."""
    rows = list(items)
    if fmt(given) == Format.json:
        emit_json(rows)
        return
    if not rows:
        err.print("[dim](none)[/]")
        return
    table = Table(header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")  # ids are copied from here: never cut them short
    for row in rows:
        table.add_row(*(escape(_cell(row.get(c))) for c in columns))
    out.print(table)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, default=str) if value else ""
    return str(value)


def message(text: str) -> None:
    """Chatter for people goes to stderr, so stdout stays clean for scripts even in table mode."""
    if Flags.output != Format.json:
        err.print(text)


def exit_code(error: RswError) -> int:
    from ..errors import NotConfigured, NotSignedIn, WaitTimedOut

    if isinstance(error, NotSignedIn | NotConfigured):
        return NOT_SIGNED_IN
    if isinstance(error, WaitTimedOut):
        return TIMED_OUT
    return REFUSED


def problem(error: RswError) -> dict[str, Any]:
    if isinstance(error, ApiError):
        return {k: v for k, v in {**error.problem, "status": error.status, "code": error.code,
                                  "title": error.title, "detail": error.detail}.items() if v not in (None, [])}
    return {"title": error.title, "detail": error.detail, "hint": error.hint, "code": type(error).__name__}


def render_error(error: RswError) -> None:
    """The problem's title, detail and hint; JSON on stderr when the caller asked for JSON."""
    if Flags.output == Format.json:
        err.print_json(json.dumps(problem(error)), highlight=False)
        return
    status = f" ({error.status} {error.code})" if isinstance(error, ApiError) else ""
    err.print(f"[bold red]{escape(error.title)}[/]{escape(status)}: {escape(error.detail)}")
    for field in getattr(error, "errors", []) or []:
        err.print(f"  [red]•[/] {escape(str(field.get('field')))}: {escape(str(field.get('message')))}")
    if error.hint:
        err.print(f"[yellow]hint:[/] {escape(error.hint)}")
