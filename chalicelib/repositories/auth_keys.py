"""The authorization table's key layout, in one place: a user's partition holds their profile and roles."""

from __future__ import annotations

from typing import Any

# Everything about one user sits under `USER#<sub>`: the profile (sk `PROFILE`) and one row per
# project role (sk `MEMBER#<projectId>`), so one consistent query answers "who is calling".
# The `inverse` index (sk, pk) turns the membership rows around to list a project's members, and
# `byType` (gsiType `member#<projectId>#<role>`) lists them by role.
PROFILE = "PROFILE"
_MEMBER = "MEMBER#"


def user_pk(user_id: str) -> str:
    return f"USER#{user_id}"


def profile_key(user_id: str) -> dict[str, str]:
    return {"pk": user_pk(user_id), "sk": PROFILE}


def member_sk(project_id: str) -> str:
    """The sort key of a membership row, and the `inverse` index's partition of the project."""
    return f"{_MEMBER}{project_id}"


def membership_key(user_id: str, project_id: str) -> dict[str, str]:
    return {"pk": user_pk(user_id), "sk": member_sk(project_id)}


def member_type(project_id: str, role: str) -> str:
    """The `byType` index value that lists a project's members holding `role`."""
    return f"member#{project_id}#{role}"


def is_profile(item: dict[str, Any]) -> bool:
    return item["sk"] == PROFILE


def is_membership(item: dict[str, Any]) -> bool:
    return str(item["sk"]).startswith(_MEMBER)
