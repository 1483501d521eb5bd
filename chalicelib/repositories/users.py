"""User profiles in the authorization table (`USER#<sub>` / `PROFILE`), one per e-mail address."""

from __future__ import annotations

from boto3.dynamodb.conditions import Key

from ..errors import AlreadyExists
from ..models.users import User
from .base import ResourceTable


class UserRepository(ResourceTable[User]):
    model = User
    prefix = "USER"
    kind = "user"
    label = "user"
    not_found_code = "USER_NOT_FOUND"

    def key(self, resource_id: str) -> dict[str, str]:
        return {"pk": f"USER#{resource_id}", "sk": "PROFILE"}

    def add(self, user: User) -> User:
        failed = self.transact([{"Put": self.put_new(user)},
                                self.claim(self._email_key(user.email), userId=user.id)])
        if failed is not None:
            raise AlreadyExists(f"a user with e-mail {user.email} already exists", code="USER_EMAIL_TAKEN")
        return user

    def email_taken(self, email: str) -> bool:
        return "Item" in self._table.get_item(Key=self._email_key(email))

    def purge(self, user: User) -> None:
        """Hard delete: everything in the user's partition (profile, memberships) and the e-mail claim."""
        rows = self._table.query(KeyConditionExpression=Key("pk").eq(f"USER#{user.id}"),
                                 ProjectionExpression="pk, sk").get("Items", [])
        with self._table.batch_writer() as batch:
            for key in [*({"pk": r["pk"], "sk": r["sk"]} for r in rows), self._email_key(user.email)]:
                batch.delete_item(Key=key)

    @staticmethod
    def _email_key(email: str) -> dict[str, str]:
        return {"pk": f"EMAIL#{email.lower()}", "sk": "UNIQUE"}
