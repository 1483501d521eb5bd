"""Routes for environments: launch, read, list, start/stop/terminate, connect."""

from __future__ import annotations

from chalice import Blueprint, Response

from .. import deps
from ..auth.decision import Access
from ..models.base import Page
from ..models.environments import Connection, CreateEnvironment, Environment, EnvironmentStatus, EnvironmentView
from .responses import ok, page
from .routing import Call, QueryParam, endpoint

bp = Blueprint(__name__)
STATUS = QueryParam.of("status", EnvironmentStatus)


def accepted(view: EnvironmentView, location: str | None = None) -> Response:
    headers: dict[str, str | list[str]] = {"Location": location} if location else {}
    return Response(body=view.to_json(), status_code=202, headers=headers)


@endpoint(bp, "GET", "/environments", access=Access("environment:listAll"), paginated=True,
          query=(STATUS, "owner", "projectId"), response=Page[EnvironmentView],
          summary="Every project's environments (IT admins); TERMINATED ones only with ?status=TERMINATED")
def list_all_environments(call: Call):
    items, token = deps.container().environments.list(call.principal, call.page(), status=call.query.get("status"),
                                                      owner=call.query.get("owner"),
                                                      project_id=call.query.get("projectId"))
    return page(items, token)


@endpoint(bp, "GET", "/projects/{project_id}/environments", access=Access("environment:read", "project"),
          paginated=True, query=(STATUS, "owner"), response=Page[EnvironmentView],
          summary="A project's environments; TERMINATED ones only with ?status=TERMINATED")
def list_environments(call: Call, project_id: str):
    items, token = deps.container().environments.list(call.principal, call.page(), project_id=project_id,
                                                      status=call.query.get("status"), owner=call.query.get("owner"))
    return page(items, token)


@endpoint(bp, "POST", "/projects/{project_id}/environments", access=Access("environment:launch", "project"),
          body=CreateEnvironment, response=EnvironmentView, status=202,
          summary="Launch an environment from a configuration linked to the project (202, PENDING)")
def launch_environment(call: Call, project_id: str):
    view = deps.container().environments.launch(call.principal, project_id, call.body())
    return accepted(view, f"/projects/{project_id}/environments/{view.id}")


@endpoint(bp, "GET", "/projects/{project_id}/environments/{env_id}",
          access=Access("environment:read", "project", reads="environment"),
          response=EnvironmentView, summary="Get an environment with its status, reason and allowed actions")
def get_environment(call: Call, project_id: str, env_id: str):
    return ok(deps.container().environments.view(call.principal, call.resource(Environment)))


def _action(name: str, summary: str) -> None:
    @endpoint(bp, "PUT", f"/projects/{{project_id}}/environments/{{env_id}}/{name}",
              access=Access("environment:operateOwn", "project"), response=EnvironmentView, status=202,
              summary=summary)
    def act(call: Call, project_id: str, env_id: str):
        return accepted(deps.container().environments.act(call.principal, project_id, env_id, name))
    act.__name__ = f"{name}_environment"


_action("start", "Start a STOPPED environment (owner, project admin, IT admin); 202 with STARTING")
_action("stop", "Stop a running environment (owner, project admin, IT admin); 202 with STOPPING")
_action("terminate", "Terminate an environment (owner, project admin, IT admin); 202 with TERMINATING")


@endpoint(bp, "GET", "/projects/{project_id}/environments/{env_id}/connections",
          access=Access("environment:connect", "project"), response=Connection,
          summary="A short-lived sign-in link to the environment (its owner only, when COMPLETED)")
def connect_environment(call: Call, project_id: str, env_id: str):
    return ok(deps.container().environments.connect(call.principal, project_id, env_id))
