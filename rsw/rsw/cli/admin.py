"""projects, members, users, accounts, cost centers: what IT admins and project admins manage."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from . import session
from .output import Format, OutputOption, emit_json, fmt, message, out, show, show_list

projects = typer.Typer(no_args_is_help=True,
                       help="Projects: `rsw projects ls`, `rsw projects create NAME --cost-center cc-…`")
members = typer.Typer(no_args_is_help=True,
                      help="A project's members: `rsw members add proj-… USER_ID --role Researcher`")
users = typer.Typer(no_args_is_help=True, help="Users (IT admins): `rsw users create --first-name … --email …`")
accounts = typer.Typer(no_args_is_help=True, help="Hosting accounts (IT admins): `rsw accounts verify acc-…`")
cost_centers = typer.Typer(no_args_is_help=True,
                           help="Cost centers (IT admins): `rsw cost-centers create NAME --account acc-…`")

PROJECT_COLUMNS = ("id", "name", "costCenterId", "description")
Etag = Annotated[str | None, typer.Option(help="only if unchanged since (If-Match): 412 otherwise")]


@projects.command("ls")
def projects_ls(name: Annotated[str | None, typer.Option(help="name prefix")] = None, output: OutputOption = None):
    """Projects you are in (IT admins: all)."""
    show_list(session.client().projects.list(name=name), output, PROJECT_COLUMNS)


@projects.command("get")
def projects_get(project_id: str, output: OutputOption = None):
    show(session.client().projects.get(project_id), output)


@projects.command("create")
def projects_create(name: str, cost_center: Annotated[str, typer.Option("--cost-center", help="cc-…")],
                    description: str | None = None, output: OutputOption = None):
    show(session.client().projects.create(name, cost_center, description), output)


@projects.command("update")
def projects_update(project_id: str, name: str | None = None, description: str | None = None, etag: Etag = None,
                    output: OutputOption = None):
    show(session.client().projects.update(project_id, name, description, etag), output)


@projects.command("delete")
def projects_delete(project_id: str, etag: Etag = None, output: OutputOption = None):
    session.client().projects.delete(project_id, etag)
    _done({"id": project_id, "deleted": True}, output)


@members.command("ls")
def members_ls(project: Annotated[str | None, typer.Option("--project", "-p")] = None,
               role: str | None = None, output: OutputOption = None):
    api = session.client()
    show_list(api.members.list(session.project_of(api, project), role), output,
              ("id", "firstName", "lastName", "email", "role", "status"))


@members.command("add")
def members_add(project_id: str, user_id: str,
                role: Annotated[str, typer.Option(help="ProjectAdmin or Researcher")] = "Researcher",
                output: OutputOption = None):
    """Give a user a role in a project (replaces their previous role there)."""
    show(session.client().members.add(project_id, user_id, role), output)


@members.command("remove")
def members_remove(project_id: str, user_id: str, output: OutputOption = None):
    session.client().members.remove(project_id, user_id)
    _done({"projectId": project_id, "userId": user_id, "removed": True}, output)


@users.command("ls")
def users_ls(status: str | None = None, email: Annotated[str | None, typer.Option(help="exact match")] = None,
             output: OutputOption = None):
    show_list(session.client().users.list(status, email), output,
              ("id", "username", "firstName", "lastName", "email", "status", "roles"))


@users.command("get")
def users_get(user_id: str, output: OutputOption = None):
    show(session.client().users.get(user_id), output)


@users.command("create")
def users_create(first_name: Annotated[str, typer.Option()], last_name: Annotated[str, typer.Option()],
                 email: Annotated[str, typer.Option()],
                 it_admin: Annotated[bool, typer.Option("--it-admin", help="global ITAdmin role")] = False,
                 output: OutputOption = None):
    """Invite a user: Cognito e-mails a temporary password; the first `rsw login` asks for a new one."""
    show(session.client().users.create(first_name, last_name, email, ["ITAdmin"] if it_admin else None), output)


@users.command("update")
def users_update(user_id: str, first_name: str | None = None, last_name: str | None = None,
                 status: Annotated[str | None, typer.Option(help="ACTIVE or INACTIVE")] = None,
                 etag: Etag = None, output: OutputOption = None):
    fields = {"firstName": first_name, "lastName": last_name, "status": status}
    show(session.client().users.update(user_id, etag, **fields), output)


@users.command("purge")
def users_purge(user_id: str, output: OutputOption = None):
    """Delete an INACTIVE user for good."""
    session.client().users.purge(user_id)
    _done({"id": user_id, "purged": True}, output)


@accounts.command("ls")
def accounts_ls(status: str | None = None, output: OutputOption = None):
    show_list(session.client().accounts.list(status=status), output,
              ("id", "name", "awsAccountId", "status", "statusReason"))


@accounts.command("get")
def accounts_get(account_id: str, output: OutputOption = None):
    show(session.client().accounts.get(account_id), output)


@accounts.command("verify", epilog="Example:\n\n  rsw accounts verify acc-1234… ; echo $?   # 1 when a check failed")
def accounts_verify(account_id: str, output: OutputOption = None):
    """Run every onboarding check now and show them as a checklist; exit 1 if any failed."""
    result = session.client().accounts.verify(account_id)
    if fmt(output) == Format.json:
        emit_json(result)
    else:
        for check in result.get("checks", []):
            mark = "[green]✔[/]" if check.get("passed") else "[red]✘[/]"
            out.print(f"{mark} [bold]{escape(check.get('name', ''))}[/]  {escape(check.get('detail', ''))}")
            if not check.get("passed") and check.get("hint"):
                out.print(f"    [yellow]hint:[/] {escape(check['hint'])}")
        message(f"status: [bold]{result.get('status')}[/] {escape(result.get('statusReason', ''))}")
    if not all(c.get("passed") for c in result.get("checks", [])):
        raise typer.Exit(1)


@accounts.command("delete")
def accounts_delete(account_id: str, etag: Etag = None, output: OutputOption = None):
    session.client().accounts.delete(account_id, etag)
    _done({"id": account_id, "deleted": True}, output)


COST_CENTER_COLUMNS = ("id", "name", "accountId", "awsAccountId", "status", "description")


@cost_centers.command("ls", epilog="Examples:\n\n  rsw cost-centers ls --name lab\n\n"
                      "  rsw -o json cost-centers ls | jq -r '.[].id'")
def cost_centers_ls(name: Annotated[str | None, typer.Option(help="name prefix")] = None, output: OutputOption = None):
    """Cost centers: the hosting account each one bills to."""
    show_list(session.client().cost_centers.list(name=name), output, COST_CENTER_COLUMNS)


@cost_centers.command("get", epilog="Example:\n\n  rsw cost-centers get cc-…")
def cost_centers_get(cost_center_id: str, output: OutputOption = None):
    """One cost center, with its etag for a conditional update."""
    show(session.client().cost_centers.get(cost_center_id), output)


@cost_centers.command("create", epilog="Example:\n\n  rsw cost-centers create genomics --account acc-… "
                      "--description 'Genomics lab grants'")
def cost_centers_create(name: str, account: Annotated[str, typer.Option("--account", help="a CURRENT hosting "
                                                                                          "account: acc-…")],
                        description: str | None = None, output: OutputOption = None):
    """A cost center on a hosting account; projects name it when they are created."""
    show(session.client().cost_centers.create(name, account, description), output)


@cost_centers.command("update", epilog="Examples:\n\n  rsw cost-centers update cc-… --name genomics-2026\n\n"
                      "  rsw cost-centers update cc-… --description 'Grant 42' --etag \"$ETAG\"")
def cost_centers_update(cost_center_id: str, name: str | None = None, description: str | None = None,
                        etag: Etag = None, output: OutputOption = None):
    """Rename or describe it (the hosting account stays)."""
    show(session.client().cost_centers.update(cost_center_id, name, description, etag), output)


@cost_centers.command("delete", epilog="Example:\n\n  rsw cost-centers delete cc-…   # exit 1 (409) while a "
                      "project uses it")
def cost_centers_delete(cost_center_id: str, etag: Etag = None, output: OutputOption = None):
    """Delete a cost center no project names any more."""
    session.client().cost_centers.delete(cost_center_id, etag)
    _done({"id": cost_center_id, "deleted": True}, output)


def _done(data: dict, output: Format | None) -> None:
    if fmt(output) == Format.json:
        emit_json(data)
    else:
        message("done")
