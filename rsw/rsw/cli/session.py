"""The one place commands get a `Client` and the project they act in."""

from __future__ import annotations

import os

import typer

from ..client import Client
from ..config import LOCAL_PROFILE, Store, read_json
from .output import Flags


def profile_name(store: Store) -> str:
    """--local, else --profile / $RSW_PROFILE, else the one `rsw configure` made the default."""
    if Flags.local:
        return LOCAL_PROFILE
    return Flags.profile or os.environ.get("RSW_PROFILE") or \
        read_json(store.root / "config.json").get("defaultProfile", "default")


def client() -> Client:
    store = Store()
    return Client.from_profile(profile_name(store), store)


def project_of(api: Client, given: str | None) -> str:
    """--project, else $RSW_PROJECT, else the caller's only project (researchers mostly have one)."""
    chosen = given or os.environ.get("RSW_PROJECT")
    if chosen:
        return chosen
    projects = [m["projectId"] for m in api.me().get("projects", [])]
    if len(projects) == 1:
        return projects[0]
    raise typer.BadParameter(f"you are in {len(projects)} projects: say which (or set RSW_PROJECT); "
                             "`rsw projects ls` lists them", param_hint="--project")
