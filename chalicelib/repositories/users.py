"""User profiles in the authorization table (layout in auth_keys), one per e-mail address."""

from __future__ import annotations

from boto3.dynamodb.conditions import Key

from ..errors import AlreadyExists
from ..models.users import User
from . import auth_keys as keys
from .base import ResourceTable


class UserRepository(ResourceTable[User]):
    model = User
    prefix = "USER"
    kind = "user"
    label = "user"
    not_found_code = "USER_NOT_FOUND"

    def key(self, resource_id: str) -> dict[str, str]:
        return keys.profile_key(resource_id)

    def add(self, user: User) -> User:
        failed = self.transact([{"Put": self.put_new(user)},
                                self.claim(self._email_key(user.email), userId=user.id)])
        if failed is not None:
            raise AlreadyExists(f"a user with e-mail {user.email} already exists", code="USER_EMAIL_TAKEN")
        return user

    def email_taken(self, email: str) -> bool:
        return "Item" in self._table.get_item(Key=self._email_key(email))

    def with_roles(self, user_id: str) -> tuple[User | None, dict[str, str]]:
        """The profile (None if unregistered) and every project role (projectId -> role), in one
        consistent query, so a change made a moment ago (a removed membership, a disabled user)
        applies to the very next request."""
        items = self._table.query(KeyConditionExpression=Key("pk").eq(keys.user_pk(user_id)),
                                  ConsistentRead=True).get("Items", [])
        profile = next((i for i in items if keys.is_profile(i)), None)
        roles = {i["projectId"]: i["role"] for i in items if keys.is_membership(i)}
        return (self.from_item(profile) if profile is not None else None), roles

    def purge(self, user: User) -> None:
        """Hard delete: everything in the user's partition (profile, memberships) and the e-mail claim."""
        rows = self._table.query(KeyConditionExpression=Key("pk").eq(keys.user_pk(user.id)),
                                 ProjectionExpression="pk, sk").get("Items", [])
        with self._table.batch_writer() as batch:
            for key in [*({"pk": r["pk"], "sk": r["sk"]} for r in rows), self._email_key(user.email)]:
                batch.delete_item(Key=key)

    @staticmethod
    def _email_key(email: str) -> dict[str, str]:
        return {"pk": f"EMAIL#{email.lower()}", "sk": "UNIQUE"}
