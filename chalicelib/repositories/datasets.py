"""Datasets in the app table, with the rows around them in the dataset's own partition.

`DATASET#<id>` holds META (the dataset), `SHARE#<pid>` (a grant to another project, mirrored as
`PROJECT#<pid>` / `SHAREDDATASET#<id>` so a project lists what is shared into it), `MOUNT#<envId>`
(written with a live environment that mounts it), `UPLOAD#<uploadId>` (a multipart upload we
started) and `FILE#<path>` (the file index, dataset_files.py). Claims keep names unique within a
project (`DATASETNAME#`) and prefixes owned by one dataset (`DATASETPREFIX#`).

A launch and an unshare must exclude each other, yet "no MOUNT row of this project" is no
condition DynamoDB can check: the SHARE row is where they meet. An unshare first marks the row
(`revoking`, a token of its own), then reads the MOUNT rows, then deletes the row only while it
still carries its token. A launch's transaction (environments.py add) holds the row through
`share_guard`: it fails while a fresh mark is there or when the level changed, and clears a stale
mark (an unshare that died midway), which then makes that unshare's delete fail. So a launch that
lands before the mark is seen by the unshare's read, and one that lands after it is refused.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta
from typing import Any

from boto3.dynamodb.conditions import Key

from ..errors import AlreadyExists, InvalidState
from ..models.datasets import Dataset, Share
from .base import INDEX_ATTRS, PageRequest, ResourceTable, paged_query

UPLOAD_TTL = 7 * 24 * 3600  # the bucket aborts incomplete multipart uploads after 7 days too
# An unshare's mark older than this is a leftover of one that died (a request lasts at most ~30 s).
REVOKING_STALE = timedelta(minutes=5)


class DatasetRepository(ResourceTable[Dataset]):
    model = Dataset
    prefix = "DATASET"
    kind = "dataset"
    label = "dataset"
    not_found_code = "DATASET_NOT_FOUND"

    def index_attrs(self, model: Dataset) -> dict[str, str]:
        return {**super().index_attrs(model), "gsiParent": f"{self.kind}#{model.project_id}"}

    # -- create and delete, with their claims -------------------------------
    def add(self, dataset: Dataset) -> Dataset:
        failed = self.transact([{"Put": self.put_new(dataset)},
                                self.claim(self._name_key(dataset.project_id, dataset.name), datasetId=dataset.id),
                                self.claim(self._prefix_key(dataset.prefix), datasetId=dataset.id,
                                           gsiType="datasetPrefix", gsiSort=dataset.prefix)])
        if failed == 1:
            raise AlreadyExists(f"the project already has a dataset named '{dataset.name}'",
                                code="DATASET_NAME_TAKEN", hint="Dataset names are unique within a project.")
        if failed == 2:
            raise AlreadyExists(f"the prefix {dataset.prefix} is already a dataset", code="DATASET_PREFIX_TAKEN")
        return dataset

    def prefix_overlaps(self, prefix: str) -> str | None:
        """A registered prefix that contains `prefix` or lies inside it: datasets never nest."""
        parts = prefix.rstrip("/").split("/")
        ancestors = ["/".join(parts[:i]) + "/" for i in range(1, len(parts))]
        keys = [self._prefix_key(a) for a in ancestors]
        if keys:
            found = self._table.meta.client.batch_get_item(RequestItems={self._table.name: {"Keys": keys}})
            hits = found["Responses"].get(self._table.name, [])
            if hits:
                return str(hits[0]["gsiSort"])
        inside = self._table.query(IndexName="byType", Limit=1, KeyConditionExpression=(
            Key("gsiType").eq("datasetPrefix") & Key("gsiSort").begins_with(prefix)))
        items = inside.get("Items", [])
        return str(items[0]["gsiSort"]) if items else None

    def delete(self, dataset: Dataset, *, actor: str) -> None:
        expr = self.update_expression({"status": "DELETED"}, actor=actor, expected_version=None,
                                      remove=INDEX_ATTRS, resource_id=dataset.id)
        self.transact([{"Update": {"TableName": self._table.name, "Key": self.key(dataset.id), **expr}},
                       {"Delete": {"TableName": self._table.name, "Key": self._name_key(dataset.project_id,
                                                                                       dataset.name)}},
                       {"Delete": {"TableName": self._table.name, "Key": self._prefix_key(dataset.prefix)}}])

    def owner_of_key(self, key: str) -> tuple[str, str] | None:
        """(dataset id, its prefix) of the dataset an object key lies in: one read of every folder
        prefix of the key (datasets never nest, so at most one matches)."""
        folders = key.split("/")[:-1][:100]
        candidates = ["/".join(folders[:i]) + "/" for i in range(1, len(folders) + 1)]
        if not candidates:
            return None
        found = self._table.meta.client.batch_get_item(RequestItems={self._table.name: {
            "Keys": [self._prefix_key(c) for c in candidates], "ConsistentRead": True}})
        hits = found["Responses"].get(self._table.name, [])
        return (str(hits[0]["datasetId"]), str(hits[0]["gsiSort"])) if hits else None

    # -- shares -------------------------------------------------------------------
    def put_share(self, share: Share, owner_project_id: str) -> None:
        item = {**share.model_dump(mode="json", by_alias=True), "ownerProjectId": owner_project_id}
        self._table.meta.client.transact_write_items(TransactItems=[
            {"Put": {"TableName": self._table.name, "Item": {**self._share_key(share.dataset_id, share.project_id),
                                                             **item}}},
            {"Put": {"TableName": self._table.name, "Item": {**self._shared_in_key(share.project_id,
                                                                                   share.dataset_id), **item}}}])

    def mark_unshare(self, dataset_id: str, project_id: str, at: datetime) -> str | None:
        """Step 1 of an unshare: the token it marked the share with; None when there is no share."""
        token = uuid.uuid4().hex
        try:
            self._table.update_item(Key=self._share_key(dataset_id, project_id),
                                    UpdateExpression="SET revoking = :token, revokingAt = :at",
                                    ConditionExpression="attribute_exists(pk)",
                                    ExpressionAttributeValues={":token": token, ":at": at.isoformat()})
        except self._table.meta.client.exceptions.ConditionalCheckFailedException:
            return None
        return token

    def unmark_unshare(self, dataset_id: str, project_id: str, token: str) -> None:
        """An unshare refused (still mounted) lets launches through again; a newer mark or share stays."""
        try:
            self._table.update_item(Key=self._share_key(dataset_id, project_id),
                                    UpdateExpression="REMOVE revoking, revokingAt",
                                    ConditionExpression="revoking = :token",
                                    ExpressionAttributeValues={":token": token})
        except self._table.meta.client.exceptions.ConditionalCheckFailedException:
            pass

    def remove_share(self, dataset_id: str, project_id: str, token: str) -> bool:
        """Step 3: deletes the share only if it still carries this unshare's mark (no launch cleared
        it, no PUT replaced the share); False otherwise."""
        failed = self.transact([
            {"Delete": {"TableName": self._table.name, "Key": self._share_key(dataset_id, project_id),
                        "ConditionExpression": "revoking = :token",
                        "ExpressionAttributeValues": {":token": token}}},
            {"Delete": {"TableName": self._table.name, "Key": self._shared_in_key(project_id, dataset_id)}}])
        return failed is None

    def share(self, dataset_id: str, project_id: str) -> Share | None:
        return self.share_of(self._table.get_item(Key=self._share_key(dataset_id, project_id),
                                                  ConsistentRead=True).get("Item"))

    def share_key(self, dataset_id: str, project_id: str) -> dict[str, str]:
        """The share row of the dataset into the project, for a read beside the caller's roles."""
        return self._share_key(dataset_id, project_id)

    @staticmethod
    def share_of(item: dict[str, Any] | None) -> Share | None:
        return Share.model_validate(item) if item else None

    def shares(self, dataset_id: str) -> list[Share]:
        return [Share.model_validate(i) for i in self._all(f"DATASET#{dataset_id}", "SHARE#")]

    def shared_into(self, project_id: str, page: PageRequest) -> tuple[list[Share], str | None]:
        return paged_query(self._table, self._cursor, page, f"shared-into:{project_id}", Share.model_validate,
                           KeyConditionExpression=Key("pk").eq(f"PROJECT#{project_id}")
                           & Key("sk").begins_with("SHAREDDATASET#"))

    def list_for_project(self, project_id: str, page: PageRequest,
                         name_prefix: str | None) -> tuple[list[tuple[Dataset, str]], str | None]:
        """Owned datasets first, then those shared in, each with the project's level; one signed
        token pages through both (it says which phase and where in it)."""
        scope = f"datasets-for:{project_id}:{name_prefix}"
        state = self._cursor.decode(page.token, scope) or {"phase": "owned"}
        inner = PageRequest(page.size, state.get("inner"))
        if state.get("phase") == "owned":
            owned, more = self.list(inner, parent=project_id)
            found = [(d, "owner") for d in owned]
            following = {"phase": "owned", "inner": more} if more else {"phase": "shared"}
        else:
            shares, more = self.shared_into(project_id, inner)
            datasets = {d.id: d for d in self.batch_get(s.dataset_id for s in shares)}
            found = [(datasets[s.dataset_id], s.access_level) for s in shares if s.dataset_id in datasets]
            following = {"phase": "shared", "inner": more} if more else {}
        if name_prefix:
            found = [(d, level) for d, level in found if d.name.lower().startswith(name_prefix.lower())]
        return found, self._cursor.encode(following, scope)

    def project_has_datasets(self, project_id: str) -> bool:
        return self.has_any(project_id)

    # -- mounts and uploads -----------------------------------------------------------
    def mounts(self, dataset_id: str, project_id: str | None = None) -> list[str]:
        rows = self._all(f"DATASET#{dataset_id}", "MOUNT#")
        return [r["sk"].removeprefix("MOUNT#") for r in rows if project_id is None or r.get("projectId") == project_id]

    def record_upload(self, dataset_id: str, upload_id: str, path: str, size: int, part_size: int) -> None:
        self._table.put_item(Item={"pk": f"DATASET#{dataset_id}", "sk": f"UPLOAD#{upload_id}", "path": path,
                                   "size": size, "partSize": part_size,
                                   "expiresAt": int(time.time()) + UPLOAD_TTL})

    def upload(self, dataset_id: str, upload_id: str) -> dict[str, Any] | None:
        item = self._table.get_item(Key={"pk": f"DATASET#{dataset_id}", "sk": f"UPLOAD#{upload_id}"},
                                    ConsistentRead=True).get("Item")
        return {k: (int(v) if k in ("size", "partSize") else v) for k, v in item.items()} if item else None

    def forget_upload(self, dataset_id: str, upload_id: str) -> None:
        self._table.delete_item(Key={"pk": f"DATASET#{dataset_id}", "sk": f"UPLOAD#{upload_id}"})

    def _all(self, partition: str, sk_prefix: str) -> list[dict[str, Any]]:
        kwargs: dict[str, Any] = {"KeyConditionExpression": Key("pk").eq(partition) & Key("sk").begins_with(sk_prefix),
                                  "ConsistentRead": True}
        rows: list[dict[str, Any]] = []
        while True:
            answer = self._table.query(**kwargs)
            rows += answer.get("Items", [])
            if "LastEvaluatedKey" not in answer:
                return rows
            kwargs["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    @staticmethod
    def _name_key(project_id: str, name: str) -> dict[str, str]:
        return {"pk": f"DATASETNAME#{project_id}#{name.lower()}", "sk": "UNIQUE"}

    @staticmethod
    def _prefix_key(prefix: str) -> dict[str, str]:
        return {"pk": f"DATASETPREFIX#{prefix}", "sk": "UNIQUE"}

    @staticmethod
    def _share_key(dataset_id: str, project_id: str) -> dict[str, str]:
        return {"pk": f"DATASET#{dataset_id}", "sk": f"SHARE#{project_id}"}

    @staticmethod
    def _shared_in_key(project_id: str, dataset_id: str) -> dict[str, str]:
        return {"pk": f"PROJECT#{project_id}", "sk": f"SHAREDDATASET#{dataset_id}"}


def share_guard(table_name: str, dataset_id: str, project_id: str, level: str, at: datetime) -> dict[str, Any]:
    """The launch's hold on a share, one item of the transaction that writes the MOUNT row: the share
    still exists at `level`, and no unshare is under way (a stale mark is cleared, see the top)."""
    return {"Update": {"TableName": table_name, "Key": DatasetRepository._share_key(dataset_id, project_id),
                       "UpdateExpression": "REMOVE revoking, revokingAt",
                       "ConditionExpression": "accessLevel = :level AND "
                                              "(attribute_not_exists(revoking) OR revokingAt < :stale)",
                       "ExpressionAttributeValues": {":level": level,
                                                     ":stale": (at - REVOKING_STALE).isoformat()}}}


def in_use(what: str, ids: list[str], code: str, hint: str) -> InvalidState:
    shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
    return InvalidState(f"{what}: {shown}", code=code, hint=hint)
