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


class Share(TypedDict, total=False):
    datasetId: str
    projectId: str                  # the project the dataset is shared with
    accessLevel: str                # read-only or read-write
    createdAt: str
    createdBy: str


class Permissions(TypedDict, total=False):
    datasetId: str
    ownerProjectId: str
    shares: list[Share]


class CostCenter(Resource, total=False):
    accountId: str
    awsAccountId: str
    status: str


class AuditEvent(TypedDict, total=False):
    """One line of the trail. Absent fields were not known (a system change has no method or status)."""
    id: str
    time: str
    actor: str                      # a user's id, or "system"
    action: str                     # e.g. project:update
    method: str
    resource: str                   # the request path with its ids
    projectId: str
    decision: str                   # ALLOWED, DENIED, FAILED or SYSTEM
    status: int
    code: str
    requestId: str
    sourceIp: str
    changes: dict[str, Any]         # the request body, credentials masked
