"""Users: invite, read, update (status, roles), purge."""

from __future__ import annotations

import json
import uuid

import boto3

from tests.helpers import body


def test_it_admin_invites_a_user_into_cognito_and_the_profile(api, admin, stack):
    email = f"new-{uuid.uuid4().hex[:6]}@example.org"
    response = api.http.post("/users", headers=admin.headers,
                             body=json.dumps({"firstName": "Ada", "lastName": "Lovelace", "email": email}))
    assert response.status_code == 201, body(response)
    user = body(response)
    assert response.headers["Location"] == f"/users/{user['id']}"
    assert user["status"] == "ACTIVE" and user["roles"] == [] and user["email"] == email
    cognito_user = boto3.client("cognito-idp").admin_get_user(UserPoolId=stack["UserPoolId"], Username=user["username"])
    attrs = {a["Name"]: a["Value"] for a in cognito_user["UserAttributes"]}
    assert attrs["sub"] == user["id"] and attrs["email"] == email
    duplicate = api.http.post("/users", headers=admin.headers,
                              body=json.dumps({"firstName": "A", "lastName": "B", "email": email.upper()}))
    assert duplicate.status_code == 409 and body(duplicate)["code"] == "USER_EMAIL_TAKEN"


def test_granting_it_admin_takes_effect_on_the_next_request(api, admin, people):
    person = people.make()
    assert api.http.get("/awsAccounts", headers=person.headers).status_code == 403
    granted = api.http.patch(f"/users/{person.id}", headers=admin.headers, body=json.dumps({"roles": ["ITAdmin"]}))
    assert granted.status_code == 200 and body(granted)["roles"] == ["ITAdmin"]
    assert api.http.get("/awsAccounts", headers=person.headers).status_code == 200


def test_admin_cannot_lock_themselves_out(api, people):
    admin = people.make(it_admin=True)
    for change in ({"status": "INACTIVE"}, {"roles": []}):
        response = api.http.patch(f"/users/{admin.id}", headers=admin.headers, body=json.dumps(change))
        assert response.status_code == 409 and body(response)["code"] == "SELF_LOCKOUT"


def test_purge_needs_inactive_then_removes_user_and_memberships(api, admin, people, new_project, stack):
    project = new_project()
    person = people.make(projects={project.id: "Researcher"})
    early = api.http.delete(f"/users/{person.id}/purge", headers=admin.headers)
    assert early.status_code == 409 and body(early)["code"] == "USER_NOT_INACTIVE"
    api.http.patch(f"/users/{person.id}", headers=admin.headers, body=json.dumps({"status": "INACTIVE"}))
    assert api.http.delete(f"/users/{person.id}/purge", headers=admin.headers).status_code == 204
    assert api.http.get(f"/users/{person.id}", headers=admin.headers).status_code == 404
    from boto3.dynamodb.conditions import Key

    from chalicelib import deps
    rows = deps.container().auth_table.query(KeyConditionExpression=Key("pk").eq(f"USER#{person.id}"))["Items"]
    assert rows == []  # profile and memberships are gone, not just hidden


def test_project_admin_may_look_users_up_but_not_change_them(api, people, new_project):
    project = new_project()
    pa = people.make(projects={project.id: "ProjectAdmin"})
    other = people.make(projects={project.id: "Researcher"})
    assert api.http.get(f"/users/{other.id}", headers=pa.headers).status_code == 200
    assert api.http.get(f"/users/{people.make().id}", headers=pa.headers).status_code == 404  # not their member
    response = api.http.patch(f"/users/{other.id}", headers=pa.headers, body=json.dumps({"firstName": "X"}))
    assert response.status_code == 403


def test_users_list_filters_by_status(api, admin, people):
    inactive = people.make(active=False)
    listed, token = [], None
    while True:
        page = body(api.http.get("/users?status=INACTIVE&pageSize=100" + (f"&paginationToken={token}" if token else ""),
                                 headers=admin.headers))
        listed += page["data"]
        token = page.get("paginationToken")
        if not token:
            break
    assert inactive.id in {u["id"] for u in listed}
    assert all(u["status"] == "INACTIVE" for u in listed)


def test_a_stale_if_match_changes_nothing_in_cognito_either(api, admin, people, stack):
    person = people.make()
    stale = api.http.patch(f"/users/{person.id}", headers={**admin.headers, "If-Match": '"999"'},
                           body=json.dumps({"status": "INACTIVE"}))
    assert stale.status_code == 412
    cognito_user = boto3.client("cognito-idp").admin_get_user(UserPoolId=stack["UserPoolId"], Username=person.username)
    assert cognito_user["Enabled"] is True


def test_inviting_again_after_a_half_finished_invite_completes_it(api, admin, stack):
    from chalicelib.services.users import _username
    email = f"half-{uuid.uuid4().hex[:6]}@example.org"
    boto3.client("cognito-idp").admin_create_user(UserPoolId=stack["UserPoolId"], Username=_username(email))
    response = api.http.post("/users", headers=admin.headers,
                             body=json.dumps({"firstName": "Half", "lastName": "Done", "email": email}))
    assert response.status_code == 201, body(response)
    assert body(response)["username"] == _username(email)


def test_a_project_admin_sees_only_their_projects_members_and_finds_others_by_exact_email(api, people, new_project):
    mine, theirs = new_project(), new_project()
    admin = people.make(projects={mine.id: "ProjectAdmin"})
    member = people.make(projects={mine.id: "Researcher"})
    stranger = people.make(projects={theirs.id: "Researcher"})
    listed, token = [], None
    while True:
        page = body(api.http.get("/users" + (f"?paginationToken={token}" if token else ""), headers=admin.headers))
        listed += [u["id"] for u in page["data"]]
        token = page.get("paginationToken")
        if not token:
            break
    assert member.id in listed and admin.id in listed and stranger.id not in listed
    assert api.http.get(f"/users/{stranger.id}", headers=admin.headers).status_code == 404
    found = body(api.http.get(f"/users?email={stranger.email}", headers=admin.headers))["data"]
    assert [u["id"] for u in found] == [stranger.id]
    assert body(api.http.get("/users?email=nobody@example.org", headers=admin.headers))["data"] == []
