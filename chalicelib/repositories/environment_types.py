"""Environment types in the app table; ids are derived from (product, version) so imports are idempotent."""

from __future__ import annotations

import uuid

from ..models.environment_types import EnvironmentType
from .base import ResourceTable

_IDS = uuid.UUID("7b0f6c1e-52a4-4d5e-9a43-3f1c2b8e6d10")


def environment_type_id(product_id: str, artifact_id: str) -> str:
    return f"et-{uuid.uuid5(_IDS, f'{product_id}/{artifact_id}')}"


class EnvironmentTypeRepository(ResourceTable[EnvironmentType]):
    model = EnvironmentType
    prefix = "ENVTYPE"
    kind = "environmentType"
    label = "environment type"
    not_found_code = "ENVIRONMENT_TYPE_NOT_FOUND"

    def exists(self, type_id: str) -> bool:
        return "Item" in self._table.get_item(Key=self.key(type_id), ProjectionExpression="pk")
