"""Project memberships in the authorization table, one row per role under the user's partition."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from boto3.dynamodb.conditions import Key
from boto3.dynamodb.types import TypeDeserializer
from botocore.exceptions import ClientError

from ..errors import NotFound
from ..models.memberships import Membership
from . import auth_keys as keys
from .base import PageRequest, is_condition_failure, paged_query, plain
from .cursor import CursorCodec

_WIRE = TypeDeserializer()  # a failed condition's ALL_OLD item arrives in DynamoDB's wire format


class MembershipRepository:
    def __init__(self, table: Any, cursor: CursorCodec) -> None:
        self._table = table
        self._cursor = cursor

    def grant(self, membership: Membership) -> tuple[Membership, bool]:
        """Gives the user this role in the project, replacing another one; True when the user was not
        a member before. Granting the role they already hold writes nothing and returns that row."""
        try:
            answer = self._table.put_item(
                Item=self._item(membership), ReturnValues="ALL_OLD", ReturnValuesOnConditionCheckFailure="ALL_OLD",
                ConditionExpression="attribute_not_exists(pk) OR #role <> :role",
                ExpressionAttributeNames={"#role": "role"}, ExpressionAttributeValues={":role": membership.role})
        except ClientError as error:
            if not is_condition_failure(error):
                raise
            # The row as it stood, from the failure itself: no second read that a removal could race.
            held = {k: _WIRE.deserialize(v) for k, v in error.response["Item"].items()}
            return Membership.model_validate(plain(held)), False
        return membership, "Attributes" not in answer

    def remove(self, user_id: str, project_id: str) -> None:
        try:
            self._table.delete_item(Key=keys.membership_key(user_id, project_id),
                                    ConditionExpression="attribute_exists(pk)")
        except ClientError as error:
            if not is_condition_failure(error):
                raise
            raise NotFound(f"user {user_id} is not a member of project {project_id}",
                           code="MEMBERSHIP_NOT_FOUND") from None

    def list_for_project(self, project_id: str, page: PageRequest,
                         role: str | None = None) -> tuple[list[Membership], str | None]:
        if role:
            query = {"IndexName": "byType",
                     "KeyConditionExpression": Key("gsiType").eq(keys.member_type(project_id, role))}
        else:
            query = {"IndexName": "inverse", "KeyConditionExpression": Key("sk").eq(keys.member_sk(project_id))}
        return paged_query(self._table, self._cursor, page, f"members:{project_id}:{role}",
                           Membership.model_validate, **query)

    def keys_for_project(self, project_id: str) -> list[dict[str, str]]:
        found: list[dict[str, str]] = []
        kwargs = {"IndexName": "inverse", "KeyConditionExpression": Key("sk").eq(keys.member_sk(project_id))}
        while True:
            answer = self._table.query(**kwargs)
            found += [{"pk": i["pk"], "sk": i["sk"]} for i in answer.get("Items", [])]
            if "LastEvaluatedKey" not in answer:
                return found
            kwargs["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    def member_ids(self, project_ids: Iterable[str]) -> set[str]:
        """Everyone who holds a role in any of these projects."""
        return {k["pk"].removeprefix(keys.user_pk("")) for p in project_ids for k in self.keys_for_project(p)}

    def remove_keys(self, found: list[dict[str, str]]) -> None:
        with self._table.batch_writer() as batch:
            for key in found:
                batch.delete_item(Key=key)

    @staticmethod
    def _item(membership: Membership) -> dict[str, Any]:
        return {**keys.membership_key(membership.user_id, membership.project_id),
                "userId": membership.user_id, "projectId": membership.project_id, "role": membership.role,
                "createdAt": membership.created_at.isoformat(), "createdBy": membership.created_by,
                "gsiType": keys.member_type(membership.project_id, membership.role), "gsiSort": membership.user_id}
