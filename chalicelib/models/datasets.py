"""Datasets: prefixes of the main account's datasets bucket, owned by a project, shared to others."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .base import ApiModel, Description, Name, RequestModel, Resource

AccessLevel = Literal["read-only", "read-write"]
DatasetStatus = Literal["AVAILABLE", "DELETED"]
# A prefix of the datasets bucket: segments of safe characters, ending with "/".
PrefixPath = Annotated[str, StringConstraints(min_length=2, max_length=512,
                                              pattern=r"^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*/$")]


class Dataset(Resource):
    name: Name
    description: Description = ""
    project_id: str                 # the owning project
    prefix: str                     # key prefix in the datasets bucket, ends with "/"
    status: DatasetStatus = "AVAILABLE"
    object_count: int = 0
    total_bytes: int = 0
    last_updated_at: datetime | None = None


class DatasetView(Dataset):
    """A dataset as seen from one project: owned there, or shared into it with a level."""
    access_level: Literal["owner", "read-only", "read-write"] = "owner"


class CreateDataset(RequestModel):
    name: Name
    description: Description = ""
    path: PrefixPath | None = None  # register an existing prefix instead of a new one


class Share(ApiModel):
    dataset_id: str
    project_id: str                 # the project it is shared with
    access_level: AccessLevel
    created_at: datetime
    created_by: str


class PutShare(RequestModel):
    access_level: AccessLevel


class Permissions(ApiModel):
    dataset_id: str
    owner_project_id: str
    shares: list[Share]


class FileToUpload(RequestModel):
    # Checked file by file in services/dataset_paths.py, so every bad path gets its own error.
    path: Annotated[str, StringConstraints(max_length=4096, strip_whitespace=False)]
    size: int = Field(ge=0, le=5 * 1024 ** 4)  # S3's object limit: 5 TiB
    content_type: Annotated[str, StringConstraints(max_length=200, pattern=r"^[\w.+-]+/[\w.+-]+$")] | None = None


class UploadRequest(RequestModel):
    files: list[FileToUpload] = Field(min_length=1, max_length=100)


class PartUrl(ApiModel):
    part_number: int
    url: str


class Upload(ApiModel):
    """A single PUT (url, method, headers) or a multipart upload (upload_id, part_size, parts)."""
    path: str
    expires_at: datetime
    url: str | None = None
    method: str | None = None
    headers: dict[str, str] | None = None
    upload_id: str | None = None
    part_size: int | None = None
    parts: list[PartUrl] | None = None
    uploaded_parts: list[int] | None = None


class Uploads(ApiModel):
    uploads: list[Upload]


class CompletedPart(RequestModel):
    part_number: int = Field(ge=1, le=10_000)
    etag: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class CompleteUpload(RequestModel):
    path: Annotated[str, StringConstraints(min_length=1, max_length=1024, strip_whitespace=False)]
    parts: list[CompletedPart] = Field(min_length=1, max_length=10_000)


class DatasetFile(ApiModel):
    path: str
    size: int
    last_modified: datetime
    etag: str = ""
