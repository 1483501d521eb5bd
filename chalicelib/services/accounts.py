"""Hosting accounts: register, rename, check reachability, delete when unused."""

from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError

from ..errors import DependencyFailed, InvalidInput, InvalidState, NotFound
from ..events.fan_out import Sweep
from ..models.accounts import Account, CreateAccount, UpdateAccount, Verification
from ..models.base import new_id, now
from ..repositories.accounts import AccountRepository
from ..repositories.base import PageRequest
from ..repositories.cost_centers import CostCenterRepository
from ..repositories.environments import EnvironmentRepository, require_no_live
from .account_checks import AccountInspector
from .changes import changes_of

ACCOUNT_CHECK = Sweep("workbench.accounts", "Check Hosting Account")  # the sync's per-account unit


class AccountService:
    def __init__(self, accounts: AccountRepository, cost_centers: CostCenterRepository,
                 inspector: AccountInspector, envs: EnvironmentRepository) -> None:
        self._envs = envs
        self._accounts = accounts
        self._cost_centers = cost_centers
        self._inspector = inspector

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
        changes = changes_of(request)
        return self._accounts.update(account_id, changes, actor=actor, expected_version=if_match)

    def delete(self, actor: str, account_id: str, if_match: int | None) -> None:
        account = self._accounts.get(account_id)
        require_no_live(self._envs.live_ids_for_account(account_id), f"hosting account {account_id}",
                        "Terminate its environments first.", "ACCOUNT_IN_USE")
        if self._cost_centers.has_any(account_id):
            raise InvalidState(f"hosting account {account_id} is used by cost centers", code="ACCOUNT_IN_USE",
                               hint="Delete the cost centers that use it first.")
        try:
            self._inspector.revoke(account)  # first: a registration is never gone while grants remain
        except (ClientError, BotoCoreError) as error:
            raise DependencyFailed(f"could not revoke the account's shares, bus permission and artifacts grants: "
                                   f"{error}",
                                   hint="Nothing was deleted; retry in a moment.") from None
        self._accounts.soft_delete(account_id, actor=actor, expected_version=if_match)
        self._accounts.release(account.aws_account_id)

    def check(self, account: Account) -> Account:
        """The scheduled sync: repair what the workbench can, then record what is still wrong."""
        return self._record(account, repair=True)

    def check_account(self, account_id: str) -> Account | None:
        """The sync's unit for one account (fanned out by the schedule); None when it was deleted since.

        An unreachable or broken account is recorded as ERRORED, not raised; anything else raised
        (the table itself failing) propagates, so the queue retries and then dead-letters the unit."""
        try:
            account = self._accounts.get(account_id)
        except NotFound:
            return None
        return self.check(account)

    def verify(self, account_id: str) -> Verification:
        """Runs every onboarding check now, changing nothing in AWS, and says check by check what is wrong."""
        account = self._record(self._accounts.get(account_id), repair=False)
        return Verification(status=account.status, status_reason=account.status_reason, checks=account.checks)

    def _record(self, account: Account, repair: bool) -> Account:
        inspection = self._inspector.inspect(account, repair=repair)
        status, reason = inspection.status
        return self._accounts.record_check(account.id, status, reason, inspection.checks, inspection.outputs)
