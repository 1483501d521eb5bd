"""Per-account sweeps: a schedule only enqueues one unit per hosting account on the platform-events queue.

The account sync and the environment reconciliation both fan out this way, so a slow or unreachable
account delays no other, the schedule's own time grows by one list page per 100 accounts and one
SendMessageBatch per 10, and the units spread over as many queue consumers as the backlog needs.
A unit names only the account: its handler reads the registration afresh, so a unit that arrives
twice or after the account was deleted does no harm.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..repositories.accounts import AccountRepository
from ..repositories.base import PageRequest


@dataclass(frozen=True)
class Sweep:
    """The (source, detail-type) its units carry: the dispatcher's key for the per-account handler."""
    source: str
    detail_type: str

    def unit(self, account_id: str) -> dict[str, Any]:
        return {"source": self.source, "detail-type": self.detail_type, "detail": {"accountId": account_id}}


def account_of(event: dict[str, Any]) -> str:
    """The account a unit is for (the dispatcher hands handlers the whole message)."""
    return str((event.get("detail") or {}).get("accountId", ""))


class FanOut:
    def __init__(self, accounts: AccountRepository, sqs: Any, queue_url: Callable[[], str]) -> None:
        self._accounts = accounts
        self._sqs = sqs
        self._queue_url = queue_url

    def each_account(self, sweep: Sweep) -> int:
        """One message per registered hosting account; returns how many were sent."""
        sent, token = 0, None
        while True:
            accounts, token = self._accounts.list(PageRequest(size=100, token=token))
            for start in range(0, len(accounts), 10):  # SendMessageBatch takes at most 10 entries
                batch = accounts[start:start + 10]
                answer = self._sqs.send_message_batch(QueueUrl=self._queue_url(), Entries=[
                    {"Id": str(i), "MessageBody": json.dumps(sweep.unit(a.id))} for i, a in enumerate(batch)])
                if answer.get("Failed"):  # a unit that is not sent is a sweep that silently skips an account
                    raise RuntimeError(f"{len(answer['Failed'])} {sweep.detail_type} units were not enqueued: "
                                       f"{answer['Failed'][0]}")
                sent += len(batch)
            if not token:
                return sent
