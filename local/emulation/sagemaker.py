"""SageMaker notebooks: Pending/Stopping/Deleting phases that last settings.delay_seconds, state-change
events on the owning account's default bus, pre-signed URLs, and CloudFormation properties moto drops."""

from __future__ import annotations

import datetime
import json
import secrets
from typing import Any

from moto.core.base_backend import BackendDict, BaseBackend
from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.events.models import events_backends
from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.models import (
    FakeSagemakerNotebookInstance as Notebook,
)
from moto.sagemaker.models import (
    SageMakerModelBackend,
    sagemaker_backends,
)
from moto.sagemaker.responses import SageMakerResponse

from . import runtime, settings
from .patching import add, patch

DETAIL_TYPE = "SageMaker Notebook Instance State Change"


def _where(notebook: Notebook) -> tuple[str, str]:
    parts = notebook.arn.split(":")  # arn:aws:sagemaker:<region>:<account>:notebook-instance/<name>
    return parts[4], parts[3]


def _alive(notebook: Notebook) -> bool:
    account, region = _where(notebook)
    instances = sagemaker_backends[account][region].notebook_instances
    return instances.get(notebook.notebook_instance_name) is notebook


def publish_state(notebook: Notebook) -> None:
    """Put the AWS-shaped state-change event on the owning account's default bus."""
    account, region = _where(notebook)
    detail = {
        "NotebookInstanceArn": notebook.arn,
        "NotebookInstanceName": notebook.notebook_instance_name,
        "NotebookInstanceStatus": notebook.status,
        "InstanceType": notebook.instance_type,
        "RoleArn": notebook.role_arn,
        "CreationTime": int(notebook.creation_time.timestamp() * 1000),
        "LastModifiedTime": int(notebook.last_modified_time.timestamp() * 1000),
        "Tags": {t["Key"]: t["Value"] for t in notebook.tags or []},
    }
    events_backends[account][region].put_events([{
        "Source": "aws.sagemaker", "DetailType": DETAIL_TYPE,
        "Detail": json.dumps(detail), "Resources": [notebook.arn],
    }])


def _transition(notebook: Notebook, phase: str, final: str | None) -> None:
    """Show phase now; after the configured delay show final (None: the notebook is gone)."""
    notebook.status, notebook.last_modified_time = phase, utcnow()
    publish_state(notebook)
    token = object()
    setattr(notebook, "_emulation_phase", token)  # our own marker on moto's object  # noqa: B010
    delay = settings.current().delay_seconds

    def finish() -> None:
        if getattr(notebook, "_emulation_phase", None) is not token or (delay > 0 and not _alive(notebook)):
            return  # superseded by a newer transition, or moto was reset meanwhile
        if final is None:
            account, region = _where(notebook)
            sagemaker_backends[account][region].notebook_instances.pop(
                notebook.notebook_instance_name, None
            )
            return
        notebook.status, notebook.last_modified_time = final, utcnow()
        publish_state(notebook)

    runtime.later(delay, finish, f"notebook-{notebook.notebook_instance_name}")


def _require(notebook: Notebook, allowed: tuple[str, ...], target: str) -> None:
    if notebook.status not in allowed:
        raise ValidationError(
            message=f"Status ({notebook.status}) not in ([{', '.join(allowed)}]). Unable to "
            f"transition to ({target}) for Notebook Instance ({notebook.arn})"
        )


# ---- patched model and backend methods ---------------------------------------------------
def _start(self: Notebook) -> None:
    _transition(self, "Pending", "InService")


def _stop(self: Notebook) -> None:
    _transition(self, "Stopping", "Stopped")


def _backend_start(self: SageMakerModelBackend, notebook_instance_name: str) -> None:
    notebook = self.get_notebook_instance(notebook_instance_name)
    _require(notebook, ("Stopped", "Failed"), "Pending")
    notebook.start()


def _backend_stop(self: SageMakerModelBackend, notebook_instance_name: str) -> None:
    notebook = self.get_notebook_instance(notebook_instance_name)
    _require(notebook, ("InService",), "Stopping")
    notebook.stop()


def _backend_delete(self: SageMakerModelBackend, notebook_instance_name: str) -> None:
    notebook = self.get_notebook_instance(notebook_instance_name)
    _require(notebook, ("Stopped", "Failed"), "Deleting")
    _transition(notebook, "Deleting", None)


def _cfn_create(cls: type, resource_name: str, cloudformation_json: Any, account_id: str,
                region_name: str, **kwargs: Any) -> Notebook:
    """Create with every property CloudFormation passes (moto keeps only two), plus stack tags."""
    from moto.cloudformation.models import cloudformation_backends

    props = cloudformation_json["Properties"]
    backend = sagemaker_backends[account_id][region_name]
    existing = backend.notebook_instances.get(resource_name)
    if existing is not None and existing.status == "Deleting":
        backend.notebook_instances.pop(resource_name)  # a replacement during a stack update
    stack = cloudformation_backends[account_id][region_name].stacks.get(kwargs.get("StackId", ""))
    tags = {**(stack.tags if stack else {}), **{t["Key"]: t["Value"] for t in props.get("Tags", [])}}
    return backend.create_notebook_instance(
        notebook_instance_name=resource_name,
        instance_type=props["InstanceType"],
        role_arn=props["RoleArn"],
        subnet_id=props.get("SubnetId"),
        security_group_ids=props.get("SecurityGroupIds"),
        kms_key_id=props.get("KmsKeyId"),
        tags=[{"Key": k, "Value": str(v)} for k, v in tags.items()],
        lifecycle_config_name=props.get("LifecycleConfigName"),
        direct_internet_access=props.get("DirectInternetAccess", "Enabled"),
        volume_size_in_gb=int(props.get("VolumeSizeInGB", 5)),
        accelerator_types=props.get("AcceleratorTypes"),
        default_code_repository=props.get("DefaultCodeRepository"),
        additional_code_repositories=props.get("AdditionalCodeRepositories"),
        root_access=props.get("RootAccess"),
    )


def _cfn_delete(cls: type, resource_name: str, cloudformation_json: Any, account_id: str,
                region_name: str) -> None:
    """CloudFormation stops and deletes the notebook in one go: it goes straight to Deleting."""
    backend = sagemaker_backends[account_id][region_name]
    notebook = backend.notebook_instances.get(resource_name.split("/")[-1])
    if notebook is not None and notebook.status != "Deleting":
        _transition(notebook, "Deleting", None)


# ---- pre-signed URLs -----------------------------------------------------------------------
class NotebookUrlBackend(BaseBackend):
    """Pre-signed notebook URL tokens of one account and region."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.tokens: dict[str, dict[str, Any]] = {}


url_backends = BackendDict(NotebookUrlBackend, "sagemaker")


def lookup_notebook_token(token: str) -> dict[str, Any] | None:
    """What a pre-signed URL's authToken grants (for the local page that serves the URL).

    Returns account_id, region, notebook_name, notebook_arn, expires_at and expired, or None.
    """
    for _, regional in list(url_backends.items()):
        for backend in list(regional.values()):
            grant = backend.tokens.get(token)
            if grant is not None:
                return {**grant, "expired": utcnow() >= grant["expires_at"]}
    return None


def _create_presigned_url(self: SageMakerResponse) -> ActionResult:
    name = self._get_param("NotebookInstanceName")
    seconds = int(self._get_param("SessionExpirationDurationInSeconds") or 43200)
    if not 1800 <= seconds <= 43200:
        raise ValidationError(message="SessionExpirationDurationInSeconds must be between 1800 and 43200")
    notebook = self.sagemaker_backend.get_notebook_instance(name)
    token = secrets.token_urlsafe(24)
    base = settings.current().notebook_url_base
    url = f"{base.rstrip('/')}/{name}" if base else f"https://{name}.notebook.{self.region}.sagemaker.aws"
    url_backends[self.current_account][self.region].tokens[token] = {
        "account_id": self.current_account, "region": self.region, "notebook_name": name,
        "notebook_arn": notebook.arn,
        "expires_at": utcnow() + datetime.timedelta(seconds=seconds),
    }
    return ActionResult({"AuthorizedUrl": f"{url}?authToken={token}"})


def install() -> None:
    """Patch moto's notebook model, backend and responses."""
    patch(Notebook, "start", _start)
    patch(Notebook, "stop", _stop)
    patch(Notebook, "create_from_cloudformation_json", classmethod(_cfn_create))
    patch(Notebook, "delete_from_cloudformation_json", classmethod(_cfn_delete))
    patch(Notebook, "cloudformation_name_type", staticmethod(lambda: "NotebookInstanceName"))
    patch(SageMakerModelBackend, "start_notebook_instance", _backend_start)
    patch(SageMakerModelBackend, "stop_notebook_instance", _backend_stop)
    patch(SageMakerModelBackend, "delete_notebook_instance", _backend_delete)
    add(SageMakerResponse, "create_presigned_notebook_instance_url", _create_presigned_url)
