"""Cost centers: bind projects to a hosting account that is ready to run them."""

from __future__ import annotations

from ..errors import InvalidState
from ..models.base import new_id, now
from ..models.cost_centers import CostCenter, CreateCostCenter, UpdateCostCenter
from ..repositories.accounts import AccountRepository
from ..repositories.base import PageRequest
from ..repositories.cost_centers import CostCenterRepository
from ..repositories.projects import ProjectRepository
from .changes import changes_of


class CostCenterService:
    def __init__(self, cost_centers: CostCenterRepository, accounts: AccountRepository,
                 projects: ProjectRepository) -> None:
        self._cost_centers = cost_centers
        self._accounts = accounts
        self._projects = projects

    def create(self, actor: str, request: CreateCostCenter) -> CostCenter:
        account = self._accounts.get(request.account_id)
        if account.status != "CURRENT":
            raise InvalidState(f"hosting account {account.id} is {account.status}: {account.status_reason}",
                               code="ACCOUNT_NOT_READY",
                               hint=f"Fix the account and run POST /awsAccounts/{account.id}/verify "
                                    "until it is CURRENT.")
        stamp = now()
        cost_center = CostCenter(id=new_id("cc"), name=request.name, description=request.description,
                                 account_id=account.id, aws_account_id=account.aws_account_id,
                                 created_at=stamp, updated_at=stamp, created_by=actor, updated_by=actor)
        return self._cost_centers.add(cost_center)

    def list(self, page: PageRequest, name_prefix: str | None) -> tuple[list[CostCenter], str | None]:
        return self._cost_centers.list(page, name_prefix=name_prefix)

    def update(self, actor: str, cost_center_id: str, request: UpdateCostCenter, if_match: int | None) -> CostCenter:
        changes = changes_of(request)
        return self._cost_centers.update(cost_center_id, changes, actor=actor, expected_version=if_match)

    def delete(self, actor: str, cost_center_id: str, if_match: int | None) -> None:
        self._cost_centers.get(cost_center_id)
        if self._projects.has_any(cost_center_id):
            # Projects cannot change cost center (PATCH /projects does not take costCenterId), so deleting
            # them is the only way to free it; the hint must not promise a move the API cannot make.
            raise InvalidState(f"cost center {cost_center_id} still has projects", code="COST_CENTER_IN_USE",
                               hint="Delete the projects that use it first (DELETE /projects/{projectId}); "
                                    "GET /projects lists them with their costCenterId.")
        self._cost_centers.soft_delete(cost_center_id, actor=actor, expected_version=if_match)
