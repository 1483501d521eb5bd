"""Where a deployment is (profiles in config.json) and the signed-in tokens (a 0600 file per profile)."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .errors import NotConfigured

LOCAL_PROFILE = "local"


@dataclass(frozen=True)
class Settings:
    api_url: str
    region: str
    client_id: str
    cognito_endpoint: str = ""  # empty: the region's public Cognito endpoint

    @property
    def idp_url(self) -> str:
        return self.cognito_endpoint or f"https://cognito-idp.{self.region}.amazonaws.com/"

    @classmethod
    def from_stack(cls, stack: dict[str, Any]) -> Settings:
        """`.local/stack.json` as `make local` writes it: moto serves Cognito on the embedded AWS endpoint."""
        return cls(api_url=stack["apiUrl"], region=stack["region"], client_id=stack["clientId"],
                   cognito_endpoint=stack["awsEndpoint"])


def config_dir() -> Path:
    return Path(os.environ.get("RSW_CONFIG_DIR") or Path.home() / ".config" / "rsw")


def write_private(path: Path, data: dict[str, Any]) -> None:
    """Atomically, and never readable by others, even for an instant (tokens are credentials)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w") as out:
            json.dump(data, out, indent=2)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def find_stack_file(start: Path | None = None) -> Path:
    """$RSW_LOCAL_STACK, else the nearest `.local/stack.json` from the working directory up."""
    if os.environ.get("RSW_LOCAL_STACK"):
        return Path(os.environ["RSW_LOCAL_STACK"])
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".local" / "stack.json").exists():
            return folder / ".local" / "stack.json"
    raise NotConfigured("no .local/stack.json here or above: is `make local` running in this checkout?")


def load_stack(path: Path | None = None) -> dict[str, Any]:
    stack = read_json(path or find_stack_file())
    if not stack:
        raise NotConfigured(f"{path or find_stack_file()} is empty or unreadable")
    return stack


class Store:
    """Profiles and token caches under one directory, so tests point $RSW_CONFIG_DIR at a temp folder."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or config_dir()

    def settings(self, profile: str) -> Settings:
        if profile == LOCAL_PROFILE:
            # Re-read every time: each `make local` run has new ports and a new user pool.
            return Settings.from_stack(load_stack())
        saved = read_json(self.root / "config.json").get("profiles", {}).get(profile)
        if not saved:
            raise NotConfigured(f"profile {profile!r} is not configured")
        return Settings(**saved)

    def save_settings(self, profile: str, settings: Settings) -> Path:
        path = self.root / "config.json"
        data = read_json(path)
        data.setdefault("profiles", {})[profile] = asdict(settings)
        write_private(path, data)
        return path

    def tokens_path(self, profile: str) -> Path:
        return self.root / f"tokens-{profile}.json"

    def load_tokens(self, profile: str) -> dict[str, Any]:
        return read_json(self.tokens_path(profile))

    def save_tokens(self, profile: str, tokens: dict[str, Any]) -> None:
        write_private(self.tokens_path(profile), tokens)

    def forget_tokens(self, profile: str) -> None:
        self.tokens_path(profile).unlink(missing_ok=True)
