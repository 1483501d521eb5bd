"""Environments in the app table, with the rows that say who still uses what.

`ENV#<id>` / `META` is the environment. While it is not TERMINATED two more rows exist, written
and removed in the same transactions as the status: `ACCOUNT#<acc>` / `ENV#<id>` (what the
reconciliation of a hosting account reads, and what keeps the account from being deleted) and
`ENVCONFIG#<etc>` / `ENV#<id>` (what keeps its configuration from being unlinked or deleted), and per
mounted dataset `DATASET#<ds>` / `MOUNT#<id>` (what keeps the dataset from being unshared from the
environment's project, or deleted; datasets.py reads them).
A TERMINATED environment moves to `environment-terminated` index partitions, so live lists never
page through the dead and `?status=TERMINATED` still finds them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from boto3.dynamodb.conditions import Attr, Key

from .. import metrics
from ..errors import InvalidState, NotFound
from ..models.environments import Environment
from .base import SYSTEM, PageRequest, ResourceTable, json_safe, paged_query
from .datasets import share_guard
from .filtered_query import Filter, plan

TERMINATED = "TERMINATED"


class EnvironmentRepository(ResourceTable[Environment]):
    model = Environment
    prefix = "ENV"
    kind = "environment"
    label = "environment"
    not_found_code = "ENVIRONMENT_NOT_FOUND"

    # -- index attributes -------------------------------------------------
    def index_attrs(self, model: Environment) -> dict[str, str]:
        return self._indexes(model, model.status)

    def _indexes(self, model: Environment, status: str) -> dict[str, str]:
        kind = self.kind if status != TERMINATED else f"{self.kind}-terminated"
        return {"gsiType": kind, "gsiSort": f"{model.created_at.isoformat()}#{model.id}",
                "nameKey": f"{model.name.lower()}#{model.id}", "gsiStatus": f"{self.kind}#{status}",
                "gsiParent": f"{kind}#{model.project_id}", "gsiOwner": f"{kind}#{model.owner}"}

    def _usage_rows(self, model: Environment) -> list[dict[str, str]]:
        return [{"pk": f"ACCOUNT#{model.account_id}", "sk": f"ENV#{model.id}"},
                {"pk": f"ENVCONFIG#{model.env_type_config_id}", "sk": f"ENV#{model.id}"},
                *({"pk": f"DATASET#{m.dataset_id}", "sk": f"MOUNT#{model.id}"} for m in model.mounts)]

    # -- writes -----------------------------------------------------------
    def add(self, model: Environment) -> Environment:
        rows = [{"Put": {"TableName": self._table.name, "Item": {**row, "projectId": model.project_id}}}
                for row in self._usage_rows(model)]
        # A mount of a shared-in dataset holds its share, at the level the launch planned, in this same
        # transaction: an unshare or a level change that got there first refuses the launch, before
        # anything else exists; one that comes later sees the MOUNT row (datasets.py).
        shared = [m for m in model.mounts if m.owner_project_id]
        guards = [share_guard(self._table.name, m.dataset_id, model.project_id, m.access_level, model.created_at)
                  for m in shared]
        failed = self.transact([{"Put": self.put_new(model)}, *rows, *guards])
        if failed is None:
            return model
        if failed <= len(rows):  # only the environment's own put is conditional: a fresh id was taken
            raise InvalidState(f"environment {model.id} already exists", code="ENVIRONMENT_EXISTS")
        mount = shared[failed - 1 - len(rows)]
        raise InvalidState(f"dataset {mount.dataset_id} is no longer shared with project {model.project_id} as "
                           f"{mount.access_level}, or is being unshared", code="DATASET_SHARE_CHANGED",
                           hint="Read the project's datasets again and launch with those it can use.")

    def transition(self, env: Environment, status: str, reason: str, *, expected: tuple[str, ...],
                   actor: str = SYSTEM, at: datetime, changes: dict[str, Any] | None = None) -> Environment | None:
        """Compare-and-set on status: applies only while the environment is in one of `expected`.

        Returns the updated environment, or None when its status had moved on (a concurrent change
        won; the caller's view was stale)."""
        values = {**(changes or {}), "status": status, "statusReason": reason[:1000],
                  "statusChangedAt": at.isoformat(), **self._indexes(env, status)}
        if status == TERMINATED:
            values.pop("nameKey")
        items = [{"Update": self._status_update(env.id, values, expected, actor)}]
        if status == TERMINATED:
            items += [{"Delete": {"TableName": self._table.name, "Key": row}} for row in self._usage_rows(env)]
        if self.transact(items) is not None:
            return None
        # Counted here, the one place every transition passes (user actions, events, reconciliation).
        metrics.count("StatusTransitions", status=status)
        if env.status == "PENDING" and status in ("COMPLETED", "FAILED"):
            metrics.count("Launches", outcome=status)
        return self.get(env.id, include_terminated=True)

    def stamp(self, env_id: str, changes: dict[str, Any], *, expected_status: str) -> bool:
        """Bookkeeping that is not a transition (lastReconciledAt, outputs), only if status held."""
        try:
            self._table.meta.client.update_item(**self._status_update(env_id, changes, (expected_status,), SYSTEM))
        except self._table.meta.client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def _status_update(self, env_id: str, values: dict[str, Any], expected: tuple[str, ...],
                       actor: str) -> dict[str, Any]:
        expr = self.update_expression(values, actor=actor, expected_version=None, resource_id=env_id)
        allowed = [f":was{i}" for i in range(len(expected))]
        expr["ConditionExpression"] = f"attribute_exists(pk) AND #status IN ({', '.join(allowed)})"
        expr["ExpressionAttributeValues"].update(json_safe(dict(zip(allowed, expected, strict=True))))
        expr["ExpressionAttributeValues"].pop(":deleted", None)
        return {"TableName": self._table.name, "Key": self.key(env_id), **expr}

    # -- reads ------------------------------------------------------------
    def get(self, resource_id: str, include_terminated: bool = True) -> Environment:
        item = self._table.get_item(Key=self.key(resource_id), ConsistentRead=True).get("Item")
        if item is None:
            raise NotFound(f"environment {resource_id} not found", code=self.not_found_code)
        return self.from_item(item)

    def get_in_project(self, project_id: str, env_id: str) -> Environment:
        env = self.get(env_id)
        if env.project_id != project_id:  # an id from another project is simply not here
            raise NotFound(f"environment {env_id} not found", code=self.not_found_code)
        return env

    def list_filtered(self, page: PageRequest, *, project_id: str | None = None, status: str | None = None,
                      owner: str | None = None) -> tuple[list[Environment], str | None]:
        """One index query: by project, else by owner, else by status, else all; other filters apply on top."""
        kind = f"{self.kind}-terminated" if status == TERMINATED else self.kind
        query = plan([Filter("byParent", "gsiParent", f"{kind}#{project_id}", "projectId", project_id),
                      Filter("byOwner", "gsiOwner", f"{kind}#{owner}", "owner", owner),
                      Filter("byStatus", "gsiStatus", f"{self.kind}#{status}", "status", status)],
                     ("byType", "gsiType", kind))
        scope = f"{self.kind}:{query['IndexName']}:{project_id}:{status}:{owner}"
        return paged_query(self._table, self._cursor, page, scope, self.from_item, **query)

    def live_ids_for_account(self, account_id: str) -> list[str]:
        return self._ids(f"ACCOUNT#{account_id}")

    def live_ids_for_configuration(self, configuration_id: str, project_id: str | None = None) -> list[str]:
        return self._ids(f"ENVCONFIG#{configuration_id}", project_id)

    def project_has_live(self, project_id: str) -> bool:
        answer = self._table.query(IndexName="byParent", Limit=1, ProjectionExpression="pk",
                                   KeyConditionExpression=Key("gsiParent").eq(f"{self.kind}#{project_id}"))
        return bool(answer.get("Items"))

    def _ids(self, partition: str, project_id: str | None = None) -> list[str]:
        kwargs: dict[str, Any] = {"KeyConditionExpression": Key("pk").eq(partition) & Key("sk").begins_with("ENV#"),
                                  "ConsistentRead": True}
        if project_id:
            kwargs["FilterExpression"] = Attr("projectId").eq(project_id)
        ids: list[str] = []
        while True:
            answer = self._table.query(**kwargs)
            ids += [i["sk"].removeprefix("ENV#") for i in answer.get("Items", [])]
            if "LastEvaluatedKey" not in answer:
                return ids
            kwargs["ExclusiveStartKey"] = answer["LastEvaluatedKey"]


def require_no_live(ids: list[str], what: str, hint: str, code: str) -> None:
    if ids:
        shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        raise InvalidState(f"{what} is used by live environments: {shown}", code=code, hint=hint)
