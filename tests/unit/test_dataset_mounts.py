"""Dataset mounts on fakes: what a launch plans, and what terminate does when an access point won't go."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError

from chalicelib.errors import InvalidInput, NotFound
from chalicelib.models.datasets import Dataset
from chalicelib.models.environments import Environment, Mount
from chalicelib.services.dataset_mounts import DatasetMounts, DatasetsBucket

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def dataset(dataset_id: str, name: str, project: str = "p-own") -> Dataset:
    return Dataset(id=dataset_id, name=name, project_id=project, prefix=f"datasets/{dataset_id}/", created_at=NOW,
                   updated_at=NOW, created_by="u", updated_by="u")


DATASETS = {"ds-own": (dataset("ds-own", "genomes"), "owner"),
            "ds-ro": (dataset("ds-ro", "genomes", "p-other"), "read-only"),
            "ds-rw": (dataset("ds-rw", "scans and notes", "p-other"), "read-write")}


def access(project_id: str, dataset_id: str) -> tuple[Dataset, str]:
    if dataset_id not in DATASETS:
        raise NotFound(f"dataset {dataset_id} not found")
    return DATASETS[dataset_id]


class FakeS3Control:
    def __init__(self, failing: dict[str, str]) -> None:
        self.failing = failing
        self.deleted: list[str] = []

    def delete_access_point(self, AccountId: str, Name: str) -> None:  # noqa: N803 - boto3's names
        if Name in self.failing:
            raise ClientError({"Error": {"Code": self.failing[Name], "Message": "no"}}, "DeleteAccessPoint")
        self.deleted.append(Name)


class FakeEnvironments:
    def __init__(self, env: Environment) -> None:
        self.env = env

    def stamp(self, env_id: str, changes: dict[str, Any], *, expected_status: str) -> bool:
        assert expected_status == "TERMINATED"
        self.env = self.env.model_copy(update={"status_reason": changes["statusReason"]})
        return True

    def get(self, env_id: str) -> Environment:
        return self.env


def service(s3control: Any = None, envs: Any = None) -> DatasetMounts:
    return DatasetMounts(s3control, DatasetsBucket(name="rsw-dev-datasets", region="us-east-1",
                                                   account_id=lambda: "123456789012", stage="dev"), access, envs)


def test_the_owner_mounts_read_write_and_a_share_at_its_level_each_in_its_own_directory():
    mounts = service().plan("p-own", "env-1", ["ds-own", "ds-ro", "ds-rw", "ds-own"])
    assert [(m.dataset_id, m.name, m.access_level) for m in mounts] == [
        ("ds-own", "genomes", "read-write"), ("ds-ro", "genomes-2", "read-only"),
        ("ds-rw", "scans-and-notes", "read-write")]
    names = [m.access_point_name for m in mounts]
    assert len(set(names)) == 3 and all(re.fullmatch(r"rsw-dev-[a-z0-9]{12}", n) for n in names)
    assert service().plan("p-own", "env-1", ["ds-own"])[0].access_point_name == names[0]  # deterministic


def test_unreadable_datasets_are_refused_each_by_its_position():
    with pytest.raises(InvalidInput) as refused:
        service().plan("p-own", "env-1", ["ds-own", "ds-x", "ds-y"])
    assert "ds-x" in refused.value.detail and "ds-y" in refused.value.detail
    assert [e["field"] for e in refused.value.errors] == ["datasetIds.1", "datasetIds.2"]


def test_a_mount_list_that_could_outgrow_the_notebook_parameter_is_refused():
    many = {f"ds-{i}": (dataset(f"ds-{i}", "n" * 112).model_copy(update={"prefix": "p/" * 250}), "owner")
            for i in range(10)}
    mounts = DatasetMounts(None, DatasetsBucket("b", "us-east-1", lambda: "1", "dev"), lambda _p, d: many[d], None)
    with pytest.raises(InvalidInput, match="4096"):
        mounts.plan("p-own", "env-1", list(many))


def test_terminate_tolerates_a_gone_access_point_and_names_one_that_would_not_go():
    mounts = [Mount(dataset_id=d, name=d, prefix=f"{d}/", access_level="read-only", access_point_name=f"ap-{d}")
              for d in ("a", "b", "c")]
    env = Environment(id="env-1", name="nb", project_id="p", env_type_id="t", env_type_config_id="c", owner="u",
                      account_id="acc", aws_account_id="222222222222", driver="sagemaker-notebook",
                      status="TERMINATED", status_reason="terminated", status_changed_at=NOW, created_at=NOW,
                      updated_at=NOW, created_by="u", updated_by="u", mounts=mounts)
    s3control = FakeS3Control({"ap-a": "NoSuchAccessPoint", "ap-b": "AccessDenied"})
    after = service(s3control, FakeEnvironments(env)).release(env)
    assert s3control.deleted == ["ap-c"]
    assert after.status == "TERMINATED" and after.status_reason.startswith("terminated; ")
    assert "ap-b (AccessDenied)" in after.status_reason and "ap-a" not in after.status_reason
