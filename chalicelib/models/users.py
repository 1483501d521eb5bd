"""Users: Cognito identities with a profile in the authorization table."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import EmailStr, StringConstraints

from .base import ApiModel, RequestModel, Resource

UserStatus = Literal["ACTIVE", "INACTIVE"]
GlobalRole = Literal["ITAdmin"]
PersonName = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f<>]+$")]


class User(Resource):
    username: str
    first_name: str
    last_name: str
    email: str
    status: UserStatus = "ACTIVE"
    roles: list[GlobalRole] = []


class CreateUser(RequestModel):
    first_name: PersonName
    last_name: PersonName
    email: EmailStr
    roles: list[GlobalRole] = []


class UpdateUser(RequestModel):
    first_name: PersonName | None = None
    last_name: PersonName | None = None
    status: UserStatus | None = None
    roles: list[GlobalRole] | None = None


class MembershipView(ApiModel):
    project_id: str
    role: str


class Me(ApiModel):
    id: str
    username: str
    first_name: str
    last_name: str
    email: str
    status: UserStatus
    roles: list[GlobalRole]
    projects: list[MembershipView]
