"""The shapes the API answers with, as TypedDicts: editors complete them, nothing converts them.

Only the fields a client commonly reads are listed; every answer carries the rest unchanged.
"""

from __future__ import annotations

from typing import Any, TypedDict


class Resource(TypedDict, total=False):
    id: str
    name: str
    description: str
    etag: str
    createdAt: str
    updatedAt: str
    createdBy: str
    updatedBy: str


class Project(Resource, total=False):
    costCenterId: str
    status: str


class Environment(Resource, total=False):
    projectId: str
    status: str
    statusReason: str
    allowedActions: list[str]
    owner: str
    instanceId: str
    datasetIds: list[str]
    outputs: dict[str, Any]
    lastReconciledAt: str


class Connection(TypedDict, total=False):
    url: str
    expiresAt: str
    instructions: str


class Check(TypedDict, total=False):
    name: str
    passed: bool
    detail: str
    hint: str


class Verification(TypedDict, total=False):
    status: str
    statusReason: str
    checks: list[Check]


class Dataset(Resource, total=False):
    projectId: str
    prefix: str
    accessLevel: str
    objectCount: int
    totalBytes: int


class PartUrl(TypedDict):
    partNumber: int
    url: str


class Upload(TypedDict, total=False):
    """One file's answer from upload-requests: a single PUT, or a multipart upload's part URLs."""
    path: str
    expiresAt: str
    url: str
    method: str
    headers: dict[str, str]
    uploadId: str
    partSize: int
    parts: list[PartUrl]
    uploadedParts: list[int]
