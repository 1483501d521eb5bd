"""Cost centers in the app table, indexed by the hosting account they bill to."""

from __future__ import annotations

from ..models.cost_centers import CostCenter
from .base import ResourceTable


class CostCenterRepository(ResourceTable[CostCenter]):
    model = CostCenter
    prefix = "COSTCENTER"
    kind = "costCenter"
    label = "cost center"
    not_found_code = "COST_CENTER_NOT_FOUND"

    def index_attrs(self, model: CostCenter) -> dict[str, str]:
        return {**super().index_attrs(model), "gsiParent": f"{self.kind}#{model.account_id}"}
