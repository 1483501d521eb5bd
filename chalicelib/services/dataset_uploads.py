"""Uploads into a dataset: pre-signed PUTs, or multipart uploads a client can resume part by part."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from ..aws_errors import AWS_ERRORS, dependency_failed, error_code
from ..errors import InvalidInput, NotAllowed, NotFound
from ..models.base import now
from ..models.datasets import CompleteUpload, Dataset, PartUrl, Upload, UploadRequest, Uploads
from ..repositories.datasets import DatasetRepository
from .dataset_paths import problem

URL_SECONDS = 900          # API.md: upload URLs expire in at most 15 minutes
SINGLE_PUT_LIMIT = 5 * 1024 ** 3  # S3 refuses a single PUT above 5 GiB
MAX_PARTS = 10_000


class DatasetUploads:
    def __init__(self, datasets: DatasetRepository, s3: Any, bucket: str, threshold: int, part_size: int,
                 access: Callable[[str, str], tuple[Dataset, str]]) -> None:
        self._datasets = datasets
        self._s3 = s3
        self._bucket = bucket
        self._threshold = min(threshold, SINGLE_PUT_LIMIT)
        self._part_size = part_size
        self._access = access  # DatasetService.access: the one place that decides a project's level

    def request(self, project_id: str, dataset_id: str, request: UploadRequest) -> Uploads:
        dataset = self._writable(project_id, dataset_id)
        errors = [{"field": f"files.{i}.path", "message": reason} for i, f in enumerate(request.files)
                  if (reason := problem(f.path, dataset.prefix))]
        if errors:
            raise InvalidInput(f"{len(errors)} file path(s) cannot be uploaded: {errors[0]['message']}", errors=errors)
        expires = now() + timedelta(seconds=URL_SECONDS)
        try:
            return Uploads(uploads=[self._multipart(dataset, f.path, f.size, expires) if f.size > self._threshold
                                    else self._single(dataset, f.path, f.size, f.content_type, expires)
                                    for f in request.files])
        except AWS_ERRORS as error:
            raise dependency_failed(error, "prepare the upload") from None

    def resume(self, project_id: str, dataset_id: str, upload_id: str, path: str) -> Upload:
        """Which parts S3 has, and fresh URLs for the missing ones only."""
        dataset = self._writable(project_id, dataset_id)
        record = self._record(dataset, upload_id, path)
        have = self._uploaded_parts(dataset.prefix + path, upload_id)
        total = max(1, math.ceil(record["size"] / record["partSize"]))
        missing = [n for n in range(1, total + 1) if n not in have]
        expires = now() + timedelta(seconds=URL_SECONDS)
        return Upload(path=path, upload_id=upload_id, part_size=record["partSize"], expires_at=expires,
                      uploaded_parts=sorted(have), parts=self._part_urls(dataset.prefix + path, upload_id, missing))

    def complete(self, project_id: str, dataset_id: str, upload_id: str, request: CompleteUpload) -> dict[str, str]:
        dataset = self._writable(project_id, dataset_id)
        self._record(dataset, upload_id, request.path)
        ordered = sorted(request.parts, key=lambda p: p.part_number)
        parts = [{"PartNumber": p.part_number, "ETag": p.etag} for p in ordered]
        try:
            answer = self._s3.complete_multipart_upload(Bucket=self._bucket, Key=dataset.prefix + request.path,
                                                        UploadId=upload_id, MultipartUpload={"Parts": parts})
        except self._s3.exceptions.ClientError as error:
            code = error_code(error)
            if code in ("InvalidPart", "InvalidPartOrder", "EntityTooSmall", "NoSuchUpload"):
                raise InvalidInput(f"S3 refused to complete the upload: {code}",
                                   errors=[{"field": "parts", "message": code}],
                                   hint="Resume it (GET …/multipart-uploads/{uploadId}?path=) and upload the "
                                        "missing parts, then complete with every part's ETag.") from None
            raise dependency_failed(error, "complete the upload") from None
        self._datasets.forget_upload(dataset.id, upload_id)
        return {"path": request.path, "etag": str(answer.get("ETag", ""))}

    def abort(self, project_id: str, dataset_id: str, upload_id: str, path: str) -> None:
        dataset = self._writable(project_id, dataset_id)
        self._record(dataset, upload_id, path)
        try:
            self._s3.abort_multipart_upload(Bucket=self._bucket, Key=dataset.prefix + path, UploadId=upload_id)
        except AWS_ERRORS as error:
            raise dependency_failed(error, "abort the upload") from None
        self._datasets.forget_upload(dataset.id, upload_id)

    # -- helpers ------------------------------------------------------------------------
    def _writable(self, project_id: str, dataset_id: str) -> Dataset:
        dataset, level = self._access(project_id, dataset_id)
        if level not in ("owner", "read-write"):
            raise NotAllowed(f"dataset {dataset_id} is shared read-only with project {project_id}",
                             code="DATASET_READ_ONLY", hint="Ask its owning project to share it read-write.")
        return dataset

    def _record(self, dataset: Dataset, upload_id: str, path: str) -> dict[str, Any]:
        record = self._datasets.upload(dataset.id, upload_id)
        if record is None or record["path"] != path:  # only uploads this dataset started, for that path
            raise NotFound(f"no upload {upload_id[:80]} of {path[:200]!r} in dataset {dataset.id}",
                           code="UPLOAD_NOT_FOUND")
        return record

    def _single(self, dataset: Dataset, path: str, size: int, content_type: str | None, expires: datetime) -> Upload:
        params = {"Bucket": self._bucket, "Key": dataset.prefix + path, "ContentLength": size}
        headers = {"Content-Length": str(size)}
        if content_type:
            params["ContentType"] = content_type
            headers["Content-Type"] = content_type
        url = self._s3.generate_presigned_url("put_object", Params=params, ExpiresIn=URL_SECONDS)
        return Upload(path=path, url=url, method="PUT", headers=headers, expires_at=expires)

    def _multipart(self, dataset: Dataset, path: str, size: int, expires: datetime) -> Upload:
        part_size = max(self._part_size, math.ceil(size / MAX_PARTS))
        key = dataset.prefix + path
        upload_id = self._s3.create_multipart_upload(Bucket=self._bucket, Key=key)["UploadId"]
        self._datasets.record_upload(dataset.id, upload_id, path, size, part_size)
        count = max(1, math.ceil(size / part_size))
        return Upload(path=path, upload_id=upload_id, part_size=part_size, expires_at=expires,
                      parts=self._part_urls(key, upload_id, list(range(1, count + 1))))

    def _part_urls(self, key: str, upload_id: str, numbers: list[int]) -> list[PartUrl]:
        return [PartUrl(part_number=n, url=self._s3.generate_presigned_url(
            "upload_part", Params={"Bucket": self._bucket, "Key": key, "UploadId": upload_id, "PartNumber": n},
            ExpiresIn=URL_SECONDS)) for n in numbers]

    def _uploaded_parts(self, key: str, upload_id: str) -> set[int]:
        try:
            pages = self._s3.get_paginator("list_parts").paginate(Bucket=self._bucket, Key=key, UploadId=upload_id)
            return {p["PartNumber"] for page in pages for p in page.get("Parts", [])}
        except AWS_ERRORS as error:
            raise dependency_failed(error, "read the upload's parts") from None
