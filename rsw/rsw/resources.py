"""Typed methods for the administrative resources: projects, members, users, accounts, cost centers,
types, configurations, and the audit trail.

`list` methods are lazy iterators over every page; `page_size` only changes how many per request.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from .models import AuditEvent, CostCenter, Project, Resource, Verification
from .transport import Api


def _body(**fields: Any) -> dict[str, Any]:
    """Only what the caller gave: the API rejects unknown fields and PATCH keeps what is absent."""
    return {k: v for k, v in fields.items() if v is not None}


def _if_match(etag: str | None) -> dict[str, str] | None:
    return {"If-Match": etag} if etag else None


class _Group:
    def __init__(self, api: Api) -> None:
        self.api = api


class Projects(_Group):
    def list(self, name: str | None = None, page_size: int | None = None) -> Iterator[Project]:
        return self.api.iterate("/projects", {"name": name}, page_size)  # type: ignore[return-value]

    def get(self, project_id: str) -> Project:
        return self.api.request("GET", f"/projects/{project_id}")

    def create(self, name: str, cost_center_id: str, description: str | None = None) -> Project:
        return self.api.request("POST", "/projects", json=_body(name=name, costCenterId=cost_center_id,
                                                                 description=description))

    def update(self, project_id: str, name: str | None = None, description: str | None = None,
               etag: str | None = None) -> Project:
        return self.api.request("PATCH", f"/projects/{project_id}", json=_body(name=name, description=description),
                                headers=_if_match(etag))

    def delete(self, project_id: str, etag: str | None = None) -> None:
        self.api.request("DELETE", f"/projects/{project_id}", headers=_if_match(etag))


class Members(_Group):
    def list(self, project_id: str, role: str | None = None, page_size: int | None = None) -> Iterator[dict[str, Any]]:
        return self.api.iterate(f"/projects/{project_id}/users", {"role": role}, page_size)

    def add(self, project_id: str, user_id: str, role: str) -> dict[str, Any]:
        return self.api.request("POST", f"/projects/{project_id}/users/{user_id}/relationships", json={"role": role})

    def remove(self, project_id: str, user_id: str) -> None:
        self.api.request("DELETE", f"/projects/{project_id}/users/{user_id}/relationships")


class Users(_Group):
    def list(self, status: str | None = None, email: str | None = None,
             page_size: int | None = None) -> Iterator[dict[str, Any]]:
        return self.api.iterate("/users", {"status": status, "email": email}, page_size)

    def get(self, user_id: str) -> dict[str, Any]:
        return self.api.request("GET", f"/users/{user_id}")

    def create(self, first_name: str, last_name: str, email: str,
               roles: builtins.list[str] | None = None) -> dict[str, Any]:
        return self.api.request("POST", "/users", json=_body(firstName=first_name, lastName=last_name, email=email,
                                                              roles=roles))

    def update(self, user_id: str, etag: str | None = None, **fields: Any) -> dict[str, Any]:
        """fields: firstName, lastName, status (ACTIVE|INACTIVE), roles."""
        return self.api.request("PATCH", f"/users/{user_id}", json=_body(**fields), headers=_if_match(etag))

    def purge(self, user_id: str) -> None:
        self.api.request("DELETE", f"/users/{user_id}/purge")


class Accounts(_Group):
    def list(self, name: str | None = None, status: str | None = None,
             page_size: int | None = None) -> Iterator[Resource]:
        return self.api.iterate("/awsAccounts", {"name": name, "status": status}, page_size)  # type: ignore[return-value]

    def get(self, account_id: str) -> dict[str, Any]:
        return self.api.request("GET", f"/awsAccounts/{account_id}")

    def register(self, name: str, aws_account_id: str, env_mgmt_role_arn: str, hosting_account_handler_role_arn: str,
                 external_id: str) -> dict[str, Any]:
        return self.api.request("POST", "/awsAccounts", json={
            "name": name, "awsAccountId": aws_account_id, "envMgmtRoleArn": env_mgmt_role_arn,
            "hostingAccountHandlerRoleArn": hosting_account_handler_role_arn, "externalId": external_id})

    def update(self, account_id: str, name: str, etag: str | None = None) -> dict[str, Any]:
        return self.api.request("PATCH", f"/awsAccounts/{account_id}", json={"name": name}, headers=_if_match(etag))

    def delete(self, account_id: str, etag: str | None = None) -> None:
        self.api.request("DELETE", f"/awsAccounts/{account_id}", headers=_if_match(etag))

    def verify(self, account_id: str) -> Verification:
        return self.api.request("POST", f"/awsAccounts/{account_id}/verify")

    def template_urls(self, external_id: str) -> dict[str, Any]:
        return self.api.request("POST", "/awsAccountTemplateUrls", json={"externalId": external_id})


class CostCenters(_Group):
    """Which hosting account a project's spend lands in (IT admins)."""

    def list(self, name: str | None = None, page_size: int | None = None) -> Iterator[CostCenter]:
        return self.api.iterate("/costCenters", {"name": name}, page_size)  # type: ignore[return-value]

    def get(self, cost_center_id: str) -> CostCenter:
        return self.api.request("GET", f"/costCenters/{cost_center_id}")

    def create(self, name: str, account_id: str, description: str | None = None) -> CostCenter:
        """account_id: a CURRENT hosting account (acc-…); 409 otherwise."""
        return self.api.request("POST", "/costCenters", json=_body(name=name, accountId=account_id,
                                                                    description=description))

    def update(self, cost_center_id: str, name: str | None = None, description: str | None = None,
               etag: str | None = None) -> CostCenter:
        return self.api.request("PATCH", f"/costCenters/{cost_center_id}",
                                json=_body(name=name, description=description), headers=_if_match(etag))

    def delete(self, cost_center_id: str, etag: str | None = None) -> None:
        """409 while a project still names it."""
        self.api.request("DELETE", f"/costCenters/{cost_center_id}", headers=_if_match(etag))


class AuditEvents(_Group):
    def list(self, actor: str | None = None, project_id: str | None = None, action: str | None = None,
             since: str | datetime | None = None, until: str | datetime | None = None,
             page_size: int | None = None) -> Iterator[AuditEvent]:
        """Newest first. IT admins read the whole trail; a project admin must give `project_id` of a project
        they administer (400 without it, 403 for another). since/until: ISO 8601 with a zone, or datetimes."""
        return self.api.iterate("/auditEvents", {  # type: ignore[return-value]
            "actor": actor, "projectId": project_id, "action": action,
            "since": _instant(since), "until": _instant(until)}, page_size)


def _instant(value: str | datetime | None) -> str | None:
    """The API wants a zone on every time; a naive datetime is taken as local time, as Python does elsewhere."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value


class EnvironmentTypes(_Group):
    def list(self, name: str | None = None, status: str | None = None,
             page_size: int | None = None) -> Iterator[Resource]:
        return self.api.iterate("/environmentTypes", {"name": name, "status": status}, page_size)  # type: ignore[return-value]

    def get(self, env_type_id: str) -> dict[str, Any]:
        return self.api.request("GET", f"/environmentTypes/{env_type_id}")

    def update(self, env_type_id: str, etag: str | None = None, **fields: Any) -> dict[str, Any]:
        """fields: name, description, status (APPROVED|NOT_APPROVED)."""
        return self.api.request("PATCH", f"/environmentTypes/{env_type_id}", json=_body(**fields),
                                headers=_if_match(etag))

    def sync(self) -> dict[str, Any]:
        return self.api.request("POST", "/environmentTypes/sync")


class Configurations(_Group):
    def list(self, env_type_id: str, project_id: str | None = None,
             page_size: int | None = None) -> Iterator[Resource]:
        """All of a type's configurations (IT admins), or only those linked to `project_id`."""
        prefix = f"/projects/{project_id}" if project_id else ""
        return self.api.iterate(f"{prefix}/environmentTypes/{env_type_id}/configurations", None, page_size)  # type: ignore[return-value]

    def get(self, env_type_id: str, configuration_id: str, project_id: str | None = None) -> dict[str, Any]:
        prefix = f"/projects/{project_id}" if project_id else ""
        return self.api.request("GET", f"{prefix}/environmentTypes/{env_type_id}/configurations/{configuration_id}")

    def create(self, env_type_id: str, name: str, params: dict[str, str], description: str | None = None,
               estimated_cost: str | None = None) -> dict[str, Any]:
        return self.api.request("POST", f"/environmentTypes/{env_type_id}/configurations", json=_body(
            name=name, description=description, estimatedCost=estimated_cost,
            params=[{"key": k, "value": v} for k, v in params.items()]))

    def delete(self, env_type_id: str, configuration_id: str, etag: str | None = None) -> None:
        self.api.request("DELETE", f"/environmentTypes/{env_type_id}/configurations/{configuration_id}",
                         headers=_if_match(etag))

    def link(self, project_id: str, env_type_id: str, configuration_id: str) -> None:
        self.api.request("PUT", self._link(project_id, env_type_id, configuration_id))

    def unlink(self, project_id: str, env_type_id: str, configuration_id: str) -> None:
        self.api.request("DELETE", self._link(project_id, env_type_id, configuration_id))

    @staticmethod
    def _link(project_id: str, env_type_id: str, configuration_id: str) -> str:
        return f"/projects/{project_id}/environmentTypes/{env_type_id}/configurations/{configuration_id}/relationships"
