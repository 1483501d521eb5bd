"""A filtered list on the app table's indexes: the first given filter picks the index that keys the
query, the others filter its pages. (Lists are index queries, never scans.)"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from boto3.dynamodb.conditions import Attr, Key


@dataclass(frozen=True)
class Filter:
    index: str            # the index this filter can key (byParent, byOwner, byStatus …)
    key_attribute: str    # that index's partition key
    key_value: str        # the partition it reads, e.g. "environment#proj-1"
    attribute: str        # the item's own attribute, for filtering when another filter keys the query
    value: str | None     # None: not asked for


def plan(filters: list[Filter], fallback: tuple[str, str, str]) -> dict[str, Any]:
    """Query arguments: IndexName, KeyConditionExpression and, if needed, FilterExpression.
    `fallback` (index, key attribute, value) keys the query when no filter is given."""
    given = [f for f in filters if f.value]
    if given:
        chosen = given[0]
        query: dict[str, Any] = {"IndexName": chosen.index,
                                 "KeyConditionExpression": Key(chosen.key_attribute).eq(chosen.key_value)}
    else:
        chosen = None
        index, attribute, value = fallback
        query = {"IndexName": index, "KeyConditionExpression": Key(attribute).eq(value)}
    rest = [Attr(f.attribute).eq(f.value) for f in given if f is not chosen]
    if rest:
        combined = rest[0]
        for more in rest[1:]:
            combined = combined & more
        query["FilterExpression"] = combined
    return query
