"""dataset: list, create, share (and who it is shared with), list files, and upload with progress bars (resumable)."""

from __future__ import annotations

import threading
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from ..uploads import UploadResult
from . import session
from .admin import _done
from .output import Format, OutputOption, emit_json, err, fmt, message, show, show_list

dataset = typer.Typer(no_args_is_help=True, help="Datasets: `rsw dataset ls`, `rsw dataset upload dataset-… data/`")
Project = Annotated[str | None, typer.Option("--project", "-p", envvar="RSW_PROJECT",
                                             help="default: your only project")]


@dataset.command("ls")
def dataset_ls(project: Project = None, name: str | None = None, output: OutputOption = None):
    """Datasets of the project, including those shared into it (with your access level)."""
    api = session.client()
    show_list(api.datasets.list(session.project_of(api, project), name), output,
              ("id", "name", "accessLevel", "objectCount", "totalBytes", "description"))


@dataset.command("get")
def dataset_get(dataset_id: str, project: Project = None, output: OutputOption = None):
    api = session.client()
    show(api.datasets.get(session.project_of(api, project), dataset_id), output)


@dataset.command("create")
def dataset_create(name: str, project: Project = None, description: str | None = None,
                   path: Annotated[str | None, typer.Option(help="register an existing prefix")] = None,
                   output: OutputOption = None):
    api = session.client()
    show(api.datasets.create(session.project_of(api, project), name, description, path), output)


@dataset.command("delete")
def dataset_delete(dataset_id: str, project: Project = None, output: OutputOption = None):
    api = session.client()
    api.datasets.delete(session.project_of(api, project), dataset_id)
    _done({"id": dataset_id, "deleted": True}, output)


class Level(StrEnum):
    """The API's access levels; an enum so a typo is a usage error (exit 2), not a round trip."""

    read_only = "read-only"
    read_write = "read-write"


@dataset.command("share", epilog="Examples:\n\n  rsw dataset share dataset-… proj-partner… --level read-only\n\n"
                 "  rsw dataset share dataset-… proj-partner… --level read-write   # a new level")
def dataset_share(dataset_id: str, target_project: str, project: Project = None,
                  level: Annotated[Level, typer.Option("--level", "--access", help="what the target project's "
                                                       "environments may do with it")] = Level.read_only,
                  output: OutputOption = None):
    """Share a dataset of your project with another project; sharing again changes the level."""
    api = session.client()
    show(api.datasets.share(session.project_of(api, project), dataset_id, target_project, level.value), output)


@dataset.command("unshare", epilog="Example:\n\n  rsw dataset unshare dataset-… proj-partner…   "
                 "# 409 while mounted there")
def dataset_unshare(dataset_id: str, target_project: str, project: Project = None, output: OutputOption = None):
    """Stop sharing a dataset with a project."""
    api = session.client()
    api.datasets.unshare(session.project_of(api, project), dataset_id, target_project)
    _done({"id": dataset_id, "projectId": target_project, "shared": False}, output)


@dataset.command("permissions", epilog="Examples:\n\n  rsw dataset permissions dataset-…\n\n"
                 "  rsw -o json dataset permissions dataset-… | jq '.shares[].projectId'")
def dataset_permissions(dataset_id: str, project: Project = None, output: OutputOption = None):
    """The project that owns a dataset, and every project it is shared with at which level."""
    api = session.client()
    result = api.datasets.permissions(session.project_of(api, project), dataset_id)
    if fmt(output) == Format.json:
        emit_json(result)
        return
    message(f"{dataset_id} belongs to {result.get('ownerProjectId')}; shared with:")
    show_list(result.get("shares", []), output, ("projectId", "accessLevel", "createdAt", "createdBy"))


@dataset.command("files")
def dataset_files(dataset_id: str, project: Project = None, prefix: str | None = None, output: OutputOption = None):
    """The dataset's file index: path, size, lastModified."""
    api = session.client()
    show_list(api.datasets.files(session.project_of(api, project), dataset_id, prefix), output,
              ("path", "size", "lastModified"))


@dataset.command("upload", epilog="Examples:\n\n  rsw dataset upload dataset-… results.csv data/\n\n"
                 "  rsw dataset upload dataset-… big.bin    # Ctrl-C, then the same command resumes")
def dataset_upload(dataset_id: str, paths: Annotated[list[Path], typer.Argument(help="files and folders")],
                   project: Project = None, prefix: Annotated[str, typer.Option(help="key prefix")] = "",
                   parallel: Annotated[int, typer.Option(help="simultaneous PUTs")] = 4,
                   state: Annotated[Path | None, typer.Option(help="resume file (default under ~/.config/rsw)")] = None,
                   restart: Annotated[bool, typer.Option(help="abort saved uploads and start over")] = False,
                   output: OutputOption = None):
    """Upload files and folders (a folder keeps its name), in parallel, multipart for big files; run the same
    command again after an interruption to resume without re-sending finished parts."""
    api = session.client()
    project_id = session.project_of(api, project)
    bars = Bars(enabled=fmt(output) != Format.json)
    try:
        with bars.progress:
            results: list[UploadResult] = api.datasets.upload(
                project_id, dataset_id, paths, prefix=prefix, workers=parallel, progress=bars, state_file=state,
                restart=restart)
    except KeyboardInterrupt:
        err.print("[yellow]interrupted:[/] finished parts are saved; run the same command again to resume")
        raise typer.Exit(130) from None
    if fmt(output) == Format.json:
        emit_json({"datasetId": dataset_id, "files": [r.as_json() for r in results]})
        return
    fresh = [r for r in results if not r.skipped]
    notes = [f"{len(results) - len(fresh)} finished in an earlier run"] if len(fresh) < len(results) else []
    if reused := sum(r.parts_reused for r in results):
        notes.append(f"{reused} part(s) reused from an earlier run")
    message(f"uploaded {len(fresh)} file(s), {sum(r.size for r in fresh):,} bytes" + "".join(f"; {n}" for n in notes))


class Bars:
    """rsw.uploads.Progress on rich: one bar per file; advance is called from the worker threads."""

    def __init__(self, enabled: bool) -> None:
        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                                 TransferSpeedColumn(), TimeRemainingColumn(), console=err, disable=not enabled)
        self.tasks: dict[str, TaskID] = {}
        self.totals: dict[str, int] = {}
        self._lock = threading.Lock()

    def start(self, key: str, total: int) -> None:
        with self._lock:
            self.tasks[key] = self.progress.add_task(key, total=total)
            self.totals[key] = total

    def advance(self, key: str, amount: int) -> None:
        if amount:
            self.progress.advance(self.tasks[key], amount)

    def finish(self, key: str) -> None:
        self.progress.update(self.tasks[key], completed=self.totals[key])
