"""Hosting-account sessions are assumed once per role and ExternalId, and renewed before they expire."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.hosting import RENEW_BEFORE, HostingSessions

START = datetime(2025, 1, 1, tzinfo=UTC)
ROLE = "arn:aws:iam::111111111111:role/env-mgmt"


class FakeSts:
    """Answers AssumeRole with credentials valid 15 minutes from the fake clock's now."""

    def __init__(self, clock: list[datetime]) -> None:
        self.calls: list[tuple[str, str]] = []
        self._clock = clock

    def assume_role(self, RoleArn: str, ExternalId: str, DurationSeconds: int, RoleSessionName: str) -> dict:  # noqa: N803 - boto3's names
        self.calls.append((RoleArn, ExternalId))
        return {"Credentials": {"AccessKeyId": f"AK{len(self.calls)}", "SecretAccessKey": "s", "SessionToken": "t",
                                "Expiration": self._clock[0] + timedelta(seconds=DurationSeconds)}}


def sessions() -> tuple[HostingSessions, FakeSts, list[datetime]]:
    clock = [START]
    sts = FakeSts(clock)
    return HostingSessions(sts, "us-east-1", clock=lambda: clock[0]), sts, clock


def test_the_check_the_reconciliation_and_an_action_share_one_assumed_session():
    cache, sts, _ = sessions()
    first = cache.assume(ROLE, "ext", "account-check")
    assert cache.assume(ROLE, "ext", "environments") is first
    assert cache.assume(ROLE, "ext", "environments") is first
    assert len(sts.calls) == 1


def test_another_external_id_or_role_is_assumed_on_its_own():
    cache, sts, _ = sessions()
    cache.assume(ROLE, "ext", "environments")
    cache.assume(ROLE, "rotated", "environments")
    cache.assume(ROLE.replace("env-mgmt", "handler"), "ext", "account-check")
    assert sts.calls == [(ROLE, "ext"), (ROLE, "rotated"), (ROLE.replace("env-mgmt", "handler"), "ext")]


def test_a_session_is_renewed_shortly_before_its_credentials_expire():
    cache, sts, clock = sessions()
    first = cache.assume(ROLE, "ext", "environments")
    clock[0] = START + timedelta(seconds=900) - RENEW_BEFORE - timedelta(seconds=1)
    assert cache.assume(ROLE, "ext", "environments") is first
    clock[0] += timedelta(seconds=2)
    assert cache.assume(ROLE, "ext", "environments") is not first
    assert len(sts.calls) == 2


def test_a_refused_assumption_is_not_cached():
    class Refusing(FakeSts):
        def assume_role(self, **kwargs) -> dict:
            self.calls.append((kwargs["RoleArn"], kwargs["ExternalId"]))
            raise PermissionError("AccessDenied")

    clock = [START]
    sts = Refusing(clock)
    cache = HostingSessions(sts, "us-east-1", clock=lambda: clock[0])
    for _ in range(2):
        try:
            cache.assume(ROLE, "ext", "environments")
        except PermissionError:
            pass
    assert len(sts.calls) == 2
