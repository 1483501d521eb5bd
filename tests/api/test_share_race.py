"""An unshare racing a launch never leaves a mounted dataset unshared.

A launch is two steps (plan: read the share; add: write the environment with its MOUNT rows), an
unshare three (mark the share, read the MOUNT rows, delete the share). Every interleaving of the
two is run step by step on the embedded DynamoDB, and in each exactly one of them wins.
"""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest

from tests.helpers import body

LAUNCH = ("plan", "add")
UNSHARE = ("mark", "read", "delete")


def _interleavings() -> list[tuple[str, ...]]:
    """Every order of the five steps that keeps each side's own order (10 of them)."""
    found = []
    for places in itertools.combinations(range(5), 2):
        rest = iter(UNSHARE)
        launch = iter(LAUNCH)
        found.append(tuple(next(launch) if i in places else next(rest) for i in range(5)))
    return found


@pytest.fixture(scope="module")
def world(stack, app, admin, people, new_project):
    owner, user = new_project(), new_project()
    return {"owner": owner, "user": user, "admin": people.make(projects={owner.id: "ProjectAdmin"})}


def _shared_dataset(api, world, level: str = "read-only") -> str:
    base = f"/projects/{world['owner'].id}/datasets"
    made = api.http.post(base, headers=world["admin"].headers,
                         body=json.dumps({"name": f"race-{uuid.uuid4().hex[:8]}"}).encode())
    assert made.status_code == 201, body(made)
    dataset_id = body(made)["id"]
    shared = api.http.put(f"{base}/{dataset_id}/shares/{world['user'].id}", headers=world["admin"].headers,
                          body=json.dumps({"accessLevel": level}).encode())
    assert shared.status_code == 200, body(shared)
    return dataset_id


def _interleaved_repository(before: Callable[[str], None]):
    """The real repository; each unshare step first lets the launch's steps due before it run."""
    from chalicelib import deps
    from chalicelib.repositories.datasets import DatasetRepository

    class Interleaved(DatasetRepository):
        def mark_unshare(self, *args, **kwargs):
            before("mark")
            return super().mark_unshare(*args, **kwargs)

        def mounts(self, *args, **kwargs):
            before("read")
            return super().mounts(*args, **kwargs)

        def remove_share(self, *args, **kwargs):
            before("delete")
            return super().remove_share(*args, **kwargs)

    c = deps.container()
    return Interleaved(c.app_table, c.cursor)


class Launch:
    """The launch's two steps, as EnvironmentService.launch does them, on the app's own objects."""

    def __init__(self, project_id: str, dataset_id: str) -> None:
        self.project_id, self.dataset_id = project_id, dataset_id
        self.env_id = f"env-{uuid.uuid4().hex[:12]}"
        self.mounts: list | None = None
        self.outcome = "not run"

    def plan(self) -> None:
        from chalicelib import deps
        from chalicelib.errors import InvalidInput
        try:
            self.mounts = deps.container().dataset_mounts.plan(self.project_id, self.env_id, [self.dataset_id])
        except InvalidInput:
            self.outcome = "refused at plan"

    def add(self) -> None:
        from chalicelib import deps
        from chalicelib.errors import InvalidState
        from chalicelib.models.base import now
        from chalicelib.models.environments import Environment
        if self.mounts is None:
            return
        stamp = now()
        env = Environment(id=self.env_id, name="racer", project_id=self.project_id, env_type_id="et",
                          env_type_config_id="etc", owner="u", account_id="acc", aws_account_id="111111111111",
                          driver="sagemaker-notebook", dataset_ids=[self.dataset_id], mounts=self.mounts,
                          status_changed_at=stamp, created_at=stamp, updated_at=stamp, created_by="u", updated_by="u")
        try:
            deps.container().environments_repo.add(env)
            self.outcome = "mounted"
        except InvalidState as refused:
            assert refused.code == "DATASET_SHARE_CHANGED", refused
            self.outcome = "refused at add"


@pytest.mark.parametrize("order", _interleavings(), ids=lambda order: "-".join(order))
def test_every_interleaving_of_a_launch_and_an_unshare_leaves_no_mount_without_its_share(api, world, order):
    from chalicelib import deps
    from chalicelib.errors import InvalidState
    from chalicelib.services.datasets import DatasetService

    dataset_id = _shared_dataset(api, world)
    launch = Launch(world["user"].id, dataset_id)
    due = {step: [] for step in (*UNSHARE, "end")}
    for position, step in enumerate(order):
        if step in LAUNCH:  # runs just before the next unshare step, or at the end
            following = next((s for s in order[position:] if s in UNSHARE), "end")
            due[following].append(getattr(launch, step))

    def before(step: str) -> None:
        while due[step]:
            due[step].pop(0)()

    c = deps.container()
    service = DatasetService(_interleaved_repository(before), c.dataset_files_repo, c.projects_repo, lambda _: None)
    try:
        service.unshare(world["owner"].id, dataset_id, world["user"].id)
        unshared = True
    except InvalidState as refused:
        assert refused.code == "DATASET_IN_USE", refused
        unshared = False
    for step in (*UNSHARE, "end"):  # an unshare refused at its read never reaches delete: run the rest
        before(step)

    mounted = c.datasets_repo.mounts(dataset_id, world["user"].id)
    share = c.datasets_repo.share(dataset_id, world["user"].id)
    assert not (mounted and share is None), (order, launch.outcome)  # the invariant
    assert (launch.outcome == "mounted") != unshared, (order, launch.outcome, unshared)  # exactly one wins
    assert bool(mounted) == (launch.outcome == "mounted") and (share is None) == unshared


def test_a_launch_clears_the_mark_of_an_unshare_that_died_and_that_unshare_cannot_delete(api, world):
    from chalicelib import deps
    from chalicelib.models.base import now

    c = deps.container()
    dataset_id = _shared_dataset(api, world)
    token = c.datasets_repo.mark_unshare(dataset_id, world["user"].id, now() - timedelta(minutes=10))
    launch = Launch(world["user"].id, dataset_id)
    launch.plan()
    launch.add()
    assert launch.outcome == "mounted"
    assert c.datasets_repo.remove_share(dataset_id, world["user"].id, token) is False  # its mark is gone
    refused = api.http.delete(f"/projects/{world['owner'].id}/datasets/{dataset_id}/shares/{world['user'].id}",
                              headers=world["admin"].headers)
    assert refused.status_code == 409 and body(refused)["code"] == "DATASET_IN_USE", body(refused)
    assert c.datasets_repo.share(dataset_id, world["user"].id) is not None


def test_a_share_whose_level_changed_after_the_plan_refuses_the_launch(api, world):
    dataset_id = _shared_dataset(api, world, "read-write")
    launch = Launch(world["user"].id, dataset_id)
    launch.plan()
    assert launch.mounts and launch.mounts[0].access_level == "read-write"
    lowered = api.http.put(f"/projects/{world['owner'].id}/datasets/{dataset_id}/shares/{world['user'].id}",
                           headers=world["admin"].headers, body=b'{"accessLevel": "read-only"}')
    assert lowered.status_code == 200, body(lowered)
    launch.add()
    assert launch.outcome == "refused at add"  # no read-write access point on a read-only share
