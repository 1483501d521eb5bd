"""Parallel uploads to a dataset: one PUT per small file, part PUTs plus `complete` for big ones.

The API decides which (it answers a URL, or an uploadId with part URLs). Parts go straight to S3's
pre-signed URLs from a thread pool; each finished part's ETag is saved at once (resume.py), so a
rerun after Ctrl-C or a network failure sends only what is missing.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import httpx

from .errors import ApiError, RswError
from .models import Upload
from .resume import ResumeState, default_state_file
from .transport import MAX_ATTEMPTS, RETRY_STATUSES, backoff

if TYPE_CHECKING:
    from .datasets import Datasets

CHUNK = 256 * 1024  # progress granularity while a body streams


class Progress(Protocol):
    def start(self, key: str, total: int) -> None: ...
    def advance(self, key: str, amount: int) -> None: ...
    def finish(self, key: str) -> None: ...


@dataclass(frozen=True)
class LocalFile:
    source: Path
    key: str
    size: int
    mtime_ns: int


@dataclass
class UploadResult:
    path: str
    size: int
    multipart: bool = False
    parts_sent: int = 0
    parts_reused: int = 0
    skipped: bool = False  # finished in an earlier, interrupted run

    def as_json(self) -> dict[str, Any]:
        return {"path": self.path, "size": self.size, "multipart": self.multipart, "partsSent": self.parts_sent,
                "partsReused": self.parts_reused, "skipped": self.skipped}


def collect(paths: Sequence[str | Path], prefix: str = "") -> list[LocalFile]:
    """Files as given; a folder contributes every file under it, keyed from the folder's own name."""
    prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
    found: list[LocalFile] = []
    for given in map(Path, paths):
        if given.is_dir():
            files = sorted(p for p in given.rglob("*") if p.is_file())
            found += [_local(p, prefix + p.relative_to(given.parent).as_posix()) for p in files]
        elif given.is_file():
            found.append(_local(given, prefix + given.name))
        else:
            raise RswError(f"{given}: no such file or folder")
    return found


def _local(path: Path, key: str) -> LocalFile:
    stat = path.stat()
    return LocalFile(path.resolve(), key, stat.st_size, stat.st_mtime_ns)


@dataclass
class _Job:
    file: LocalFile
    upload: Upload
    result: UploadResult
    etags: dict[str, str] = field(default_factory=dict)
    remaining: int = 0


class Uploader:
    def __init__(self, datasets: Datasets, project_id: str, dataset_id: str, *, workers: int = 4,
                 progress: Progress | None = None, state_file: Path | None = None, restart: bool = False) -> None:
        self.datasets, self.project_id, self.dataset_id = datasets, project_id, dataset_id
        self.workers = max(1, workers)
        self.progress = progress or _Silent()
        self.state = ResumeState(state_file or default_state_file(dataset_id), dataset_id)
        self._lock = threading.Lock()
        if restart:
            self._abort_saved()

    def _abort_saved(self) -> None:
        for key, upload_id in self.state.unfinished_multipart():
            try:
                self.datasets.abort_multipart(self.project_id, self.dataset_id, upload_id, key)
            except RswError:
                pass  # already completed, aborted or expired: nothing left to clean up
        self.state.clear()

    def run(self, files: list[LocalFile]) -> list[UploadResult]:
        results = {f.key: UploadResult(f.key, f.size) for f in files}
        todo, resumed = [], []
        for f in files:
            saved = self.state.entry(f.key, f.source, f.size, f.mtime_ns)
            if self.state.is_done(f.key):
                results[f.key].skipped = True
            elif saved.get("uploadId") and (answer := self._resume(f.key, saved["uploadId"])):
                resumed.append(_Job(f, answer, results[f.key]))
            else:
                todo.append(f)
        if resumed:
            self._send(resumed)
        for batch in (todo[i:i + 100] for i in range(0, len(todo), 100)):
            answers = self.datasets.request_uploads(self.project_id, self.dataset_id, [
                {"path": f.key, "size": f.size} for f in batch])
            by_path = {a["path"]: a for a in answers}
            self._send([_Job(f, by_path[f.key], results[f.key]) for f in batch])
        self.state.clear()
        return list(results.values())

    def _resume(self, key: str, upload_id: str) -> Upload | None:
        """The saved multipart upload's missing-part URLs; None when the API no longer knows it."""
        try:
            return self.datasets.resume_multipart(self.project_id, self.dataset_id, upload_id, key)
        except ApiError as error:
            if error.status == 404:
                return None  # completed, aborted or expired: upload the file afresh
            raise

    def _send(self, jobs: list[_Job]) -> None:
        with ThreadPoolExecutor(self.workers, thread_name_prefix="rsw-upload") as pool:
            futures: list[Future[None]] = []
            for job in jobs:
                futures += [pool.submit(task) for task in self._tasks(job)]
            try:
                done, _ = wait(futures, return_when=FIRST_EXCEPTION)
            except BaseException:  # Ctrl-C: parts in flight finish or fail; queued ones never start
                pool.shutdown(wait=False, cancel_futures=True)
                raise
            failed = [f for f in done if f.exception()]
            if failed:
                pool.shutdown(wait=False, cancel_futures=True)
                raise failed[0].exception()  # type: ignore[misc]

    def _tasks(self, job: _Job) -> Iterator[Any]:
        size = job.file.size
        self.progress.start(job.file.key, size)
        if "uploadId" not in job.upload:
            yield lambda: self._single(job)
            return
        job.result.multipart = True
        part_size = int(job.upload["partSize"])
        job.etags = self.state.started(job.file.key, job.upload["uploadId"], part_size)
        urls = {p["partNumber"]: p["url"] for p in job.upload.get("parts", [])}
        count = max(1, math.ceil(size / part_size))
        missing = [n for n in range(1, count + 1) if str(n) not in job.etags]
        job.result.parts_reused = count - len(missing)
        self.progress.advance(job.file.key, sum(_span(n, part_size, size)[1] for n in range(1, count + 1)
                                                if str(n) in job.etags))
        if any(n not in urls for n in missing):
            raise RswError(f"{job.file.key}: the API gave no URL for parts this client has no record of; "
                           "start over with --restart")
        job.remaining = len(missing)
        if not missing:
            yield lambda: self._complete(job)
        for n in missing:
            yield lambda n=n: self._part(job, n, urls[n], part_size)

    def _single(self, job: _Job) -> None:
        upload = job.upload
        self._put(job.file, upload["url"], 0, job.file.size, upload.get("method", "PUT"), upload.get("headers", {}))
        job.result.parts_sent = 1
        self.state.file_done(job.file.key)
        self.progress.finish(job.file.key)

    def _part(self, job: _Job, number: int, url: str, part_size: int) -> None:
        offset, length = _span(number, part_size, job.file.size)
        etag = self._put(job.file, url, offset, length, "PUT", {})
        self.state.part_done(job.file.key, number, etag)
        with self._lock:
            job.etags[str(number)] = etag
            job.result.parts_sent += 1
            job.remaining -= 1
            last = job.remaining == 0
        if last:
            self._complete(job)

    def _complete(self, job: _Job) -> None:
        parts = [{"partNumber": int(n), "etag": e} for n, e in sorted(job.etags.items(), key=lambda i: int(i[0]))]
        self.datasets.complete_multipart(self.project_id, self.dataset_id, job.upload["uploadId"], job.file.key, parts)
        self.state.file_done(job.file.key)
        self.progress.finish(job.file.key)

    def _put(self, file: LocalFile, url: str, offset: int, length: int, method: str, headers: dict[str, str]) -> str:
        """One body to a pre-signed URL, retried from its start on 5xx or a dropped connection."""
        for attempt in range(MAX_ATTEMPTS):
            sent = [0]
            try:
                response = self.datasets.http.request(
                    method, url, content=self._body(file, offset, length, sent),
                    headers={**headers, "Content-Length": str(length)})
                if response.status_code < 400:
                    return response.headers.get("ETag", "")
                if response.status_code not in RETRY_STATUSES or attempt + 1 == MAX_ATTEMPTS:
                    raise RswError(f"{file.key}: storage answered {response.status_code}: {response.text[:200]}")
            except httpx.TransportError:
                if attempt + 1 == MAX_ATTEMPTS:
                    raise
            self.progress.advance(file.key, -sent[0])  # the retry sends those bytes again
            self.datasets.api.sleep(backoff(attempt))
        raise AssertionError("unreachable")

    def _body(self, file: LocalFile, offset: int, length: int, sent: list[int]) -> Iterator[bytes]:
        with file.source.open("rb") as source:
            source.seek(offset)
            left = length
            while left > 0:
                chunk = source.read(min(CHUNK, left))
                if not chunk:
                    raise RswError(f"{file.source} shrank while uploading")
                left -= len(chunk)
                sent[0] += len(chunk)
                self.progress.advance(file.key, len(chunk))
                yield chunk


def _span(number: int, part_size: int, size: int) -> tuple[int, int]:
    offset = (number - 1) * part_size
    return offset, max(0, min(part_size, size - offset))


class _Silent:
    def start(self, key: str, total: int) -> None: ...
    def advance(self, key: str, amount: int) -> None: ...
    def finish(self, key: str) -> None: ...
