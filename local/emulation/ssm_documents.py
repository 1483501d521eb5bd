"""SSM documents shared with another account: readable and runnable there by ARN, as on AWS."""

from __future__ import annotations

import re
from typing import Any

from moto.ssm.exceptions import InvalidDocument
from moto.ssm.models import SimpleSystemManagerBackend, ssm_backends

from .patching import original, patch
from .ssm_execution import AutomationError

_DOC_ARN = re.compile(r"^arn:[^:]+:ssm:([^:]*):(\d{12}):document/(.+)$")


def resolve_document(backend: SimpleSystemManagerBackend, name: str) -> tuple[Any, str]:
    """(owner backend, bare name) for a name or an ARN; shared ARNs resolve to their owner."""
    match = _DOC_ARN.match(name or "")
    if not match:
        return backend, name
    region, account, bare = match.group(1) or backend.region_name, match.group(2), match.group(3)
    if account == backend.account_id:
        return backend, bare
    owner = ssm_backends[account][region]
    documents = owner._documents.get(bare)
    if documents and (backend.account_id in documents.permissions or "all" in documents.permissions):
        return owner, bare
    raise InvalidDocument("The specified document does not exist.")


def automation_document(backend: SimpleSystemManagerBackend, name: str, version: str | None) -> Any:
    try:
        owner, bare = resolve_document(backend, name)
        document = owner._get_documents(bare).find(version, strict=False)
    except InvalidDocument:
        document = None
    if document is None or document.document_type != "Automation":
        raise AutomationError(
            "AutomationDefinitionNotFoundException",
            f"Automation definition {name} not found",
        )
    return document


def _describe_document(self: SimpleSystemManagerBackend, name: str, **kwargs: Any) -> Any:
    owner, bare = resolve_document(self, name)
    result = original(SimpleSystemManagerBackend, "describe_document")(owner, bare, **kwargs)
    if result.get("PlatformTypes") == ["Not Implemented (moto)"]:  # not a valid enum value
        result["PlatformTypes"] = ["Windows", "Linux", "MacOS"]
    return result


def _get_document(self: SimpleSystemManagerBackend, name: str, **kwargs: Any) -> Any:
    owner, bare = resolve_document(self, name)
    return original(SimpleSystemManagerBackend, "get_document")(owner, bare, **kwargs)


def install() -> None:
    patch(SimpleSystemManagerBackend, "describe_document", _describe_document)
    patch(SimpleSystemManagerBackend, "get_document", _get_document)
