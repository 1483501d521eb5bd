"""Datasets (API.md "datasets" rows): list, create, share, files, and uploads through `upload`."""

from __future__ import annotations

import builtins
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from .models import Dataset, Permissions, Share, Upload
from .transport import Api

if TYPE_CHECKING:
    from .uploads import Progress, UploadResult

MAX_FILES_PER_REQUEST = 100  # upload-requests takes at most 100 files at a time


class Datasets:
    def __init__(self, api: Api, http: httpx.Client) -> None:
        self.api = api
        self.http = http

    def _path(self, project_id: str, dataset_id: str = "") -> str:
        return f"/projects/{project_id}/datasets" + (f"/{dataset_id}" if dataset_id else "")

    def list(self, project_id: str, name: str | None = None, page_size: int | None = None) -> Iterator[Dataset]:
        """Owned by the project and shared into it, each with the project's `accessLevel`."""
        return self.api.iterate(self._path(project_id), {"name": name}, page_size)  # type: ignore[return-value]

    def get(self, project_id: str, dataset_id: str) -> Dataset:
        return self.api.request("GET", self._path(project_id, dataset_id))

    def get_any(self, dataset_id: str) -> Dataset:
        """Any project's dataset (IT admins)."""
        return self.api.request("GET", f"/datasets/{dataset_id}")

    def create(self, project_id: str, name: str, description: str | None = None, path: str | None = None) -> Dataset:
        body = {k: v for k, v in {"name": name, "description": description, "path": path}.items() if v is not None}
        return self.api.request("POST", self._path(project_id), json=body)

    def delete(self, project_id: str, dataset_id: str) -> None:
        self.api.request("DELETE", self._path(project_id, dataset_id))

    def share(self, project_id: str, dataset_id: str, target_project_id: str,
              access_level: str = "read-only") -> Share:
        """access_level: read-only or read-write. Sharing again with the same project changes the level."""
        return self.api.request("PUT", self._path(project_id, dataset_id) + f"/shares/{target_project_id}",
                                json={"accessLevel": access_level})

    def unshare(self, project_id: str, dataset_id: str, target_project_id: str) -> None:
        """409 while an environment of the target project mounts the dataset."""
        self.api.request("DELETE", self._path(project_id, dataset_id) + f"/shares/{target_project_id}")

    def permissions(self, project_id: str, dataset_id: str) -> Permissions:
        """The owning project and every project the dataset is shared with, at which level."""
        return self.api.request("GET", self._path(project_id, dataset_id) + "/permissions")

    def files(self, project_id: str, dataset_id: str, prefix: str | None = None,
              page_size: int | None = None) -> Iterator[dict[str, Any]]:
        return self.api.iterate(self._path(project_id, dataset_id) + "/files", {"prefix": prefix}, page_size)

    # -- the upload routes; `upload` below drives them -------------------------------------------
    def request_uploads(self, project_id: str, dataset_id: str,
                        files: Sequence[dict[str, Any]]) -> builtins.list[Upload]:
        answer = self.api.request("POST", self._path(project_id, dataset_id) + "/upload-requests",
                                  json={"files": list(files)})
        return answer["uploads"]

    def resume_multipart(self, project_id: str, dataset_id: str, upload_id: str, path: str) -> Upload:
        """The parts S3 already has (`uploadedParts`) and fresh URLs for the missing ones."""
        return self.api.request("GET", self._path(project_id, dataset_id) + f"/multipart-uploads/{upload_id}",
                                params={"path": path})

    def complete_multipart(self, project_id: str, dataset_id: str, upload_id: str, path: str,
                           parts: Sequence[dict[str, Any]]) -> Any:
        return self.api.request("POST", self._path(project_id, dataset_id) + f"/multipart-uploads/{upload_id}/complete",
                                json={"path": path, "parts": list(parts)})

    def abort_multipart(self, project_id: str, dataset_id: str, upload_id: str, path: str) -> None:
        self.api.request("DELETE", self._path(project_id, dataset_id) + f"/multipart-uploads/{upload_id}",
                         params={"path": path})

    def upload(self, project_id: str, dataset_id: str, paths: Sequence[str | Path], *, prefix: str = "",
               workers: int = 4, progress: Progress | None = None, state_file: Path | None = None,
               restart: bool = False) -> builtins.list[UploadResult]:
        """Uploads files and folders (a folder keeps its name: `data/` → `data/a.csv`), in parallel,
        multipart where the API says so, resuming from `state_file` without re-sending finished parts."""
        from .uploads import Uploader, collect

        uploader = Uploader(self, project_id, dataset_id, workers=workers, progress=progress,
                            state_file=state_file, restart=restart)
        return uploader.run(collect(paths, prefix))
