"""Project memberships in the authorization table: `USER#<sub>` / `MEMBER#<projectId>`.

Kept under the user's partition so one query returns a caller's profile and every role they
hold; the `inverse` index (sk, pk) lists a project's members.
"""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from ..errors import NotFound
from ..models.memberships import Membership
from .base import PageRequest, is_condition_failure, paged_query
from .cursor import CursorCodec


class MembershipRepository:
    def __init__(self, table: Any, cursor: CursorCodec) -> None:
        self._table = table
        self._cursor = cursor

    def put(self, membership: Membership) -> Membership:
        """Adds or replaces the user's one role in the project."""
        self._table.put_item(Item={
            **self._key(membership.user_id, membership.project_id),
            "userId": membership.user_id, "projectId": membership.project_id, "role": membership.role,
            "createdAt": membership.created_at.isoformat(), "createdBy": membership.created_by,
            "gsiType": f"member#{membership.project_id}#{membership.role}", "gsiSort": membership.user_id})
        return membership

    def remove(self, user_id: str, project_id: str) -> None:
        try:
            self._table.delete_item(Key=self._key(user_id, project_id),
                                    ConditionExpression="attribute_exists(pk)")
        except ClientError as error:
            if not is_condition_failure(error):
                raise
            raise NotFound(f"user {user_id} is not a member of project {project_id}",
                           code="MEMBERSHIP_NOT_FOUND") from None

    def list_for_project(self, project_id: str, page: PageRequest,
                         role: str | None = None) -> tuple[list[Membership], str | None]:
        if role:
            query = {"IndexName": "byType", "KeyConditionExpression": Key("gsiType").eq(f"member#{project_id}#{role}")}
        else:
            query = {"IndexName": "inverse", "KeyConditionExpression": Key("sk").eq(f"MEMBER#{project_id}")}
        return paged_query(self._table, self._cursor, page, f"members:{project_id}:{role}",
                           Membership.model_validate, **query)

    def keys_for_project(self, project_id: str) -> list[dict[str, str]]:
        keys, kwargs = [], {"IndexName": "inverse", "KeyConditionExpression": Key("sk").eq(f"MEMBER#{project_id}")}
        while True:
            answer = self._table.query(**kwargs)
            keys += [{"pk": i["pk"], "sk": i["sk"]} for i in answer.get("Items", [])]
            if "LastEvaluatedKey" not in answer:
                return keys
            kwargs["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    def remove_keys(self, keys: list[dict[str, str]]) -> None:
        with self._table.batch_writer() as batch:
            for key in keys:
                batch.delete_item(Key=key)

    @staticmethod
    def _key(user_id: str, project_id: str) -> dict[str, str]:
        return {"pk": f"USER#{user_id}", "sk": f"MEMBER#{project_id}"}
