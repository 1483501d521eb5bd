"""Routes for /environmentTypes (the catalog) and its import."""

from __future__ import annotations

from chalice import Blueprint

from .. import deps
from ..auth.decision import Access
from ..models.base import Page
from ..models.environment_types import EnvironmentType, EnvironmentTypeStatus, SyncResult, UpdateEnvironmentType
from .responses import ok, page
from .routing import Call, QueryParam, endpoint

bp = Blueprint(__name__)


@endpoint(bp, "GET", "/environmentTypes", access=Access(None, "authenticated"), paginated=True,
          query=("name", QueryParam.of("status", EnvironmentTypeStatus)), response=Page[EnvironmentType],
          summary="List environment types")
def list_environment_types(call: Call):
    items, token = deps.container().environment_types.list(call.page(), call.query.get("name"),
                                                           call.query.get("status"))
    return page(items, token)


@endpoint(bp, "GET", "/environmentTypes/{env_type_id}", access=Access(None, "authenticated"),
          response=EnvironmentType, summary="Get an environment type and its template parameters")
def get_environment_type(call: Call, env_type_id: str):
    return ok(deps.container().environment_types.get(env_type_id))


@endpoint(bp, "PATCH", "/environmentTypes/{env_type_id}", access=Access("environmentType:update"),
          body=UpdateEnvironmentType, response=EnvironmentType,
          summary="Rename, describe, approve or revoke an environment type (409 revoking while configured)")
def update_environment_type(call: Call, env_type_id: str):
    return ok(deps.container().environment_types.update(call.actor, env_type_id, call.body(), call.if_match()))


@endpoint(bp, "POST", "/environmentTypes/sync", access=Access("environmentType:sync"), response=SyncResult,
          summary="Import new products and versions from the Service Catalog portfolio now")
def sync_environment_types(call: Call):
    return ok(deps.container().environment_types.sync(call.actor))
