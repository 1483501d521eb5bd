"""Hosting accounts in the app table; one registration per AWS account id."""

from __future__ import annotations

from ..errors import AlreadyExists
from ..models.accounts import Account
from .base import ResourceTable


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

    def release(self, aws_account_id: str) -> None:
        self._table.delete_item(Key=self._claim_key(aws_account_id))

    @staticmethod
    def _claim_key(aws_account_id: str) -> dict[str, str]:
        return {"pk": f"AWSACCOUNT#{aws_account_id}", "sk": "UNIQUE"}
