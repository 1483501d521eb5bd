"""env: launch and watch, connect, start/stop/terminate."""

from __future__ import annotations

import time
import webbrowser
from typing import Annotated

import typer
from rich.markup import escape

from ..client import Client
from ..config import LOCAL_PROFILE, load_stack
from ..environments import SETTLED
from ..models import Environment
from . import session
from .output import Format, OutputOption, emit_json, err, fmt, out, show, show_list

env = typer.Typer(no_args_is_help=True,
                  help="Environments: `rsw env launch --name nb1 --wait`, `rsw env connect env-…`")
Project = Annotated[str | None, typer.Option("--project", "-p", envvar="RSW_PROJECT",
                                             help="default: your only project")]
Wait = Annotated[bool, typer.Option("--wait", help="show the status live until it settles")]
Timeout = Annotated[float, typer.Option(help="seconds --wait waits before exit code 4")]
FIELDS = ("id", "name", "status", "statusReason", "allowedActions", "owner", "instanceId", "projectId",
          "datasetIds", "lastReconciledAt", "createdAt")


@env.command("ls")
def env_ls(project: Project = None, status: str | None = None, owner: str | None = None,
           all_projects: Annotated[bool, typer.Option("--all", help="every project (IT admins)")] = False,
           output: OutputOption = None):
    """A project's environments (TERMINATED ones only with --status TERMINATED)."""
    api = session.client()
    project_id = None if all_projects else session.project_of(api, project)
    show_list(api.environments.list(project_id, status, owner), output, ("id", "name", "status", "statusReason"))


@env.command("get")
def env_get(env_id: str, project: Project = None, output: OutputOption = None):
    api = session.client()
    show(api.environments.get(session.project_of(api, project), env_id), output, FIELDS)


@env.command("launch", epilog="Examples:\n\n  rsw env launch --name nb1 --wait\n\n"
             "  rsw env launch -p proj-… --name nb1 --type et-… --config etc-… --dataset dataset-… -o json")
def env_launch(name: Annotated[str, typer.Option(help="the environment's name")], project: Project = None,
               env_type: Annotated[str | None, typer.Option("--type", help="et-… (default: the only one)")] = None,
               config: Annotated[str | None, typer.Option("--config", help="etc-… (default: the only one)")] = None,
               dataset: Annotated[list[str] | None, typer.Option(help="dataset-… to mount, repeatable")] = None,
               description: str | None = None, wait: Wait = False, timeout: Timeout = 900,
               output: OutputOption = None):
    """Launch an environment from a configuration linked to the project; --wait watches it to COMPLETED."""
    api = session.client()
    project_id = session.project_of(api, project)
    env_type, config = _configuration(api, project_id, env_type, config)
    launched = api.environments.launch(project_id, name, env_type, config, description, dataset)
    _finish(api, project_id, launched, "launch", wait, timeout, output)


@env.command("wait")
def env_wait(env_id: str, project: Project = None, timeout: Timeout = 900, output: OutputOption = None):
    """Watch an environment until it settles (COMPLETED, STOPPED, TERMINATED or *FAILED)."""
    api = session.client()
    project_id = session.project_of(api, project)
    current = api.environments.get(project_id, env_id)
    action = next((a for a, s in (("stop", "STOPPING"), ("start", "STARTING"), ("terminate", "TERMINATING"))
                   if current.get("status") == s), "launch")
    _finish(api, project_id, current, action, True, timeout, output)


def _action(name: str, doc: str):
    def act(env_id: str, project: Project = None, wait: Wait = False, timeout: Timeout = 900,
            output: OutputOption = None):
        api = session.client()
        project_id = session.project_of(api, project)
        _finish(api, project_id, getattr(api.environments, name)(project_id, env_id), name, wait, timeout, output)
    act.__doc__ = doc
    env.command(name)(act)


_action("start", "Start a STOPPED environment.")
_action("stop", "Stop a COMPLETED environment.")
_action("terminate", "Terminate a STOPPED or failed environment.")


@env.command("connect")
def env_connect(env_id: str, project: Project = None,
                open_browser: Annotated[bool, typer.Option("--open", help="open it in a browser")] = False,
                output: OutputOption = None):
    """A short-lived sign-in link to your COMPLETED environment: printed, or opened with --open."""
    api = session.client()
    connection = api.environments.connect(session.project_of(api, project), env_id)
    if fmt(output) == Format.json:
        emit_json(connection)
    else:
        out.print(connection["url"], soft_wrap=True)
        err.print(f"[dim]expires {connection.get('expiresAt')}. {escape(connection.get('instructions') or '')}[/]")
    if open_browser:
        webbrowser.open(connection["url"])


def _configuration(api: Client, project_id: str, env_type: str | None, config: str | None) -> tuple[str, str]:
    if env_type and config:
        return env_type, config
    if api.profile == LOCAL_PROFILE:
        stack = load_stack()  # the demo's approved type and linked configuration
        return env_type or stack["environmentTypeId"], config or stack["environmentTypeConfigId"]
    choices = [(t["id"], c["id"]) for t in api.environment_types.list(status="APPROVED")
               if not env_type or t["id"] == env_type
               for c in api.configurations.list(t["id"], project_id) if not config or c["id"] == config]
    if len(choices) != 1:
        raise typer.BadParameter(f"{len(choices)} configurations match: give --type et-… and --config etc-… "
                                 "(`rsw configs ls et-… -p proj-…` lists them)", param_hint="--type/--config")
    return choices[0]


def _finish(api: Client, project_id: str, current: Environment, action: str, wait: bool, timeout: float,
            output: Format | None) -> None:
    if wait and current.get("status") not in SETTLED[action]:
        current = _watch(api, project_id, current, action, timeout, live=fmt(output) != Format.json)
    show(current, output, FIELDS)
    if current.get("status", "").endswith("FAILED"):
        raise typer.Exit(1)


def _watch(api: Client, project_id: str, launched: Environment, action: str, timeout: float,
           live: bool) -> Environment:
    """One line per status change; a spinner with the elapsed time in between (when a terminal)."""
    started = time.monotonic()

    def changed(env: Environment) -> None:
        if live:
            reason = f"  [dim]{escape(env.get('statusReason', ''))}[/]" if env.get("statusReason") else ""
            colour = "red" if env["status"].endswith("FAILED") else "green" if env["status"] in SETTLED[action] \
                else "yellow"
            err.print(f"{time.monotonic() - started:6.1f}s  [{colour}]{env['status']}[/]{reason}")

    if not live:
        return api.environments.wait(project_id, launched["id"], action, timeout)
    err.print(f"{escape(launched.get('name', ''))} [bold]{launched['id']}[/]: waiting for "
              f"{' or '.join(sorted(SETTLED[action]))} (up to {timeout:g} s)")
    with err.status("waiting…", spinner="dots") as spinner:
        def changed_and_spin(env: Environment) -> None:
            changed(env)
            spinner.update(f"{env['status']}…")
        return api.environments.wait(project_id, launched["id"], action, timeout, on_change=changed_and_spin)
