"""Routes for /costCenters."""

from __future__ import annotations

from chalice import Blueprint

from .. import deps
from ..auth.decision import Access
from ..models.base import Page
from ..models.cost_centers import CostCenter, CreateCostCenter, UpdateCostCenter
from .responses import created, no_content, ok, page
from .routing import Call, endpoint

bp = Blueprint(__name__)


@endpoint(bp, "GET", "/costCenters", access=Access("costCenter:read"), paginated=True, query=("name",),
          response=Page[CostCenter], summary="List cost centers")
def list_cost_centers(call: Call):
    items, token = deps.container().cost_centers.list(call.page(), call.query.get("name"))
    return page(items, token)


@endpoint(bp, "POST", "/costCenters", access=Access("costCenter:create"), body=CreateCostCenter,
          response=CostCenter, status=201, summary="Create a cost center on a CURRENT hosting account")
def create_cost_center(call: Call):
    cost_center = deps.container().cost_centers.create(call.actor, call.body())
    return created(cost_center, f"/costCenters/{cost_center.id}")


@endpoint(bp, "GET", "/costCenters/{cost_center_id}", access=Access("costCenter:read", reads="costCenter"),
          response=CostCenter, summary="Get a cost center")
def get_cost_center(call: Call, cost_center_id: str):
    return ok(call.resource(CostCenter))


@endpoint(bp, "PATCH", "/costCenters/{cost_center_id}", access=Access("costCenter:update"),
          body=UpdateCostCenter, response=CostCenter, summary="Rename or describe a cost center")
def update_cost_center(call: Call, cost_center_id: str):
    return ok(deps.container().cost_centers.update(call.actor, cost_center_id, call.body(), call.if_match()))


@endpoint(bp, "DELETE", "/costCenters/{cost_center_id}", access=Access("costCenter:delete"), status=204,
          summary="Delete a cost center (409 while projects use it)")
def delete_cost_center(call: Call, cost_center_id: str):
    deps.container().cost_centers.delete(call.actor, cost_center_id, call.if_match())
    return no_content()
