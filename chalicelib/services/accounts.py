"""Hosting accounts: register, rename, check reachability, delete when unused."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ..errors import InvalidInput, InvalidState
from ..models.accounts import Account, CreateAccount, UpdateAccount
from ..models.base import new_id, now
from ..repositories.accounts import AccountRepository
from ..repositories.base import PageRequest
from ..repositories.cost_centers import CostCenterRepository


class AccountService:
    def __init__(self, accounts: AccountRepository, cost_centers: CostCenterRepository, sts: Any) -> None:
        self._accounts = accounts
        self._cost_centers = cost_centers
        self._sts = sts

    def register(self, actor: str, request: CreateAccount) -> Account:
        for field, arn in (("envMgmtRoleArn", request.env_mgmt_role_arn),
                           ("hostingAccountHandlerRoleArn", request.hosting_account_handler_role_arn)):
            if arn.split(":")[4] != request.aws_account_id:
                raise InvalidInput(f"{field} must be a role in account {request.aws_account_id}",
                                   errors=[{"field": field, "message": "role is in another account"}])
        stamp = now()
        account = Account(id=new_id("acc"), created_at=stamp, updated_at=stamp, created_by=actor,
                          updated_by=actor, **request.model_dump())
        return self._accounts.add(account)

    def get(self, account_id: str) -> Account:
        return self._accounts.get(account_id)

    def list(self, page: PageRequest, name_prefix: str | None, status: str | None) -> tuple[list[Account], str | None]:
        return self._accounts.list(page, name_prefix=name_prefix, status=status)

    def update(self, actor: str, account_id: str, request: UpdateAccount, if_match: int | None) -> Account:
        changes = request.model_dump(by_alias=True, exclude_none=True)
        if not changes:
            raise InvalidInput("nothing to change: send name")
        return self._accounts.update(account_id, changes, actor=actor, expected_version=if_match)

    def delete(self, actor: str, account_id: str, if_match: int | None) -> None:
        account = self._accounts.get(account_id)
        if self._cost_centers.has_any(account_id):
            raise InvalidState(f"hosting account {account_id} is used by cost centers", code="ACCOUNT_IN_USE",
                               hint="Delete the cost centers that use it first.")
        self._accounts.soft_delete(account_id, actor=actor, expected_version=if_match)
        self._accounts.release(account.aws_account_id)

    def check(self, account: Account) -> Account:
        """Can we act in the account? Assume its env-mgmt role with the registered ExternalId."""
        try:
            self._sts.assume_role(RoleArn=account.env_mgmt_role_arn, ExternalId=account.external_id,
                                  RoleSessionName="workbench-account-check", DurationSeconds=900)
            status, reason = "CURRENT", "the env-mgmt role can be assumed with the registered external id"
        except ClientError as error:
            status = "ERRORED"
            reason = (f"cannot assume {account.env_mgmt_role_arn} with the registered external id "
                      f"({error.response['Error'].get('Code')}): check the role exists, trusts this "
                      "workbench and requires the same external id; or delete this registration and register again")
        if status == account.status and reason == account.status_reason:
            return account
        return self._accounts.update(account.id, {"status": status, "statusReason": reason,
                                                  "lastCheckedAt": now().isoformat()}, actor="system")

    def check_all(self) -> int:
        """The scheduled sweep: every registered account, page by page."""
        checked, token = 0, None
        while True:
            accounts, token = self._accounts.list(PageRequest(size=100, token=token))
            for account in accounts:
                self.check(account)
                checked += 1
            if not token:
                return checked
