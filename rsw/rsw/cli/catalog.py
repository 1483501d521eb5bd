"""types and configs: the environment catalog IT admins approve and projects launch from."""

from __future__ import annotations

from typing import Annotated

import typer

from . import session
from .admin import _done
from .output import OutputOption, show, show_list

types = typer.Typer(no_args_is_help=True, help="Environment types: `rsw types ls`, `rsw types approve et-…`")
configs = typer.Typer(no_args_is_help=True,
                      help="Configurations of a type: `rsw configs ls et-… --project proj-…`")
Project = Annotated[str | None, typer.Option("--project", "-p", help="only those linked to this project")]


@types.command("ls")
def types_ls(status: Annotated[str | None, typer.Option(help="APPROVED or NOT_APPROVED")] = None,
             output: OutputOption = None):
    show_list(session.client().environment_types.list(status=status), output, ("id", "name", "status", "description"))


@types.command("get")
def types_get(env_type_id: str, output: OutputOption = None):
    show(session.client().environment_types.get(env_type_id), output)


@types.command("approve")
def types_approve(env_type_id: str, output: OutputOption = None):
    show(session.client().environment_types.update(env_type_id, status="APPROVED"), output)


@types.command("revoke")
def types_revoke(env_type_id: str, output: OutputOption = None):
    """Un-approve a type (409 while configurations of it exist)."""
    show(session.client().environment_types.update(env_type_id, status="NOT_APPROVED"), output)


@types.command("sync")
def types_sync(output: OutputOption = None):
    """Import new products and versions from the Service Catalog portfolio now."""
    show(session.client().environment_types.sync(), output)


@configs.command("ls")
def configs_ls(env_type_id: str, project: Project = None, output: OutputOption = None):
    """A type's configurations (IT admins), or those linked to --project (members)."""
    rows = session.client().configurations.list(env_type_id, project)
    show_list(rows, output, ("id", "name", "estimatedCost", "params"))


@configs.command("get")
def configs_get(env_type_id: str, configuration_id: str, project: Project = None, output: OutputOption = None):
    show(session.client().configurations.get(env_type_id, configuration_id, project), output)


@configs.command("create", epilog="Example:\n\n  rsw configs create et-… small --param InstanceType=ml.t3.medium "
                 "--param AutoStopIdleTimeInMinutes=30")
def configs_create(env_type_id: str, name: str,
                   param: Annotated[list[str], typer.Option(help="KEY=VALUE, repeatable")],
                   description: str | None = None, estimated_cost: str | None = None, output: OutputOption = None):
    params = dict(p.split("=", 1) for p in param if "=" in p)
    if len(params) != len(param):
        raise typer.BadParameter("every --param is KEY=VALUE", param_hint="--param")
    show(session.client().configurations.create(env_type_id, name, params, description, estimated_cost), output)


@configs.command("delete")
def configs_delete(env_type_id: str, configuration_id: str, output: OutputOption = None):
    session.client().configurations.delete(env_type_id, configuration_id)
    _done({"id": configuration_id, "deleted": True}, output)


@configs.command("link")
def configs_link(project_id: str, env_type_id: str, configuration_id: str, output: OutputOption = None):
    """Let a project launch this configuration."""
    session.client().configurations.link(project_id, env_type_id, configuration_id)
    _done({"projectId": project_id, "envTypeId": env_type_id, "configurationId": configuration_id, "linked": True},
          output)


@configs.command("unlink")
def configs_unlink(project_id: str, env_type_id: str, configuration_id: str, output: OutputOption = None):
    session.client().configurations.unlink(project_id, env_type_id, configuration_id)
    _done({"projectId": project_id, "envTypeId": env_type_id, "configurationId": configuration_id, "linked": False},
          output)
