"""What the workbench does in a hosting account, as its env-mgmt role: run the shared launch and
terminate documents, read provisioned products, and hand drivers a session."""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import DependencyFailed
from ..hosting import HostingSession, HostingSessions
from ..models.accounts import Account
from ..models.environment_types import EnvironmentType
from ..models.environments import Environment, Mount


@dataclass(frozen=True)
class MainAccountFacts:
    """What of the main account a launch needs; the account id is resolved lazily (one STS call)."""
    account_id: Callable[[], str]
    region: str
    launch_document: str
    terminate_document: str
    artifacts_bucket: str


class Automation:
    def __init__(self, sessions: HostingSessions, main: MainAccountFacts) -> None:
        self._sessions = sessions
        self._main = main

    def session(self, account: Account) -> HostingSession:
        """Raises botocore errors (AccessDenied when the role no longer trusts us with this ExternalId)."""
        return self._sessions.assume(account.env_mgmt_role_arn, account.external_id, "environments")

    def supplied_parameters(self, account: Account, env: Environment) -> dict[str, str]:
        """Everything the workbench fills in at launch (parameters.SUPPLIED_BY_WORKBENCH)."""
        subnets = account.subnet_ids or [""]
        return {"EnvId": env.id, "Namespace": namespace_of(account), "VpcId": account.vpc_id or "",
                # spread environments over the account's subnets (and so its availability zones)
                "SubnetId": subnets[zlib.crc32(env.id.encode()) % len(subnets)],
                "EncryptionKeyArn": account.encryption_key_arn or "",
                "EnvironmentBoundaryArn": account.environment_boundary_arn or "",
                "ArtifactsBucketName": self._main.artifacts_bucket, "DatasetMounts": dataset_mounts(env.mounts),
                "MainAccountId": self._main.account_id()}

    def start_launch(self, session: HostingSession, account: Account, env: Environment, env_type: EnvironmentType,
                     parameters: dict[str, str]) -> str:
        paths = session.client("servicecatalog").list_launch_paths(
            ProductId=env_type.product_id).get("LaunchPathSummaries", [])
        if not paths:
            raise DependencyFailed(
                f"could not start the launch: the hosting account has no launch path for product "
                f"{env_type.product_id} (the portfolio is not shared with it, or not accepted)",
                hint="Ask an IT admin to verify the hosting account, then terminate this environment and launch again.")
        path = paths[0]["Id"]
        return self._run(session, account, self._main.launch_document, {
            "ProductId": env_type.product_id, "ProvisioningArtifactId": env_type.provisioning_artifact_id,
            "PathId": path, "ProvisionedProductName": env.id, "EnvId": env.id,
            "ProvisioningParameters": [json.dumps({"Key": k, "Value": v}) for k, v in parameters.items()],
            "Tags": [json.dumps({"Key": k, "Value": v}) for k, v in
                     (("Env", env.id), ("Project", env.project_id), ("Owner", env.owner))]})

    def start_terminate(self, session: HostingSession, account: Account, env: Environment) -> str:
        return self._run(session, account, self._main.terminate_document,
                         {"ProvisionedProductId": env.provisioned_product_id or "", "EnvId": env.id})

    def provisioned_outputs(self, session: HostingSession, provisioned_product_id: str) -> dict[str, str]:
        answer = session.client("servicecatalog").get_provisioned_product_outputs(
            ProvisionedProductId=provisioned_product_id)
        return {o["OutputKey"]: o["OutputValue"] for o in answer.get("Outputs", [])}

    def executions(self, session: HostingSession, execution_ids: list[str]) -> dict[str, dict[str, Any]]:
        """The named automation runs, ten ids a call (the filter's limit): status, outputs, failure."""
        found: dict[str, dict[str, Any]] = {}
        ssm = session.client("ssm")
        for start in range(0, len(execution_ids), 10):
            ids = execution_ids[start:start + 10]
            answer = ssm.describe_automation_executions(Filters=[{"Key": "ExecutionId", "Values": ids}])
            found.update({e["AutomationExecutionId"]: e for e in answer.get("AutomationExecutionMetadataList", [])})
        return found

    def _run(self, session: HostingSession, account: Account, document: str, values: dict[str, Any]) -> str:
        arn = f"arn:aws:ssm:{self._main.region}:{self._main.account_id()}:document/{document}"
        parameters = {"AutomationAssumeRole": [account.env_mgmt_role_arn],
                      **{k: v if isinstance(v, list) else [v] for k, v in values.items()}}
        return session.client("ssm").start_automation_execution(DocumentName=arn, Parameters=parameters)[
            "AutomationExecutionId"]


def namespace_of(account: Account) -> str:
    """The hosting account's namespace: its env-mgmt role is <namespace>-env-mgmt (hosting_account template)."""
    return account.env_mgmt_role_arn.rsplit("/", 1)[-1].removesuffix("-env-mgmt")


def dataset_mounts(mounts: list[Mount]) -> str:
    """The notebook's DatasetMounts parameter, what catalog/environment-files/mount-datasets.sh reads."""
    return json.dumps([{"name": m.name, "bucket": m.alias, "prefix": m.prefix, "accessLevel": m.access_level}
                       for m in mounts], separators=(",", ":"))
