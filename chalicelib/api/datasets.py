"""Routes for datasets: create, list, get, delete, share, upload and the file index."""

from __future__ import annotations

from chalice import Blueprint

from .. import deps
from ..auth.decision import Access
from ..errors import InvalidInput
from ..models.base import Page
from ..models.datasets import (
    CompleteUpload,
    CreateDataset,
    Dataset,
    DatasetFile,
    DatasetView,
    Permissions,
    PutShare,
    Share,
    Upload,
    UploadRequest,
    Uploads,
)
from .responses import created, no_content, ok, page
from .routing import Call, endpoint

bp = Blueprint(__name__)
BASE = "/projects/{project_id}/datasets"
ONE = BASE + "/{dataset_id}"


def _path(call: Call) -> str:
    path = call.query.get("path")
    if not path:
        raise InvalidInput("give the file's path: ?path=<path in the dataset>",
                           errors=[{"field": "path", "message": "required"}])
    return path


@endpoint(bp, "GET", BASE, access=Access("dataset:read", "project"), paginated=True, query=("name",),
          response=Page[DatasetView], summary="The project's datasets and those shared into it, with its access level")
def list_datasets(call: Call, project_id: str):
    items, token = deps.container().datasets.list(project_id, call.page(), call.query.get("name"))
    return page(items, token)


@endpoint(bp, "POST", BASE, access=Access("dataset:create", "project"), body=CreateDataset, response=DatasetView,
          status=201, summary="Create a dataset (a new prefix), or register an existing prefix with `path`")
def create_dataset(call: Call, project_id: str):
    dataset = deps.container().datasets.create(call.actor, project_id, call.body())
    return created(dataset, f"{BASE.format(project_id=project_id)}/{dataset.id}")


@endpoint(bp, "GET", ONE, access=Access("dataset:read", "project", reads="projectDataset"), response=DatasetView,
          summary="A dataset owned by or shared into the project, with its totals")
def get_dataset(call: Call, project_id: str, dataset_id: str):
    return ok(call.resource(DatasetView))


@endpoint(bp, "DELETE", ONE, access=Access("dataset:manage", "project"), status=204,
          summary="Delete a dataset (409 while shared or mounted); its objects stay recoverable for 30 days")
def delete_dataset(call: Call, project_id: str, dataset_id: str):
    deps.container().datasets.delete(call.actor, project_id, dataset_id)
    return no_content()


@endpoint(bp, "GET", "/datasets/{dataset_id}", access=Access("dataset:readAny", reads="dataset"), response=Dataset,
          summary="Any dataset, for IT admins")
def get_any_dataset(call: Call, dataset_id: str):
    return ok(call.resource(Dataset))


@endpoint(bp, "PUT", ONE + "/shares/{target_project_id}", access=Access("dataset:manage", "project"),
          body=PutShare, response=Share, summary="Share the dataset with another project (again: change the level)")
def share_dataset(call: Call, project_id: str, dataset_id: str, target_project_id: str):
    return ok(deps.container().datasets.share(call.actor, project_id, dataset_id, target_project_id, call.body()))


@endpoint(bp, "DELETE", ONE + "/shares/{target_project_id}", access=Access("dataset:manage", "project"),
          status=204, summary="Stop sharing the dataset with a project (409 while its environments mount it)")
def unshare_dataset(call: Call, project_id: str, dataset_id: str, target_project_id: str):
    deps.container().datasets.unshare(project_id, dataset_id, target_project_id)
    return no_content()


@endpoint(bp, "GET", ONE + "/permissions", access=Access("dataset:manage", "project"), response=Permissions,
          summary="Which projects the dataset is shared with, and how")
def dataset_permissions(call: Call, project_id: str, dataset_id: str):
    return ok(deps.container().datasets.permissions(project_id, dataset_id))


@endpoint(bp, "POST", ONE + "/upload-requests", access=Access("dataset:upload", "project"), body=UploadRequest,
          response=Uploads, summary="Pre-signed upload URLs (multipart for large files), valid 15 minutes")
def request_uploads(call: Call, project_id: str, dataset_id: str):
    return ok(deps.container().dataset_uploads.request(project_id, dataset_id, call.body()))


@endpoint(bp, "GET", ONE + "/multipart-uploads/{upload_id}", access=Access("dataset:upload", "project"),
          query=("path",), response=Upload,
          summary="Resume a multipart upload: the parts S3 has and fresh URLs for the missing ones")
def resume_upload(call: Call, project_id: str, dataset_id: str, upload_id: str):
    return ok(deps.container().dataset_uploads.resume(project_id, dataset_id, upload_id, _path(call)))


@endpoint(bp, "POST", ONE + "/multipart-uploads/{upload_id}/complete", access=Access("dataset:upload", "project"),
          body=CompleteUpload, summary="Complete a multipart upload with every part's ETag")
def complete_upload(call: Call, project_id: str, dataset_id: str, upload_id: str):
    return ok(deps.container().dataset_uploads.complete(project_id, dataset_id, upload_id, call.body()))


@endpoint(bp, "DELETE", ONE + "/multipart-uploads/{upload_id}", access=Access("dataset:upload", "project"),
          query=("path",), status=204, summary="Abort a multipart upload; nothing of it is left behind")
def abort_upload(call: Call, project_id: str, dataset_id: str, upload_id: str):
    deps.container().dataset_uploads.abort(project_id, dataset_id, upload_id, _path(call))
    return no_content()


@endpoint(bp, "GET", ONE + "/files", access=Access("dataset:read", "project"), paginated=True, query=("prefix",),
          response=Page[DatasetFile], summary="The dataset's file index (kept from S3 events), by path")
def list_files(call: Call, project_id: str, dataset_id: str):
    items, token = deps.container().datasets.files(project_id, dataset_id, call.page(), call.query.get("prefix", ""))
    return page(items, token)

