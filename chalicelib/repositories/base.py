"""The shared DynamoDB mechanics: items from models, conditional writes, paged index queries."""

from __future__ import annotations

import builtins
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from botocore.exceptions import ClientError

from ..errors import AlreadyExists, InvalidInput, NotFound, PreconditionFailed
from ..models.base import Resource, now

if TYPE_CHECKING:  # the codec pulls in cryptography; the API's import needs only PageRequest from here
    from .cursor import CursorCodec

M = TypeVar("M", bound=Resource)
T = TypeVar("T")
SYSTEM = "system"  # the actor of the workbench's own writes (schedules, event handlers)
INDEX_ATTRS = ("gsiType", "gsiSort", "nameKey", "gsiStatus", "gsiOwner", "gsiParent")


@dataclass(frozen=True)
class PageRequest:
    size: int = 50
    token: str | None = None


def to_item(model: Any) -> dict[str, Any]:
    """A model as a DynamoDB item: JSON-safe, numbers as Decimal (DynamoDB rejects float)."""
    item = json.loads(model.model_dump_json(by_alias=True, exclude_none=True, exclude={"etag"}),
                      parse_float=Decimal)
    if isinstance(model, Resource):
        item["version"] = model.version
    return item


def plain(value: Any) -> Any:
    """DynamoDB's Decimals back to int/float, recursively."""
    if isinstance(value, Decimal):
        return int(value) if value == int(value) else float(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def paged_query(table: Any, cursor: CursorCodec, page: PageRequest, scope: str,
                parse: Callable[[dict[str, Any]], T], **query: Any) -> tuple[list[T], str | None]:
    """One page of a query, resuming from and returning a signed cursor bound to `scope`."""
    start = cursor.decode(page.token, scope)
    if start:
        query["ExclusiveStartKey"] = start
    answer = table.query(Limit=page.size, **query)
    return [parse(plain(i)) for i in answer.get("Items", [])], cursor.encode(answer.get("LastEvaluatedKey"), scope)


def read_together(wanted: list[tuple[Any, dict[str, str]]]) -> list[dict[str, Any] | None]:
    """Items by (table, key), across tables, in one strongly consistent BatchGetItem (up to 100 keys;
    unprocessed keys are asked again); None where an item does not exist. Answers follow `wanted`."""
    client = wanted[0][0].meta.client  # the resource's client: plain Python values in and out
    keys: dict[str, Any] = {}
    for table, key in wanted:
        keys.setdefault(table.name, {"Keys": [], "ConsistentRead": True})["Keys"].append(key)
    request: dict[str, Any] | None = keys
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    while request:
        answer = client.batch_get_item(RequestItems=request)
        for name, items in answer["Responses"].items():
            found.update({(name, i["pk"], i["sk"]): i for i in items})
        request = answer.get("UnprocessedKeys") or None
    return [found.get((table.name, key["pk"], key["sk"])) for table, key in wanted]


def is_condition_failure(error: ClientError) -> bool:
    return error.response["Error"]["Code"] in ("ConditionalCheckFailedException",
                                               "TransactionCanceledException")


class ResourceTable(Generic[M]):
    """Stores one kind of resource under `pk=<PREFIX>#<id>, sk=META` with list indexes."""

    model: type[M]
    prefix: str
    kind: str           # gsiType value: lists are index queries, never scans
    label: str          # how errors name the resource
    not_found_code: str

    def __init__(self, table: Any, cursor: CursorCodec) -> None:
        self._table = table
        self._cursor = cursor

    # -- keys and indexes -------------------------------------------------
    def key(self, resource_id: str) -> dict[str, str]:
        return {"pk": f"{self.prefix}#{resource_id}", "sk": "META"}

    def index_attrs(self, model: M) -> dict[str, str]:
        """Index attributes of a live resource; a soft-deleted one has none (drops out of lists)."""
        sort = f"{model.created_at.isoformat()}#{model.id}"
        attrs = {"gsiType": self.kind, "gsiSort": sort}
        if hasattr(model, "name"):
            attrs["nameKey"] = f"{model.name.lower()}#{model.id}"
        if hasattr(model, "status"):
            attrs["gsiStatus"] = f"{self.kind}#{model.status}"
        return attrs

    def item(self, model: M) -> dict[str, Any]:
        return {**self.key(model.id), **to_item(model), **self.index_attrs(model)}

    # -- reads ------------------------------------------------------------
    def get(self, resource_id: str) -> M:
        return self.found(resource_id, self._table.get_item(Key=self.key(resource_id)).get("Item"))

    def found(self, resource_id: str, item: dict[str, Any] | None) -> M:
        """The resource from an item read elsewhere (e.g. beside the caller's roles), or NotFound."""
        if item is None or item.get("status") == "DELETED":
            raise NotFound(f"{self.label} {resource_id} not found", code=self.not_found_code)
        return self.from_item(item)

    @property
    def table(self) -> Any:
        return self._table

    def from_item(self, item: dict[str, Any]) -> M:
        return self.model.model_validate(plain(item))

    def batch_get(self, ids: Iterable[str]) -> list[M]:
        wanted = list(dict.fromkeys(ids))
        found: list[M] = []
        client = self._table.meta.client
        for start in range(0, len(wanted), 100):
            keys = [self.key(i) for i in wanted[start:start + 100]]
            request: dict[str, Any] | None = {self._table.name: {"Keys": keys}}
            while request:
                answer = client.batch_get_item(RequestItems=request)
                found += [self.from_item(i) for i in answer["Responses"].get(self._table.name, [])]
                request = answer.get("UnprocessedKeys") or None
        order = {resource_id: i for i, resource_id in enumerate(wanted)}  # BatchGetItem answers in any order
        return sorted((m for m in found if getattr(m, "status", None) != "DELETED"), key=lambda m: order[m.id])

    def list(self, page: PageRequest, *, name_prefix: str | None = None,
             status: str | None = None, parent: str | None = None) -> tuple[list[M], str | None]:
        if sum(1 for f in (name_prefix, status, parent) if f) > 1:
            raise InvalidInput("filter by one of name or status at a time",
                               errors=[{"field": "status", "message": "cannot be combined with name"}])
        from boto3.dynamodb.conditions import Key  # here: the API's import needs PageRequest, not boto3

        if name_prefix:
            index, cond = "byName", Key("gsiType").eq(self.kind) & Key("nameKey").begins_with(name_prefix.lower())
        elif status:
            index, cond = "byStatus", Key("gsiStatus").eq(f"{self.kind}#{status}")
        elif parent:
            index, cond = "byParent", Key("gsiParent").eq(f"{self.kind}#{parent}")
        else:
            index, cond = "byType", Key("gsiType").eq(self.kind)
        return self.query_page(index, cond, page, scope=f"{self.kind}:{index}:{name_prefix}:{status}:{parent}")

    def query_page(self, index: str | None, cond: Any, page: PageRequest,
                   scope: str) -> tuple[builtins.list[M], str | None]:
        extra = {"IndexName": index} if index else {}
        return paged_query(self._table, self._cursor, page, scope, self.from_item,
                           KeyConditionExpression=cond, **extra)

    def has_any(self, parent: str) -> bool:
        answer = self._table.query(IndexName="byParent", Limit=1, KeyConditionExpression="gsiParent = :parent",
                                   ExpressionAttributeValues={":parent": f"{self.kind}#{parent}"})
        return bool(answer.get("Items"))

    # -- writes -----------------------------------------------------------
    def put_new(self, model: M) -> dict[str, Any]:
        """The Put of a create, for use alone or inside a transaction."""
        return {"TableName": self._table.name, "Item": self.item(model),
                "ConditionExpression": "attribute_not_exists(pk)"}

    def add(self, model: M) -> M:
        try:
            self._table.put_item(**{k: v for k, v in self.put_new(model).items() if k != "TableName"})
        except ClientError as error:
            if not is_condition_failure(error):
                raise
            raise AlreadyExists(f"{self.label} {model.id} already exists") from None
        return model

    def update(self, resource_id: str, changes: dict[str, Any], *, actor: str,
               expected_version: int | None = None, remove: tuple[str, ...] = ()) -> M:
        """Conditional update in one round trip; tells a missing resource from a stale If-Match."""
        expr = self.update_expression(changes, actor=actor, expected_version=expected_version, remove=remove,
                                      resource_id=resource_id)
        try:
            answer = self._table.update_item(Key=self.key(resource_id), ReturnValues="ALL_NEW", **expr)
        except ClientError as error:
            if not is_condition_failure(error):
                raise
            # The failure's ALL_OLD item is not deserialized by boto3; read it plainly instead.
            self.raise_for_failed_condition(resource_id, self._raw_item(resource_id), expected_version)
        return self.from_item(answer["Attributes"])

    def derived_index_changes(self, resource_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        """Index attributes that follow a changed field, so lists and filters stay true."""
        derived = {}
        if "name" in changes:
            derived["nameKey"] = f"{changes['name'].lower()}#{resource_id}"
        if "status" in changes and changes["status"] != "DELETED":
            derived["gsiStatus"] = f"{self.kind}#{changes['status']}"
        return derived

    def update_expression(self, changes: dict[str, Any], *, actor: str, expected_version: int | None,
                          remove: tuple[str, ...] = (), resource_id: str = "",
                          require: dict[str, Any] | None = None) -> dict[str, Any]:
        """`require`: fields that must still hold these values (e.g. the name a rename moves away from)."""
        values = {**changes, **self.derived_index_changes(resource_id, changes)}
        if actor != SYSTEM:  # the workbench's own status bookkeeping leaves users' etags valid
            values.update(updatedAt=now().isoformat(), updatedBy=actor)
        names = {f"#f{i}": k for i, k in enumerate(values)}
        sets = [f"#f{i} = :v{i}" for i in range(len(values))]
        if actor != SYSTEM:
            sets.append("version = version + :one")
        expr_values: dict[str, Any] = {f":v{i}": v for i, v in enumerate(values.values())}
        expr_values.update({":one": 1, ":deleted": "DELETED"} if actor != SYSTEM else {":deleted": "DELETED"})
        cond = "attribute_exists(pk) AND #status <> :deleted"
        names["#status"] = "status"
        if expected_version is not None:
            cond += " AND version = :expected"
            expr_values[":expected"] = expected_version
        for i, (field, value) in enumerate((require or {}).items()):
            names[f"#r{i}"], expr_values[f":r{i}"] = field, value
            cond += f" AND #r{i} = :r{i}"
        update = "SET " + ", ".join(sets)
        if remove:
            update += " REMOVE " + ", ".join(remove)
        return {"UpdateExpression": update, "ConditionExpression": cond,
                "ExpressionAttributeNames": names, "ExpressionAttributeValues": json_safe(expr_values)}

    def _raw_item(self, resource_id: str) -> dict[str, Any] | None:
        return self._table.get_item(Key=self.key(resource_id), ConsistentRead=True).get("Item")

    def raise_for_failed_condition(self, resource_id: str, old: dict | None,
                                   expected_version: int | None) -> None:
        """`old` is the item as it was when the condition failed (plain values), None if missing."""
        if old is None or old.get("status") == "DELETED":
            raise NotFound(f"{self.label} {resource_id} not found", code=self.not_found_code)
        current = plain(old.get("version"))
        raise PreconditionFailed(
            f"{self.label} {resource_id} changed since you read it (If-Match {expected_version}, now {current})",
            hint="GET the resource again, re-apply your change and send the new etag in If-Match.")

    def claim(self, key: dict[str, str], **attrs: Any) -> dict[str, Any]:
        """A transaction item that succeeds only while nobody holds `key` (a uniqueness row)."""
        return {"Put": {"TableName": self._table.name, "Item": {**key, **attrs},
                        "ConditionExpression": "attribute_not_exists(pk)"}}

    def transact(self, items: builtins.list[dict[str, Any]]) -> int | None:
        """Runs a write transaction; returns the index of the item whose condition failed, if any."""
        try:
            # The resource's client serializes plain Python values itself.
            self._table.meta.client.transact_write_items(TransactItems=items)
        except ClientError as error:
            reasons = error.response.get("CancellationReasons") or []
            failed = [i for i, r in enumerate(reasons) if r.get("Code") == "ConditionalCheckFailed"]
            if not failed:
                raise
            return failed[0]
        return None

    def soft_delete(self, resource_id: str, *, actor: str, expected_version: int | None = None) -> M:
        return self.update(resource_id, {"status": "DELETED"}, actor=actor,
                           expected_version=expected_version, remove=INDEX_ATTRS)


def json_safe(values: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(values), parse_float=Decimal)

