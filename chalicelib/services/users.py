"""Users: Cognito identities plus their profile (status, global roles) in the authorization table."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from ..auth.principal import Principal
from ..errors import InvalidState, NotFound
from ..models.base import now
from ..models.users import CreateUser, UpdateUser, User
from ..repositories.base import PageRequest
from ..repositories.memberships import MembershipRepository
from ..repositories.users import UserRepository
from .changes import changes_of

IT_ADMIN_GROUP = "ITAdmin"



class UserService:
    def __init__(self, users: UserRepository, memberships: MembershipRepository, cognito: Any,
                 user_pool_id: str) -> None:
        self._users = users
        self._memberships = memberships
        self._cognito = cognito
        self._pool = user_pool_id

    def create(self, actor: str, request: CreateUser) -> User:
        """Invites one person; safe when the same e-mail is invited many times at once.

        The e-mail is claimed first (a conditional write), so only the claim's holder touches Cognito;
        everyone else gets AlreadyExists before creating anything. The holder never deletes an identity:
        the username is derived from the e-mail, so an identity it finds may be another attempt's, and
        one it leaves behind is what the next invite adopts and completes.
        """
        holder = uuid.uuid4().hex  # this request, as the claim names it
        self._users.claim_email(request.email, holder=holder, actor=actor)
        try:
            username, sub = self._identity(request)
            stamp = now()
            user = User(id=sub, username=username, first_name=request.first_name, last_name=request.last_name,
                        email=request.email, roles=sorted(set(request.roles)), created_at=stamp,
                        updated_at=stamp, created_by=actor, updated_by=actor)
            self._users.add(user, holder=holder)
        except Exception:
            self._users.release_email(request.email, holder=holder)  # no-op once it is no longer ours
            raise
        self._sync_groups(username, set(), set(user.roles))
        return user

    def _identity(self, request: CreateUser) -> tuple[str, str]:
        """The Cognito username and sub for `request`, created now or left by an earlier attempt."""
        username = _username(request.email)
        try:
            attributes = self._cognito.admin_create_user(
                UserPoolId=self._pool, Username=username, DesiredDeliveryMediums=["EMAIL"],
                UserAttributes=[{"Name": "email", "Value": request.email},
                                {"Name": "email_verified", "Value": "true"},
                                {"Name": "given_name", "Value": request.first_name},
                                {"Name": "family_name", "Value": request.last_name}])["User"]["Attributes"]
        except self._cognito.exceptions.UsernameExistsException:
            # An earlier attempt created the identity but not the profile (it died, or lost its claim
            # to us after its lease): we hold the claim now, so finishing it is ours to do.
            attributes = self._cognito.admin_get_user(UserPoolId=self._pool, Username=username)["UserAttributes"]
        return username, next(a["Value"] for a in attributes if a["Name"] == "sub")

    def bootstrap_first_admin(self, request: CreateUser) -> User:
        """The very first IT admin of a fresh deployment; refused once anyone exists."""
        existing, _ = self._users.list(PageRequest(size=1))
        if existing:
            raise InvalidState("the workbench already has users; IT admins invite new ones with POST /users",
                               code="ALREADY_BOOTSTRAPPED")
        return self.create("bootstrap", request.model_copy(update={"roles": ["ITAdmin"]}))

    def get(self, user_id: str) -> User:
        return self._users.get(user_id)

    def list_for(self, principal: Principal, page: PageRequest, status: str | None,
                 email: str | None) -> tuple[list[User], str | None]:
        """IT admins see everyone; a project admin sees the members of the projects they administer,
        and finds anyone else only by their exact e-mail (to add them)."""
        if email:
            found = self._users.id_for_email(email)
            return self._users.page_of([found] if found else [], page, f"users-email:{email.lower()}", status)
        if principal.is_it_admin:
            return self._users.list(page, status=status)
        return self._users.page_of(self._visible_ids(principal), page, f"users-of:{principal.user_id}", status)

    def get_for(self, principal: Principal, user_id: str) -> User:
        if principal.is_it_admin or user_id == principal.user_id or user_id in self._visible_ids(principal):
            return self._users.get(user_id)
        raise NotFound(f"user {user_id} not found", code="USER_NOT_FOUND")

    def _visible_ids(self, principal: Principal) -> set[str]:
        administered = [p for p, role in principal.memberships.items() if role == "ProjectAdmin"]
        return self._memberships.member_ids(administered)

    def update(self, actor: str, user_id: str, request: UpdateUser, if_match: int | None) -> User:
        user = self._users.get(user_id)
        changes = changes_of(request)
        drops_admin = request.roles is not None and "ITAdmin" not in request.roles and "ITAdmin" in user.roles
        if actor == user_id and (request.status == "INACTIVE" or drops_admin):
            raise InvalidState("you cannot disable yourself or drop your own ITAdmin role",
                               code="SELF_LOCKOUT", hint="Ask another IT admin to do it.")
        if request.roles is not None:
            changes["roles"] = sorted(set(request.roles))
        # The table decides access, so it changes first (and only if If-Match holds); Cognito follows.
        updated = self._users.update(user_id, changes, actor=actor, expected_version=if_match)
        if request.status and request.status != user.status:
            if request.status == "ACTIVE":
                self._cognito.admin_enable_user(UserPoolId=self._pool, Username=user.username)
            else:
                self._cognito.admin_disable_user(UserPoolId=self._pool, Username=user.username)
                self._cognito.admin_user_global_sign_out(UserPoolId=self._pool, Username=user.username)
        if request.roles is not None:
            self._sync_groups(user.username, set(user.roles), set(request.roles))
        return updated

    def purge(self, user_id: str) -> None:
        user = self._users.get(user_id)
        if user.status != "INACTIVE":
            raise InvalidState(f"user {user_id} is {user.status}", code="USER_NOT_INACTIVE",
                               hint="Set status INACTIVE with PATCH /users/{id} first.")
        try:
            self._cognito.admin_delete_user(UserPoolId=self._pool, Username=user.username)
        except self._cognito.exceptions.UserNotFoundException:
            pass  # already gone from Cognito: finish the purge
        self._users.purge(user)

    def _sync_groups(self, username: str, before: set[str], after: set[str]) -> None:
        """Mirror global roles into Cognito groups for tools that read them (the app reads the table)."""
        if IT_ADMIN_GROUP in after - before:
            self._cognito.admin_add_user_to_group(UserPoolId=self._pool, Username=username, GroupName=IT_ADMIN_GROUP)
        if IT_ADMIN_GROUP in before - after:
            self._cognito.admin_remove_user_from_group(UserPoolId=self._pool, Username=username,
                                                       GroupName=IT_ADMIN_GROUP)


def _username(email: str) -> str:
    """The pool lets people sign in with their e-mail alias; usernames must not look like e-mail."""
    local = "".join(c for c in email.split("@")[0].lower() if c.isalnum() or c in "._-")[:40] or "user"
    return f"{local}-{hashlib.sha256(email.lower().encode()).hexdigest()[:6]}"
