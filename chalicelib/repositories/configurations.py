"""Environment type configurations in the app table, listed under their environment type."""

from __future__ import annotations

from ..models.configurations import Configuration
from .base import ResourceTable


class ConfigurationRepository(ResourceTable[Configuration]):
    model = Configuration
    prefix = "ENVCONFIG"
    kind = "configuration"
    label = "configuration"
    not_found_code = "CONFIGURATION_NOT_FOUND"

    def index_attrs(self, model: Configuration) -> dict[str, str]:
        return {**super().index_attrs(model), "gsiParent": f"{self.kind}#{model.env_type_id}"}
