"""Project membership through HTTP: 201 only when a membership is created, 200 when one already stood."""

from __future__ import annotations

import json

from tests.helpers import body


def relate(api, admin, project_id, user_id, role):
    return api.http.post(f"/projects/{project_id}/users/{user_id}/relationships", headers=admin.headers,
                         body=json.dumps({"role": role}))


def test_a_new_member_is_created_with_location(api, admin, people, new_project):
    project, person = new_project(), people.make()
    response = relate(api, admin, project.id, person.id, "Researcher")
    assert response.status_code == 201, body(response)
    assert response.headers["Location"] == f"/projects/{project.id}/users/{person.id}/relationships"
    assert body(response)["role"] == "Researcher" and body(response)["userId"] == person.id


def test_re_adding_a_member_with_the_role_they_hold_returns_200_and_the_membership_unchanged(
        api, admin, people, new_project):
    project = new_project()
    person = people.make(projects={project.id: "Researcher"})
    first = body(api.http.get(f"/projects/{project.id}/users", headers=admin.headers))["data"]
    response = relate(api, admin, project.id, person.id, "Researcher")
    assert response.status_code == 200, body(response)
    assert "Location" not in response.headers
    again = body(response)
    assert again["role"] == "Researcher" and again["createdBy"] == "bootstrap"  # the original grant, kept
    assert body(api.http.get(f"/projects/{project.id}/users", headers=admin.headers))["data"] == first


def test_changing_a_members_role_returns_200_with_the_new_role(api, admin, people, new_project):
    project = new_project()
    person = people.make(projects={project.id: "Researcher"})
    response = relate(api, admin, project.id, person.id, "ProjectAdmin")
    assert response.status_code == 200, body(response)
    assert body(response)["role"] == "ProjectAdmin"
    listed = body(api.http.get(f"/projects/{project.id}/users", headers=admin.headers))["data"]
    assert [(u["id"], u["role"]) for u in listed] == [(person.id, "ProjectAdmin")]


def test_a_member_pages_through_their_own_projects_exactly_once(api, people, new_project):
    mine = [new_project() for _ in range(3)]
    member = people.make(projects={p.id: "Researcher" for p in mine})
    seen, token = [], None
    while True:
        query = "/projects?pageSize=2" + (f"&paginationToken={token}" if token else "")
        answer = body(api.http.get(query, headers=member.headers))
        seen += [p["id"] for p in answer["data"]]
        token = answer.get("paginationToken")
        if not token:
            break
    assert sorted(seen) == sorted(p.id for p in mine) and len(seen) == 3
