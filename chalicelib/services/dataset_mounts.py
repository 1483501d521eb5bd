"""Datasets mounted in environments: one S3 access point per (environment, dataset) in the main
account, on the datasets bucket. Its policy lets in only that environment's instance role, only
under the dataset's prefix, and grants write actions to a read-write mount alone: the hosting
account's role policy allows any access point, so the access point's own policy is the guard.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from ..aws_errors import AWS_ERRORS, error_code
from ..errors import InvalidInput, NotFound
from ..lifecycle.automation import dataset_mounts, namespace_of
from ..logs import logger
from ..models.accounts import Account
from ..models.datasets import Dataset
from ..models.environments import Environment, Mount
from ..repositories.environments import EnvironmentRepository

READ_ACTIONS = ["s3:GetObject"]
WRITE_ACTIONS = ["s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
PARAMETER_LIMIT = 4096  # catalog/sagemaker-notebook.yaml: DatasetMounts MaxLength
LONGEST_ALIAS = 63      # aliases follow bucket-name rules
# Access point names: 3-50 characters, but S3 builds the alias from the name plus about 43
# characters, and mount-datasets.sh (like any bucket name) takes at most 63: stay within 20.
NAME_LENGTH = 20
DIRECTORY = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class DatasetsBucket:
    """Where the access points live: the main account's datasets bucket (account id resolved lazily)."""
    name: str
    region: str
    account_id: Callable[[], str]
    stage: str  # names start rsw-<stage>-, which the stage's IAM policy is scoped to


class DatasetMounts:
    def __init__(self, s3control: Any, bucket: DatasetsBucket, access: Callable[[str, str], tuple[Dataset, str]],
                 envs: EnvironmentRepository) -> None:
        self._s3control = s3control
        self._bucket = bucket
        self._access = access
        self._envs = envs

    # -- launch ---------------------------------------------------------------
    def plan(self, project_id: str, env_id: str, dataset_ids: list[str]) -> list[Mount]:
        """What the environment will mount, decided before anything exists: every dataset must be
        readable by the project (400 naming each one that is not)."""
        mounts: list[Mount] = []
        unreadable: dict[int, str] = {}
        for index, dataset_id in enumerate(dataset_ids):
            if any(m.dataset_id == dataset_id for m in mounts):
                continue  # listed twice: one mount
            try:
                dataset, level = self._access(project_id, dataset_id)
            except NotFound:
                unreadable[index] = dataset_id
                continue
            # The owning project mounts read-write; a shared-in dataset at its share's level.
            mounts.append(Mount(dataset_id=dataset.id, name=_directory(dataset, {m.name for m in mounts}),
                                prefix=dataset.prefix, access_point_name=self.access_point_name(env_id, dataset.id),
                                access_level="read-only" if level == "read-only" else "read-write",
                                owner_project_id=None if level == "owner" else dataset.project_id))
        if unreadable:
            raise InvalidInput(f"the project cannot read dataset(s) {', '.join(unreadable.values())}", errors=[
                {"field": f"datasetIds.{i}", "message": f"dataset {d} not found or not shared with this project"}
                for i, d in unreadable.items()])
        widest = dataset_mounts([m.model_copy(update={"alias": "a" * LONGEST_ALIAS}) for m in mounts])
        if len(widest) > PARAMETER_LIMIT:
            raise InvalidInput(f"the datasets' mount list could exceed the notebook's {PARAMETER_LIMIT}-character "
                               "limit: attach fewer datasets, or ones with shorter names or prefixes",
                               errors=[{"field": "datasetIds", "message": "too long a mount list"}])
        return mounts

    def access_point_name(self, env_id: str, dataset_id: str) -> str:
        """Deterministic, so a retry or a clean-up finds the same access point."""
        stage = re.sub(r"[^a-z0-9]", "", self._bucket.stage.lower())[:6]
        prefix = f"rsw-{stage}-" if stage else "rsw-"
        digest = base64.b32encode(hashlib.blake2b(f"{env_id}/{dataset_id}".encode(), digest_size=10).digest())
        return prefix + digest.decode().lower()[:max(10, NAME_LENGTH - len(prefix))]

    def create(self, env: Environment, account: Account) -> list[Mount]:
        """Creates each access point with its policy; the mounts come back with their aliases."""
        made = []
        for mount in env.mounts:
            alias = self._create(mount.access_point_name)
            self._s3control.put_access_point_policy(AccountId=self._bucket.account_id(), Name=mount.access_point_name,
                                                    Policy=json.dumps(self.policy(env, account, mount)))
            made.append(mount.model_copy(update={"alias": alias}))
        return made

    def _create(self, name: str) -> str:
        main = self._bucket.account_id()
        try:
            return str(self._s3control.create_access_point(
                AccountId=main, Name=name, Bucket=self._bucket.name, PublicAccessBlockConfiguration={
                    "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
                    "RestrictPublicBuckets": True})["Alias"])
        except ClientError as error:
            if error_code(error) != "AccessPointAlreadyOwnedByYou":  # ours already (the name is deterministic)
                raise
            return str(self._s3control.get_access_point(AccountId=main, Name=name)["Alias"])

    def policy(self, env: Environment, account: Account, mount: Mount) -> dict[str, Any]:
        """The instance role does not exist yet: it is named by where the catalog puts environment roles
        (/<namespace>/environments/) and by its Env tag, which only this environment's role carries."""
        partition = account.env_mgmt_role_arn.split(":")[1]
        point = f"arn:{partition}:s3:{self._bucket.region}:{self._bucket.account_id()}:accesspoint/" \
                f"{mount.access_point_name}"
        objects = f"{point}/object/{mount.prefix}*"
        role = f"arn:{partition}:iam::{account.aws_account_id}:role/{namespace_of(account)}/environments/*"
        who = {"ArnLike": {"aws:PrincipalArn": role}, "StringEquals": {"aws:PrincipalTag/Env": env.id}}
        allow = {"Effect": "Allow", "Principal": {"AWS": f"arn:{partition}:iam::{account.aws_account_id}:root"}}
        # s3:prefix exists only on list requests: in one statement with GetObject it would refuse every get.
        statements = [{"Sid": "ListTheDataset", **allow, "Action": "s3:ListBucket", "Resource": point,
                       "Condition": {**who, "StringLike": {"s3:prefix": [f"{mount.prefix}*"]}}},
                      {"Sid": "ReadTheDataset", **allow, "Action": READ_ACTIONS, "Resource": objects, "Condition": who}]
        if mount.access_level == "read-write":
            statements.append({"Sid": "WriteTheDataset", **allow, "Action": WRITE_ACTIONS, "Resource": objects,
                               "Condition": who})
        return {"Version": "2012-10-17", "Statement": statements}

    # -- terminate --------------------------------------------------------------
    def release(self, env: Environment) -> Environment:
        """Deletes a TERMINATED environment's access points (one already gone is fine).

        A failure does not undo TERMINATED: the notebook and its role are gone, and only a role
        carrying this environment's id could use the access point, so the user has nothing left
        to retry. It is logged (an operator's alarm) and named in statusReason for an IT admin."""
        left = []
        for mount in env.mounts:
            try:
                self._s3control.delete_access_point(AccountId=self._bucket.account_id(), Name=mount.access_point_name)
            except AWS_ERRORS as error:
                code = error_code(error)
                if code != "NoSuchAccessPoint":
                    logger.error("access point not removed", extra={"envId": env.id, "error": code,
                                                                    "accessPoint": mount.access_point_name})
                    left.append(f"{mount.access_point_name} ({code})")
        if not left:
            return env
        reason = (f"{env.status_reason}; the main account's access points {', '.join(left)} could not be removed: "
                  "an IT admin should delete them (aws s3control delete-access-point)")
        self._envs.stamp(env.id, {"statusReason": reason[:1000]}, expected_status="TERMINATED")
        return self._envs.get(env.id)


def _directory(dataset: Dataset, taken: set[str]) -> str:
    """~/SageMaker/datasets/<this>: the dataset's name in characters a path and mount-datasets.sh accept."""
    base = DIRECTORY.sub("-", dataset.name).strip("-.") or dataset.id
    name, n = base, 2
    while name in taken:  # two datasets of the same name (one owned, one shared in)
        name, n = f"{base}-{n}", n + 1
    return name

