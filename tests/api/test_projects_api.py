"""Projects through HTTP: create, read, list, page, update with If-Match, delete."""

from __future__ import annotations

import json
import uuid

from tests.helpers import body


def post(api, person, path, payload, **headers):
    return api.http.post(path, headers={**person.headers, **headers}, body=json.dumps(payload))


def test_it_admin_creates_a_project_with_location_and_etag(api, admin, cost_center):
    name = f"genomics-{uuid.uuid4().hex[:6]}"
    response = post(api, admin, "/projects", {"name": name, "description": "d", "costCenterId": cost_center.id})
    assert response.status_code == 201, body(response)
    created = body(response)
    assert response.headers["Location"] == f"/projects/{created['id']}"
    assert created["id"].startswith("proj-") and created["name"] == name
    assert created["accountId"] == cost_center.account_id and created["createdBy"] == admin.id
    assert response.headers["ETag"] == created["etag"] == '"1"'
    fetched = api.http.get(f"/projects/{created['id']}", headers=admin.headers)
    assert body(fetched)["name"] == name


def test_unknown_field_is_rejected_with_the_field_named(api, admin, cost_center):
    response = post(api, admin, "/projects", {"name": "x", "costCenterId": cost_center.id, "colour": "red"})
    assert response.status_code == 400
    problem = body(response)
    assert problem["code"] == "VALIDATION_FAILED"
    assert {"field": "colour", "message": "unknown field"} in problem["errors"]
    assert response.headers["Content-Type"] == "application/problem+json"


def test_project_names_are_unique_ignoring_case(api, admin, cost_center, new_project):
    existing = new_project()
    response = post(api, admin, "/projects", {"name": existing.name.upper(), "costCenterId": cost_center.id})
    assert response.status_code == 409 and body(response)["code"] == "PROJECT_NAME_TAKEN"


def test_idempotent_post_replays_the_first_response_and_creates_once(api, admin, cost_center):
    key = uuid.uuid4().hex
    payload = {"name": f"idem-{key[:8]}", "costCenterId": cost_center.id}
    first = post(api, admin, "/projects", payload, **{"Idempotency-Key": key})
    again = post(api, admin, "/projects", payload, **{"Idempotency-Key": key})
    assert first.status_code == again.status_code == 201
    assert body(again)["id"] == body(first)["id"]
    assert again.headers.get("Idempotent-Replayed") == "true"
    listed = api.http.get(f"/projects?name={payload['name']}", headers=admin.headers)
    assert [p["id"] for p in body(listed)["data"]] == [body(first)["id"]]


def test_idempotency_key_reused_with_another_body_is_422(api, admin, cost_center):
    key = uuid.uuid4().hex
    assert post(api, admin, "/projects", {"name": f"a-{key[:8]}", "costCenterId": cost_center.id},
                **{"Idempotency-Key": key}).status_code == 201
    response = post(api, admin, "/projects", {"name": f"b-{key[:8]}", "costCenterId": cost_center.id},
                    **{"Idempotency-Key": key})
    assert response.status_code == 422 and body(response)["code"] == "IDEMPOTENCY_KEY_REUSED"


def test_failed_attempt_does_not_burn_the_idempotency_key(api, admin, cost_center):
    key = uuid.uuid4().hex
    bad = post(api, admin, "/projects", {"name": "bad/name", "costCenterId": cost_center.id}, **{"Idempotency-Key": key})
    assert bad.status_code == 400
    good = post(api, admin, "/projects", {"name": f"ok-{key[:8]}", "costCenterId": cost_center.id},
                **{"Idempotency-Key": key})
    assert good.status_code == 201


def test_stale_if_match_is_412_and_changes_nothing(api, admin, new_project):
    project = new_project()
    path = f"/projects/{project.id}"
    first = api.http.patch(path, headers={**admin.headers, "If-Match": '"1"'}, body=json.dumps({"description": "v2"}))
    assert first.status_code == 200 and body(first)["etag"] == '"2"'
    stale = api.http.patch(path, headers={**admin.headers, "If-Match": '"1"'}, body=json.dumps({"description": "v3"}))
    assert stale.status_code == 412 and body(stale)["code"] == "PRECONDITION_FAILED"
    assert body(api.http.get(path, headers=admin.headers))["description"] == "v2"


def test_rename_frees_the_old_name_and_claims_the_new(api, admin, cost_center, new_project):
    project = new_project()
    new_name = f"renamed-{uuid.uuid4().hex[:6]}"
    renamed = api.http.patch(f"/projects/{project.id}", headers=admin.headers, body=json.dumps({"name": new_name}))
    assert renamed.status_code == 200 and body(renamed)["name"] == new_name
    reuse_old = post(api, admin, "/projects", {"name": project.name, "costCenterId": cost_center.id})
    assert reuse_old.status_code == 201
    clash = post(api, admin, "/projects", {"name": new_name, "costCenterId": cost_center.id})
    assert clash.status_code == 409


def test_list_pages_through_every_project_exactly_once(api, admin, new_project):
    prefix = f"page-{uuid.uuid4().hex[:6]}"
    made = {new_project(f"{prefix}-{i}").id for i in range(5)}
    seen, token, pages = [], None, 0
    while True:
        query = f"/projects?name={prefix}&pageSize=2" + (f"&paginationToken={token}" if token else "")
        answer = body(api.http.get(query, headers=admin.headers))
        seen += [p["id"] for p in answer["data"]]
        pages += 1
        token = answer.get("paginationToken")
        if not token:
            break
    assert sorted(seen) == sorted(made) and pages == 3


def test_tampered_pagination_token_is_400(api, admin, new_project):
    prefix = f"tamper-{uuid.uuid4().hex[:6]}"
    for i in range(3):
        new_project(f"{prefix}-{i}")
    token = body(api.http.get(f"/projects?name={prefix}&pageSize=1", headers=admin.headers))["paginationToken"]
    payload, _, signature = token.partition(".")
    forged = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + signature
    for bad in (forged, "not-a-token", token + "x", "%%%"):
        response = api.http.get(f"/projects?name={prefix}&paginationToken={bad}", headers=admin.headers)
        assert response.status_code == 400, bad
        assert body(response)["code"] == "INVALID_PAGINATION_TOKEN"


def test_token_from_one_list_is_refused_by_another(api, admin, new_project):
    prefix = f"scope-{uuid.uuid4().hex[:6]}"
    for i in range(2):
        new_project(f"{prefix}-{i}")
    token = body(api.http.get(f"/projects?name={prefix}&pageSize=1", headers=admin.headers))["paginationToken"]
    response = api.http.get(f"/costCenters?paginationToken={token}", headers=admin.headers)
    assert response.status_code == 400


def test_members_see_only_their_projects(api, people, new_project):
    mine, theirs = new_project(), new_project()
    researcher = people.make(projects={mine.id: "Researcher"})
    listed = body(api.http.get("/projects", headers=researcher.headers))
    assert [p["id"] for p in listed["data"]] == [mine.id]
    assert api.http.get(f"/projects/{theirs.id}", headers=researcher.headers).status_code == 404


def test_membership_removal_applies_to_the_very_next_request(api, admin, people, new_project):
    project = new_project()
    researcher = people.make(projects={project.id: "Researcher"})
    assert api.http.get(f"/projects/{project.id}", headers=researcher.headers).status_code == 200
    removed = api.http.delete(f"/projects/{project.id}/users/{researcher.id}/relationships", headers=admin.headers)
    assert removed.status_code == 204
    assert api.http.get(f"/projects/{project.id}", headers=researcher.headers).status_code == 404
    assert body(api.http.get("/projects", headers=researcher.headers))["data"] == []


def test_promotion_to_project_admin_applies_to_the_very_next_request(api, admin, people, new_project):
    project = new_project()
    member = people.make(projects={project.id: "Researcher"})
    patch = lambda: api.http.patch(f"/projects/{project.id}", headers=member.headers,  # noqa: E731
                                   body=json.dumps({"description": "mine now"}))
    assert patch().status_code == 403
    promoted = post(api, admin, f"/projects/{project.id}/users/{member.id}/relationships", {"role": "ProjectAdmin"})
    assert promoted.status_code == 200  # a role change creates nothing
    assert patch().status_code == 200


def test_deleted_project_disappears_and_its_name_is_free(api, admin, cost_center, new_project):
    project = new_project()
    assert api.http.delete(f"/projects/{project.id}", headers=admin.headers).status_code == 204
    assert api.http.get(f"/projects/{project.id}", headers=admin.headers).status_code == 404
    listed = body(api.http.get(f"/projects?name={project.name}", headers=admin.headers))
    assert listed["data"] == []
    assert post(api, admin, "/projects", {"name": project.name, "costCenterId": cost_center.id}).status_code == 201


def test_project_admin_lists_and_filters_members_by_role(api, people, new_project):
    project = new_project()
    pa = people.make(projects={project.id: "ProjectAdmin"})
    researcher = people.make(projects={project.id: "Researcher"})
    everyone = body(api.http.get(f"/projects/{project.id}/users", headers=pa.headers))["data"]
    assert {u["id"] for u in everyone} == {pa.id, researcher.id}
    only = body(api.http.get(f"/projects/{project.id}/users?role=Researcher", headers=pa.headers))["data"]
    assert [(u["id"], u["role"], u["email"]) for u in only] == [(researcher.id, "Researcher", researcher.email)]
    bad = api.http.get(f"/projects/{project.id}/users?role=Owner", headers=pa.headers)
    assert bad.status_code == 400


def test_renamed_project_is_found_by_its_new_name_only(api, admin, new_project):
    project = new_project()
    new_name = f"found-{uuid.uuid4().hex[:6]}"
    api.http.patch(f"/projects/{project.id}", headers=admin.headers, body=json.dumps({"name": new_name}))
    by_new = body(api.http.get(f"/projects?name={new_name}", headers=admin.headers))["data"]
    by_old = body(api.http.get(f"/projects?name={project.name}", headers=admin.headers))["data"]
    assert [p["id"] for p in by_new] == [project.id] and by_old == []


def test_an_idempotency_key_never_replays_across_path_parameters(api, admin, people, new_project):
    first, second = new_project(), new_project()
    person = people.make()
    key = uuid.uuid4().hex
    added = post(api, admin, f"/projects/{first.id}/users/{person.id}/relationships", {"role": "Researcher"},
                 **{"Idempotency-Key": key})
    assert added.status_code == 201
    reused = post(api, admin, f"/projects/{second.id}/users/{person.id}/relationships", {"role": "Researcher"},
                  **{"Idempotency-Key": key})
    assert reused.status_code == 422 and body(reused)["code"] == "IDEMPOTENCY_KEY_REUSED"
    projects = {p["id"] for p in body(api.http.get("/projects", headers=person.headers))["data"]}
    assert projects == {first.id}
