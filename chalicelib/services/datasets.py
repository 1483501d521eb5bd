"""Datasets: create or register a prefix, list owned and shared-in, share, and delete safely."""

from __future__ import annotations

import builtins
from collections.abc import Callable

from ..auth.decision import dataset_access
from ..errors import InvalidInput, InvalidState, NotAllowed, NotFound
from ..models.base import new_id, now
from ..models.datasets import CreateDataset, Dataset, DatasetFile, DatasetView, Permissions, PutShare, Share
from ..repositories.base import PageRequest
from ..repositories.dataset_files import DatasetFileRepository
from ..repositories.datasets import DatasetRepository, in_use
from ..repositories.projects import ProjectRepository

NEW_PREFIX = "datasets/"  # where the workbench makes new datasets; registered paths live anywhere else
PURGE = ("workbench.datasets", "Delete Dataset Objects")


class DatasetService:
    def __init__(self, datasets: DatasetRepository, files: DatasetFileRepository, projects: ProjectRepository,
                 enqueue: Callable[[dict], None]) -> None:
        self._datasets = datasets
        self._files = files
        self._projects = projects
        self._enqueue = enqueue

    def create(self, actor: str, project_id: str, request: CreateDataset) -> DatasetView:
        self._projects.get(project_id)
        dataset_id = new_id("dataset")
        prefix = request.path or f"{NEW_PREFIX}{dataset_id}/"
        if request.path:
            if request.path.startswith(NEW_PREFIX):
                raise InvalidInput("datasets/ is where the workbench makes datasets; register another prefix",
                                   errors=[{"field": "path", "message": "inside datasets/"}])
            overlap = self._datasets.prefix_overlaps(request.path)
            if overlap:
                raise InvalidInput(f"the prefix overlaps dataset prefix {overlap}; datasets never nest",
                                   errors=[{"field": "path", "message": f"overlaps {overlap}"}])
        stamp = now()
        dataset = self._datasets.add(Dataset(id=dataset_id, name=request.name, description=request.description,
                                             project_id=project_id, prefix=prefix, created_at=stamp,
                                             updated_at=stamp, created_by=actor, updated_by=actor))
        return DatasetView(**dataset.model_dump())

    @staticmethod
    def view_of(project_id: str, dataset: Dataset, share: Share | None) -> DatasetView:
        """The dataset as the project sees it, from the dataset and its share into the project (read
        together beside the caller's roles); 404 when it is neither owned nor shared here."""
        return DatasetView(**dataset.model_dump(), access_level=_level(project_id, dataset, share))

    def access(self, project_id: str, dataset_id: str) -> tuple[Dataset, str]:
        """The dataset and how this project may use it; 404 when it is neither owned nor shared here."""
        try:
            dataset = self._datasets.get(dataset_id)
        except NotFound:
            raise NotFound(f"dataset {dataset_id} not found", code="DATASET_NOT_FOUND") from None
        share = self._datasets.share(dataset_id, project_id) if dataset.project_id != project_id else None
        return dataset, _level(project_id, dataset, share)

    def owned(self, project_id: str, dataset_id: str) -> Dataset:
        dataset, level = self.access(project_id, dataset_id)
        if level != "owner":
            raise NotAllowed(f"dataset {dataset_id} is shared into project {project_id}; only its owning "
                             f"project ({dataset.project_id}) manages it", code="NOT_DATASET_OWNER")
        return dataset

    def list(self, project_id: str, page: PageRequest, name_prefix: str | None) -> tuple[list[DatasetView], str | None]:
        self._projects.get(project_id)
        found, token = self._datasets.list_for_project(project_id, page, name_prefix)
        return [DatasetView(**d.model_dump(), access_level=level) for d, level in found], token

    def files(self, project_id: str, dataset_id: str, page: PageRequest,
              prefix: str) -> tuple[builtins.list[DatasetFile], str | None]:
        dataset, _ = self.access(project_id, dataset_id)
        return self._files.list(dataset.id, page, prefix)

    def share(self, actor: str, project_id: str, dataset_id: str, target: str, request: PutShare) -> Share:
        dataset = self.owned(project_id, dataset_id)
        if target == project_id:
            raise InvalidInput("a dataset is always available to its own project",
                               errors=[{"field": "targetProjectId", "message": "the owning project"}])
        self._projects.get(target)
        share = Share(dataset_id=dataset.id, project_id=target, access_level=request.access_level,
                      created_at=now(), created_by=actor)
        self._datasets.put_share(share, dataset.project_id)
        return share

    def unshare(self, project_id: str, dataset_id: str, target: str) -> None:
        """Mark, read the mounts, delete: a launch racing this either shows in the read or is refused
        (repositories/datasets.py says why it takes three steps)."""
        self.owned(project_id, dataset_id)
        token = self._datasets.mark_unshare(dataset_id, target, now())
        if token is None:
            raise NotFound(f"dataset {dataset_id} is not shared with project {target}", code="SHARE_NOT_FOUND")
        mounted = self._datasets.mounts(dataset_id, target)
        if mounted:
            self._datasets.unmark_unshare(dataset_id, target, token)
            raise in_use(f"dataset {dataset_id} is mounted in project {target}'s environments", mounted,
                         "DATASET_IN_USE", "Terminate those environments first.")
        if not self._datasets.remove_share(dataset_id, target, token):
            raise InvalidState(f"the share of dataset {dataset_id} with project {target} changed while it was "
                               "being removed", code="SHARE_CHANGED",
                               hint="Someone shared it again, or a launch claimed it; read its permissions and retry.")

    def permissions(self, project_id: str, dataset_id: str) -> Permissions:
        dataset = self.owned(project_id, dataset_id)
        return Permissions(dataset_id=dataset.id, owner_project_id=dataset.project_id,
                           shares=self._datasets.shares(dataset.id))

    def delete(self, actor: str, project_id: str, dataset_id: str) -> None:
        dataset = self.owned(project_id, dataset_id)
        mounted = self._datasets.mounts(dataset_id)
        if mounted:
            raise in_use(f"dataset {dataset_id} is mounted by live environments", mounted, "DATASET_IN_USE",
                         "Terminate those environments first.")
        shares = self._datasets.shares(dataset_id)
        if shares:
            raise in_use(f"dataset {dataset_id} is shared", [s.project_id for s in shares], "DATASET_IN_USE",
                         "Remove its shares first (DELETE …/shares/{projectId}).")
        self._datasets.delete(dataset, actor=actor)
        if dataset.prefix.startswith(NEW_PREFIX):  # registered prefixes keep their data: they were not ours
            self._enqueue({"source": PURGE[0], "detail-type": PURGE[1],
                           "detail": {"datasetId": dataset.id, "prefix": dataset.prefix}})


def _level(project_id: str, dataset: Dataset, share: Share | None) -> str:
    try:
        return dataset_access(project_id, dataset.project_id, share.access_level if share else None)
    except NotFound:
        raise NotFound(f"dataset {dataset.id} not found", code="DATASET_NOT_FOUND") from None
