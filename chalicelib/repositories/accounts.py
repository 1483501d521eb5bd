"""Hosting accounts in the app table; one registration per AWS account id."""

from __future__ import annotations

from typing import Any

from ..errors import AlreadyExists
from ..models.accounts import Account, AccountCheck
from ..models.base import now
from .base import SYSTEM, ResourceTable


class AccountRepository(ResourceTable[Account]):
    model = Account
    prefix = "ACCOUNT"
    kind = "account"
    label = "hosting account"
    not_found_code = "ACCOUNT_NOT_FOUND"

    def add(self, account: Account) -> Account:
        failed = self.transact([{"Put": self.put_new(account)},
                                self.claim(self._claim_key(account.aws_account_id), accountId=account.id)])
        if failed is not None:
            raise AlreadyExists(f"AWS account {account.aws_account_id} is already registered",
                                code="ACCOUNT_ALREADY_REGISTERED",
                                hint="GET /awsAccounts to find the existing registration.")
        return account

    def record_check(self, account_id: str, status: str, reason: str, checks: list[AccountCheck],
                     outputs: dict[str, str]) -> Account:
        """The outcome of the onboarding checks: the workbench's own bookkeeping, not a user's edit."""
        changes: dict[str, Any] = {"status": status, "statusReason": reason, "lastCheckedAt": now().isoformat(),
                                   "checks": [c.to_json() for c in checks]}
        if outputs:
            changes.update({"vpcId": outputs.get("VpcId"), "encryptionKeyArn": outputs.get("EncryptionKeyArn"),
                            "subnetIds": [s for s in outputs.get("SubnetIds", "").split(",") if s],
                            "environmentBoundaryArn": outputs.get("EnvironmentBoundaryArn"),
                            "launchConstraintRoleName": outputs.get("LaunchConstraintRoleName"),
                            "templateVersion": outputs.get("TemplateVersion")})
        return self.update(account_id, {k: v for k, v in changes.items() if v is not None}, actor=SYSTEM)

    def release(self, aws_account_id: str) -> None:
        self._table.delete_item(Key=self._claim_key(aws_account_id))

    @staticmethod
    def _claim_key(aws_account_id: str) -> dict[str, str]:
        return {"pk": f"AWSACCOUNT#{aws_account_id}", "sk": "UNIQUE"}
