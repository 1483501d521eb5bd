"""What a PATCH body asks to change, as stored field names; an empty PATCH is a clear 400."""

from __future__ import annotations

from typing import Any

from ..errors import InvalidInput
from ..models.base import RequestModel


def changes_of(request: RequestModel) -> dict[str, Any]:
    changes = request.model_dump(by_alias=True, exclude_none=True)
    if not changes:
        fields = ", ".join(f.alias or name for name, f in type(request).model_fields.items())
        raise InvalidInput(f"nothing to change: send at least one of {fields}")
    return changes
