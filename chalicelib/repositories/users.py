"""User profiles in the authorization table (layout in auth_keys), one per e-mail address."""

from __future__ import annotations

import builtins
import time
from collections.abc import Iterable, Sequence
from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from ..errors import AlreadyExists
from ..models.base import now
from ..models.users import User
from . import auth_keys as keys
from .base import PageRequest, ResourceTable, is_condition_failure, read_together

# Longer than one invite can take (the API Lambda times out after 29 s): a claim older than this
# belongs to a request that died, and the next invite of the same e-mail may take it over.
CLAIM_LEASE_SECONDS = 60


class UserRepository(ResourceTable[User]):
    model = User
    prefix = "USER"
    kind = "user"
    label = "user"
    not_found_code = "USER_NOT_FOUND"

    def key(self, resource_id: str) -> dict[str, str]:
        return keys.profile_key(resource_id)

    def claim_email(self, email: str, *, holder: str, actor: str) -> None:
        """Reserves `email` for one invite before any Cognito identity exists.

        The claim says who holds it and until when: a request that dies between claiming and writing
        the profile leaves a PENDING claim that another invite may take over once its lease ran out.
        A finished claim (a profile exists) or a live lease is AlreadyExists.
        """
        stamp = int(time.time())
        try:
            self._table.put_item(
                Item={**self._email_key(email), "state": "PENDING", "holder": holder, "claimedBy": actor,
                      "claimedAt": now().isoformat(), "leaseUntil": stamp + CLAIM_LEASE_SECONDS},
                ConditionExpression="attribute_not_exists(pk) OR (#state = :pending AND leaseUntil < :now)",
                ExpressionAttributeNames={"#state": "state"},
                ExpressionAttributeValues={":pending": "PENDING", ":now": stamp})
        except ClientError as error:
            if not is_condition_failure(error):
                raise
            raise AlreadyExists(f"a user with e-mail {email} already exists or is being invited right now",
                                code="USER_EMAIL_TAKEN",
                                hint="If GET /users does not list them, an invite of this e-mail is "
                                     "still in progress: retry in a minute.") from None

    def add(self, user: User, holder: str | None = None) -> User:
        """Writes the profile and marks the e-mail taken, in one transaction.

        With `holder`, only while that request still holds the pending claim (it may have lost it to a
        takeover after its lease); without, the e-mail must be unclaimed.
        """
        if holder is None:
            email_write = self.claim(self._email_key(user.email), state="TAKEN", userId=user.id)
        else:
            email_write = {"Update": {
                "TableName": self._table.name, "Key": self._email_key(user.email),
                "UpdateExpression": "SET #state = :taken, userId = :user REMOVE leaseUntil",
                "ConditionExpression": "#state = :pending AND holder = :holder",
                "ExpressionAttributeNames": {"#state": "state"},
                "ExpressionAttributeValues": {":taken": "TAKEN", ":user": user.id, ":pending": "PENDING",
                                              ":holder": holder}}}
        if self.transact([{"Put": self.put_new(user)}, email_write]) is not None:
            raise AlreadyExists(f"a user with e-mail {user.email} already exists", code="USER_EMAIL_TAKEN")
        return user

    def release_email(self, email: str, *, holder: str) -> None:
        """Frees the pending claim this request holds (its invite failed): no need to wait out the lease."""
        try:
            self._table.delete_item(Key=self._email_key(email),
                                    ConditionExpression="#state = :pending AND holder = :holder",
                                    ExpressionAttributeNames={"#state": "state"},
                                    ExpressionAttributeValues={":pending": "PENDING", ":holder": holder})
        except ClientError as error:
            if not is_condition_failure(error):
                raise  # a condition failure means someone took the claim over: it is theirs now

    def with_roles(self, user_id: str) -> tuple[User | None, dict[str, str]]:
        """The profile (None if unregistered) and every project role (projectId -> role), in one
        consistent query, so a change made a moment ago (a removed membership, a disabled user)
        applies to the very next request."""
        items = self._table.query(KeyConditionExpression=Key("pk").eq(keys.user_pk(user_id)),
                                  ConsistentRead=True).get("Items", [])
        profile = next((i for i in items if keys.is_profile(i)), None)
        roles = {i["projectId"]: i["role"] for i in items if keys.is_membership(i)}
        return (self.from_item(profile) if profile is not None else None), roles

    def with_role_in(self, user_id: str, project_id: str | None, also: Sequence[tuple[Any, dict[str, str]]] = ()
                     ) -> tuple[User | None, dict[str, str], builtins.list[dict[str, Any] | None]]:
        """The profile, the role in one project (none asked: no role) and `also` (items of any table by
        key), in one consistent BatchGetItem: the same freshness as `with_roles`, for a route that needs
        no other membership, and the route's resource in the same round trip."""
        wanted = [(self._table, keys.profile_key(user_id))]
        if project_id:
            wanted.append((self._table, keys.membership_key(user_id, project_id)))
        found = read_together([*wanted, *also])
        profile, member = found[0], found[1] if project_id else None
        roles = {str(member["projectId"]): str(member["role"])} if member else {}
        return (self.from_item(profile) if profile is not None else None), roles, found[len(wanted):]

    def id_for_email(self, email: str) -> str | None:
        """Whose e-mail this is (a finished invite only), for an exact lookup."""
        claim = self._table.get_item(Key=self._email_key(email), ConsistentRead=True).get("Item") or {}
        return str(claim["userId"]) if claim.get("userId") and claim.get("state", "TAKEN") == "TAKEN" else None

    def page_of(self, user_ids: Iterable[str], page: PageRequest, scope: str,
                status: str | None = None) -> tuple[builtins.list[User], str | None]:
        """Users named by id (read by key, batch), paged in memory by (last name, first name, id)."""
        after = (self._cursor.decode(page.token, scope) or {}).get("after")
        users = sorted((u for u in self.batch_get(user_ids) if status is None or u.status == status),
                       key=lambda u: [u.last_name.lower(), u.first_name.lower(), u.id])
        if after:
            users = [u for u in users if [u.last_name.lower(), u.first_name.lower(), u.id] > after]
        chunk, more = users[:page.size], len(users) > page.size
        last = chunk[-1] if chunk else None
        token = self._cursor.encode({"after": [last.last_name.lower(), last.first_name.lower(), last.id]},
                                    scope) if more and last else None
        return chunk, token

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
