"""`rsw`: the root command, its global options, and the one place errors become exit codes."""

from __future__ import annotations

from typing import Annotated, Any

import httpx
import typer
from typer._click import Context  # typer vendors click: its Context, not click's
from typer.core import TyperGroup

from ..errors import RswError
from . import admin, audit, catalog, datasets, environments, signin
from .output import REFUSED, Flags, Format, err, exit_code, render_error

EPILOG = """Examples:

  rsw configure --local                      # point at `make local` (reads .local/stack.json)

  rsw --local login --as Researcher          # a demo user of `make local`

  rsw env launch --name nb1 --wait           # launch in your project, watch until COMPLETED

  rsw --output json env ls | jq '.[].status'

  rsw audit ls --action project:update --since 1d   # IT admins: who changed projects today

Exit codes: 0 ok, 1 the API refused (or the environment FAILED), 2 usage, 3 not signed in, 4 timed out.
"""


class Errors(TyperGroup):
    """Maps what the client raises to a message and an exit code, for every subcommand at once."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        # `-o json` after the subcommand must shape errors too, which the root renders before it runs.
        Flags.output = Format.table
        for i, arg in enumerate(args[:-1]):
            if arg in ("-o", "--output") and args[i + 1] in ("json", "table"):
                Flags.output = Format(args[i + 1])
        Flags.output = Format.json if "--output=json" in args else Flags.output
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except RswError as error:
            render_error(error)
            raise typer.Exit(exit_code(error)) from None
        except httpx.TransportError as error:
            err.print(f"[bold red]Cannot reach the service[/]: {error}\n"
                      "[yellow]hint:[/] is the API URL right (`rsw configure`), and is `make local` running?")
            raise typer.Exit(REFUSED) from None


app = typer.Typer(cls=Errors, no_args_is_help=True, epilog=EPILOG, rich_markup_mode=None,
                  help="Research Service Workbench from the terminal: projects, environments, datasets.",
                  context_settings={"help_option_names": ["-h", "--help"]}, pretty_exceptions_enable=False)


@app.callback()
def root(local: Annotated[bool, typer.Option("--local", help="use `make local` (.local/stack.json)")] = False,
         profile: Annotated[str | None, typer.Option("--profile", envvar="RSW_PROFILE",
                                                     help="a deployment saved by `rsw configure`")] = None,
         output: Annotated[Format, typer.Option("--output", "-o", help="table or json, for every command")]
         = Format.table) -> None:
    Flags.local, Flags.profile = local, profile
    if output != Format.table:
        Flags.output = output


signin.register(app)
app.add_typer(admin.projects, name="projects")
app.add_typer(admin.members, name="members")
app.add_typer(admin.users, name="users")
app.add_typer(admin.accounts, name="accounts")
app.add_typer(admin.cost_centers, name="cost-centers")
app.add_typer(catalog.types, name="types")
app.add_typer(catalog.configs, name="configs")
app.add_typer(environments.env, name="env")
app.add_typer(datasets.dataset, name="dataset")
app.add_typer(audit.audit, name="audit")


def run() -> None:
    app()
