"""configure, login, logout, whoami: where the deployment is and who you are."""

from __future__ import annotations

from typing import Annotated

import typer

from ..config import LOCAL_PROFILE, Settings, Store, load_stack, read_json, write_private
from ..errors import NotConfigured
from . import session
from .output import OutputOption, message, show


def register(app: typer.Typer) -> None:
    app.command(epilog="Examples:\n\n  rsw configure --local\n\n  rsw configure --api-url https://abc.execute-api."
                "eu-west-1.amazonaws.com/api --region eu-west-1 --client-id 1example23456789")(configure)
    app.command(epilog="Examples:\n\n  rsw login -u jane@example.org\n\n  rsw --local login --as Researcher")(login)
    app.command()(logout)
    app.command()(whoami)


def configure(
    api_url: Annotated[str | None, typer.Option(help="the API's base URL")] = None,
    region: Annotated[str | None, typer.Option(help="the user pool's region")] = None,
    client_id: Annotated[str | None, typer.Option(help="the Cognito app client id")] = None,
    cognito_endpoint: Annotated[str | None, typer.Option(help="only for an emulated Cognito")] = None,
    local: Annotated[bool, typer.Option("--local", help="use `make local` from now on")] = False,
    profile: Annotated[str, typer.Option(help="name to save it under")] = "default",
    output: OutputOption = None,
) -> None:
    """Save where a deployment is, and make it the default for later commands."""
    store = Store()
    if local:
        settings = Settings.from_stack(load_stack())
        profile = LOCAL_PROFILE  # re-read from stack.json on every command: each run has new ports
    else:
        if not (api_url and region and client_id):
            raise NotConfigured("give --api-url, --region and --client-id (or --local)")
        settings = Settings(api_url.rstrip("/"), region, client_id, cognito_endpoint or "")
        store.save_settings(profile, settings)
    data = read_json(store.root / "config.json")
    write_private(store.root / "config.json", {**data, "defaultProfile": profile})
    show({"profile": profile, "apiUrl": settings.api_url, "region": settings.region, "clientId": settings.client_id,
          "cognitoEndpoint": settings.idp_url}, output)


def login(
    username: Annotated[str | None, typer.Option("--username", "-u")] = None,
    password: Annotated[str | None, typer.Option(envvar="RSW_PASSWORD", help="prompted when not given")] = None,
    new_password: Annotated[str | None, typer.Option(help="a first sign-in's new password")] = None,
    as_role: Annotated[str | None, typer.Option("--as", help="local only: the demo user with this role")] = None,
    output: OutputOption = None,
) -> None:
    """Sign in with Cognito (USER_PASSWORD_AUTH); the session is cached and renewed silently."""
    api = session.client()
    if as_role or (api.profile == LOCAL_PROFILE and not username):
        user = _demo_user(as_role or "Researcher")
        username, password = user["username"], user["password"]
    username = username or typer.prompt("Username")
    password = password or typer.prompt("Password", hide_input=True)
    me = api.sign_in(username, password, new_password or (lambda: typer.prompt(
        "Choose a new password", hide_input=True, confirmation_prompt=True)))
    message(f"signed in as [bold]{me['username']}[/] ({me['id']})")
    show(_identity(me), output)


def _demo_user(role: str) -> dict:
    users = [u for u in load_stack().get("users", []) if u["role"].lower() == role.lower()]
    if not users:
        raise NotConfigured(f"no demo user with role {role} in .local/stack.json")
    return users[0]


def logout() -> None:
    """Forget the cached session of this deployment."""
    session.client().sign_out()
    message("signed out")


def whoami(output: OutputOption = None) -> None:
    """Your profile, global roles and project memberships (GET /me)."""
    show(_identity(session.client().me()), output)


def _identity(me: dict) -> dict:
    return {"id": me.get("id"), "username": me.get("username"), "email": me.get("email"),
            "roles": me.get("roles", []), "projects": me.get("projects", [])}
