"""Every declared route x every kind of caller, expected outcome derived from the declaration.

A new route is covered the moment it is declared; a route registered without a declaration
fails `test_every_route_is_declared`.
"""

from __future__ import annotations

import re

import pytest

from chalicelib.api.routing import ROUTES
from chalicelib.auth.policy import DEFAULT_POLICY
from tests.helpers import body

CALLERS = ("anonymous", "it_admin", "project_admin", "researcher", "other_project_admin", "no_project", "disabled")


@pytest.fixture(scope="module")
def world(people, new_project, cost_center, hosting_account, new_configuration):
    project, other = new_project(), new_project()
    configuration = new_configuration(projects=[project])
    callers = {
        "it_admin": people.make(it_admin=True),
        "project_admin": people.make(projects={project.id: "ProjectAdmin"}),
        "researcher": people.make(projects={project.id: "Researcher"}),
        "other_project_admin": people.make(projects={other.id: "ProjectAdmin"}),
        "no_project": people.make(),
        "disabled": people.make(projects={project.id: "ProjectAdmin"}, it_admin=True, active=False),
    }
    target = people.make(projects={project.id: "Researcher"})
    params = {"project_id": project.id, "user_id": target.id, "cost_center_id": cost_center.id,
              "account_id": hosting_account.id, "env_type_id": configuration.env_type_id,
              "configuration_id": configuration.id, "env_id": "env-00000000-0000-0000-0000-000000000000",
              "dataset_id": "dataset-00000000-0000-0000-0000-000000000000", "target_project_id": other.id,
              "upload_id": "upload-1"}
    return callers, params


def expected(route, caller: str) -> str:
    """'allowed', or the status a caller must get, from the route's declared access alone."""
    scope, action = route.access.scope, route.access.action
    if scope == "public":
        return "allowed"
    if caller == "anonymous":
        return "401"
    if caller == "disabled":
        return "403"
    if scope == "authenticated":
        return "allowed"
    if caller == "it_admin" and action in DEFAULT_POLICY["ITAdmin"]:
        return "allowed"
    role = {"project_admin": "ProjectAdmin", "researcher": "Researcher"}.get(caller)
    if scope == "project":
        if role is None:
            return "404"
        return "allowed" if action in DEFAULT_POLICY[role] else "403"
    if scope == "anyProject":
        any_role = role or ("ProjectAdmin" if caller == "other_project_admin" else None)
        return "allowed" if any_role and action in DEFAULT_POLICY[any_role] else "403"
    return "403"


def call(api, route, params, person):
    path = re.sub(r"{(\w+)}", lambda m: params[m.group(1)], route.path)
    headers = dict(person.headers) if person else {"Content-Type": "application/json"}
    # Harmless when allowed: empty bodies fail validation, stale If-Match fails the precondition.
    headers["If-Match"] = '"999999"'
    return api.http.request(route.method, path, headers=headers, body=b"{}" if route.body else b"")


@pytest.mark.parametrize("route", ROUTES, ids=[f"{r.method} {r.path}" for r in ROUTES])
@pytest.mark.parametrize("caller", CALLERS)
def test_route_enforces_its_declared_access(api, world, route, caller):
    callers, params = world
    response = call(api, route, params, callers.get(caller))
    want = expected(route, caller)
    problem = body(response) if response.status_code >= 400 else {}
    if want == "allowed":
        assert response.status_code not in (401, 403, 500), problem
        assert problem.get("code") != "PROJECT_NOT_FOUND", problem
    else:
        assert str(response.status_code) == want, problem
        assert response.headers["Content-Type"] == "application/problem+json"


def test_every_route_is_declared(app):
    assert len(ROUTES) >= 20, "routes were not registered before collection"
    declared = {(r.method, r.path) for r in ROUTES}
    for path, methods in app.routes.items():
        for method, entry in methods.items():
            allowed = getattr(entry.view_function, "fallback_for", None)
            if allowed is not None:  # the 405 answer for a method the path does not have
                assert (method, path) not in declared and allowed == sorted(m for m, p in declared if p == path)
                continue
            spec = getattr(entry.view_function, "route_spec", None)
            assert spec is not None, f"{method} {path} was registered without endpoint()"
            assert (spec.method, spec.path) == (method, path)
    registered = {(m, p) for p, methods in app.routes.items() for m, e in methods.items()
                  if not hasattr(e.view_function, "fallback_for")}
    assert declared == registered


# API.md's "Who" column, written out by hand: the declarations must say the same thing.
# IT = ITAdmin, PA/R = ProjectAdmin/Researcher of the project (for /users: of any project),
# any = every signed-in user, public = no token.
IT, PA, R, ANY = "it_admin", "project_admin", "researcher", "no_project"
API_MD_WHO = {
    ("GET", "/health"): "public", ("GET", "/openapi.json"): "public", ("GET", "/me"): {IT, PA, R, ANY},
    ("POST", "/awsAccountTemplateUrls"): {IT},
    ("GET", "/awsAccounts"): {IT}, ("POST", "/awsAccounts"): {IT}, ("GET", "/awsAccounts/{account_id}"): {IT},
    ("PATCH", "/awsAccounts/{account_id}"): {IT}, ("DELETE", "/awsAccounts/{account_id}"): {IT},
    ("POST", "/awsAccounts/{account_id}/verify"): {IT},
    ("GET", "/costCenters"): {IT}, ("POST", "/costCenters"): {IT}, ("GET", "/costCenters/{cost_center_id}"): {IT},
    ("PATCH", "/costCenters/{cost_center_id}"): {IT}, ("DELETE", "/costCenters/{cost_center_id}"): {IT},
    ("GET", "/projects"): {IT, PA, R, ANY}, ("POST", "/projects"): {IT},
    ("GET", "/projects/{project_id}"): {IT, PA, R}, ("PATCH", "/projects/{project_id}"): {IT, PA},
    ("DELETE", "/projects/{project_id}"): {IT, PA}, ("GET", "/projects/{project_id}/users"): {IT, PA},
    ("POST", "/projects/{project_id}/users/{user_id}/relationships"): {IT, PA},
    ("DELETE", "/projects/{project_id}/users/{user_id}/relationships"): {IT, PA},
    ("GET", "/users"): {IT, PA}, ("POST", "/users"): {IT}, ("GET", "/users/{user_id}"): {IT, PA},
    ("PATCH", "/users/{user_id}"): {IT}, ("DELETE", "/users/{user_id}/purge"): {IT},
    ("GET", "/environmentTypes"): {IT, PA, R, ANY}, ("GET", "/environmentTypes/{env_type_id}"): {IT, PA, R, ANY},
    ("PATCH", "/environmentTypes/{env_type_id}"): {IT}, ("POST", "/environmentTypes/sync"): {IT},
    ("GET", "/environmentTypes/{env_type_id}/configurations"): {IT},
    ("POST", "/environmentTypes/{env_type_id}/configurations"): {IT},
    # PA/R only when linked to their project: decided by the service, tested in test_configurations_api
    ("GET", "/environmentTypes/{env_type_id}/configurations/{configuration_id}"): {IT, PA, R},
    ("PATCH", "/environmentTypes/{env_type_id}/configurations/{configuration_id}"): {IT},
    ("DELETE", "/environmentTypes/{env_type_id}/configurations/{configuration_id}"): {IT},
    ("GET", "/environmentTypes/{env_type_id}/configurations/{configuration_id}/projects"): {IT},
    ("PUT", "/projects/{project_id}/environmentTypes/{env_type_id}/configurations/{configuration_id}/relationships"): {IT},
    ("DELETE", "/projects/{project_id}/environmentTypes/{env_type_id}/configurations/{configuration_id}/relationships"): {IT},
    ("GET", "/projects/{project_id}/environmentTypes/{env_type_id}/configurations"): {IT, PA, R},
    ("GET", "/projects/{project_id}/environmentTypes/{env_type_id}/configurations/{configuration_id}"): {IT, PA, R},
    ("GET", "/environments"): {IT}, ("GET", "/projects/{project_id}/environments"): {IT, PA, R},
    ("POST", "/projects/{project_id}/environments"): {PA, R},
    ("GET", "/projects/{project_id}/environments/{env_id}"): {IT, PA, R},
    # R only on their own environments, connect for the owner only: decided by the service,
    # tested in test_environments_api
    ("PUT", "/projects/{project_id}/environments/{env_id}/start"): {IT, PA, R},
    ("PUT", "/projects/{project_id}/environments/{env_id}/stop"): {IT, PA, R},
    ("PUT", "/projects/{project_id}/environments/{env_id}/terminate"): {IT, PA, R},
    ("GET", "/projects/{project_id}/environments/{env_id}/connections"): {IT, PA, R},
    ("GET", "/projects/{project_id}/datasets"): {PA, R}, ("POST", "/projects/{project_id}/datasets"): {PA},
    ("GET", "/projects/{project_id}/datasets/{dataset_id}"): {PA, R},
    ("DELETE", "/projects/{project_id}/datasets/{dataset_id}"): {PA},
    ("GET", "/datasets/{dataset_id}"): {IT},
    ("PUT", "/projects/{project_id}/datasets/{dataset_id}/shares/{target_project_id}"): {PA},
    ("DELETE", "/projects/{project_id}/datasets/{dataset_id}/shares/{target_project_id}"): {PA},
    ("GET", "/projects/{project_id}/datasets/{dataset_id}/permissions"): {PA},
    # R with read-write only: the level is the dataset's, decided by the service (test_datasets_api)
    ("POST", "/projects/{project_id}/datasets/{dataset_id}/upload-requests"): {PA, R},
    ("GET", "/projects/{project_id}/datasets/{dataset_id}/multipart-uploads/{upload_id}"): {PA, R},
    ("POST", "/projects/{project_id}/datasets/{dataset_id}/multipart-uploads/{upload_id}/complete"): {PA, R},
    ("DELETE", "/projects/{project_id}/datasets/{dataset_id}/multipart-uploads/{upload_id}"): {PA, R},
    ("GET", "/projects/{project_id}/datasets/{dataset_id}/files"): {PA, R},
    ("GET", "/auditEvents"): {IT, PA},  # PA: only with ?projectId= of a project they administer
}


@pytest.mark.parametrize("route", ROUTES, ids=[f"{r.method} {r.path}" for r in ROUTES])
def test_declarations_match_the_who_column_of_api_md(route):
    written = API_MD_WHO.get((route.method, route.path))
    assert written is not None, f"{route.method} {route.path} is not in API.md's table here: add it"
    declared = "public" if route.access.scope == "public" else {
        caller for caller in (IT, PA, R, ANY) if expected(route, caller) == "allowed"}
    assert declared == written
