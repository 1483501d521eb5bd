"""A small in-memory Workbench for the client's unit tests: Cognito's JSON API, a few routes, and S3
pre-signed URLs, served through httpx.MockTransport (a fake transport, not a patch)."""

from __future__ import annotations

import base64
import itertools
import json
from collections import Counter
from typing import Any

import httpx

from rsw import Client
from rsw.config import Settings, Store

API = "https://api.example.test"
IDP = "https://idp.example.test/"
S3 = "https://bucket.example.test"
SETTINGS = Settings(api_url=API, region="eu-west-1", client_id="client-1", cognito_endpoint=IDP)


def jwt(sub: str, n: int) -> str:
    payload = base64.urlsafe_b64encode(json.dumps({"sub": sub, "n": n}).encode()).decode().rstrip("=")
    return f"h.{payload}.s"


class FakeWorkbench:
    def __init__(self, expires_in: int = 3600, multipart_threshold: int = 10, part_size: int = 4) -> None:
        self.expires_in = expires_in
        self.threshold, self.part_size = multipart_threshold, part_size
        self.issued = 0
        self.valid: set[str] = set()
        self.calls: list[tuple[str, str]] = []          # (method, path or Cognito action)
        self.scripted: dict[tuple[str, str], list[httpx.Response]] = {}  # answers to give before the real one
        self.temporary_password = False
        self.environment_statuses: list[str] = []
        self.objects: dict[str, bytes] = {}
        self.parts: dict[str, dict[int, bytes]] = {}    # uploadId -> part number -> bytes
        self.open_uploads: dict[str, str] = {}          # path -> uploadId
        self.sizes: dict[str, int] = {}                 # uploadId -> size
        self.upload_ids = itertools.count(1)
        self.part_puts: Counter[int] = Counter()
        self.fail_parts: set[int] = set()
        self.completed: list[dict[str, Any]] = []
        self.idempotency_keys: list[str | None] = []
        self.requests: list[httpx.Request] = []         # every API request, to read its query, body and headers
        self.me: dict[str, Any] = {"id": "user-1", "username": "jane", "roles": [], "projects": []}
        self.audit_events: list[dict[str, Any]] = []    # newest first, as the API keeps them
        self.cost_centers: dict[str, dict[str, Any]] = {}
        self.shares: dict[str, str] = {}                # target project -> access level, of dataset-1

    def client(self, store: Store | None = None, sleeps: list[float] | None = None) -> Client:
        return Client(SETTINGS, store=store, transport=httpx.MockTransport(self.handle),
                      sleep=(sleeps.append if sleeps is not None else lambda _: None))

    def script(self, method: str, path: str, *responses: httpx.Response) -> None:
        self.scripted.setdefault((method, path), []).extend(responses)

    def handle(self, request: httpx.Request) -> httpx.Response:
        if str(request.url) == IDP:
            return self.cognito(request)
        if str(request.url).startswith(S3):
            return self.s3(request)
        key = (request.method, request.url.path)
        self.calls.append(key)
        self.requests.append(request)
        if request.method == "POST":
            self.idempotency_keys.append(request.headers.get("Idempotency-Key"))
        if self.scripted.get(key):
            return self.scripted[key].pop(0)
        if request.headers.get("Authorization", "").removeprefix("Bearer ") not in self.valid:
            return problem(401, "UNAUTHENTICATED", "the token is not valid")
        return self.route(request)

    # -- Cognito ---------------------------------------------------------------------------------
    def tokens(self) -> dict[str, Any]:
        self.issued += 1
        token = jwt("user-1", self.issued)
        self.valid.add(token)
        return {"AuthenticationResult": {"AccessToken": token, "IdToken": "id", "RefreshToken": "refresh-1",
                                         "ExpiresIn": self.expires_in, "TokenType": "Bearer"}}

    def cognito(self, request: httpx.Request) -> httpx.Response:
        action = request.headers["X-Amz-Target"].split(".")[-1]
        body = json.loads(request.content)
        self.calls.append(("COGNITO", f"{action}:{body.get('AuthFlow') or body.get('ChallengeName')}"))
        if action == "InitiateAuth" and body["AuthFlow"] == "USER_PASSWORD_AUTH":
            if body["AuthParameters"]["PASSWORD"] != "secret":
                return httpx.Response(400, json={"__type": "NotAuthorizedException", "message": "Incorrect"})
            if self.temporary_password:
                return httpx.Response(200, json={"ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": "s-1"})
            return httpx.Response(200, json=self.tokens())
        if action == "RespondToAuthChallenge":
            assert body["Session"] == "s-1" and body["ChallengeResponses"]["NEW_PASSWORD"]
            self.temporary_password = False
            return httpx.Response(200, json=self.tokens())
        answer = self.tokens()
        del answer["AuthenticationResult"]["RefreshToken"]  # as Cognito: a refresh keeps the old one
        return httpx.Response(200, json=answer)

    # -- the API ---------------------------------------------------------------------------------
    def route(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/me":
            return httpx.Response(200, json=self.me)
        if path == "/auditEvents" or path.startswith("/costCenters") or "/datasets/dataset-1/shares/" in path \
                or path.endswith("/datasets/dataset-1/permissions"):
            return self.governance(request)
        if path == "/projects":
            return self.paged(request, [{"id": f"proj-{i}", "name": f"p{i}"} for i in range(5)])
        if path.endswith("/environments/env-1"):
            status = self.environment_statuses.pop(0) if len(self.environment_statuses) > 1 \
                else self.environment_statuses[0]
            return httpx.Response(200, json={"id": "env-1", "status": status, "statusReason": status.lower()})
        if path.endswith("/upload-requests"):
            return httpx.Response(200, json={"uploads": [self.upload(f) for f in json.loads(request.content)["files"]]})
        if "/multipart-uploads/" in path and request.method == "GET":
            return self.resume(path.split("/")[-1], request.url.params["path"])
        if "/multipart-uploads/" in path and path.endswith("/complete"):
            return self.complete(path.split("/")[-2], json.loads(request.content))
        return problem(404, "NOT_FOUND", f"no route {path}")

    def governance(self, request: httpx.Request) -> httpx.Response:
        """The audit trail (filtered as the API does), cost centers and dataset-1's shares, in memory."""
        path, method, params = request.url.path, request.method, request.url.params
        body = json.loads(request.content) if request.content else {}
        if path == "/auditEvents":
            return self.paged(request, [e for e in self.audit_events if all(
                e.get(k) == params[k] for k in ("actor", "projectId", "action") if k in params)])
        if path == "/costCenters" and method == "POST":
            new_id = f"cc-{len(self.cost_centers) + 1}"
            self.cost_centers[new_id] = {"id": new_id, "etag": "1", "status": "AVAILABLE", **body}
            return httpx.Response(201, json=self.cost_centers[new_id])
        if path == "/costCenters":
            return self.paged(request, list(self.cost_centers.values()))
        if path.startswith("/costCenters/"):
            found = self.cost_centers.get(path.split("/")[-1])
            if found is None:
                return problem(404, "NOT_FOUND", "no such cost center")
            if method == "PATCH":
                found.update(body, etag=str(int(found["etag"]) + 1))
            if method == "DELETE":
                del self.cost_centers[found["id"]]
                return httpx.Response(204)
            return httpx.Response(200, json=found)
        if path.endswith("/permissions"):
            return httpx.Response(200, json={"datasetId": "dataset-1", "ownerProjectId": "proj-1", "shares": [
                {"datasetId": "dataset-1", "projectId": p, "accessLevel": a} for p, a in self.shares.items()]})
        target = path.split("/")[-1]
        if method == "PUT":
            self.shares[target] = body["accessLevel"]
            return httpx.Response(200, json={"datasetId": "dataset-1", "projectId": target, **body})
        self.shares.pop(target)
        return httpx.Response(204)

    def paged(self, request: httpx.Request, items: list[dict[str, Any]]) -> httpx.Response:
        size = int(request.url.params.get("pageSize", 2))
        start = int(request.url.params.get("paginationToken", 0))
        page: dict[str, Any] = {"data": items[start:start + size]}
        if start + size < len(items):
            page["paginationToken"] = str(start + size)
        return httpx.Response(200, json=page)

    def upload(self, file: dict[str, Any]) -> dict[str, Any]:
        path, size = file["path"], file["size"]
        if size <= self.threshold:
            return {"path": path, "url": f"{S3}/single/{path}", "method": "PUT", "headers": {}, "expiresAt": "soon"}
        upload_id = self.open_uploads[path] = f"up-{next(self.upload_ids)}"
        self.sizes[upload_id] = size
        return self.multipart(path, upload_id)

    def multipart(self, path: str, upload_id: str) -> dict[str, Any]:
        count = -(-self.sizes[upload_id] // self.part_size)
        have = sorted(self.parts.get(upload_id, {}))
        return {"path": path, "uploadId": upload_id, "partSize": self.part_size, "expiresAt": "soon",
                "uploadedParts": have, "parts": [{"partNumber": n, "url": f"{S3}/part/{upload_id}/{n}"}
                                                 for n in range(1, count + 1) if n not in have]}

    def resume(self, upload_id: str, path: str) -> httpx.Response:
        if self.open_uploads.get(path) != upload_id:
            return problem(404, "UPLOAD_NOT_FOUND", f"no upload {upload_id}")
        return httpx.Response(200, json=self.multipart(path, upload_id))

    def complete(self, upload_id: str, body: dict[str, Any]) -> httpx.Response:
        received = self.parts[upload_id]
        assert [p["partNumber"] for p in body["parts"]] == sorted(received), (body, sorted(received))
        assert all(p["etag"] == f'"etag-{upload_id}-{p["partNumber"]}"' for p in body["parts"]), body
        self.objects[body["path"]] = b"".join(received[n] for n in sorted(received))
        self.completed.append(body)
        del self.open_uploads[body["path"]]
        return httpx.Response(200, json={"path": body["path"]})

    def s3(self, request: httpx.Request) -> httpx.Response:
        kind, *rest = request.url.path.strip("/").split("/")
        data = request.read()
        assert int(request.headers["Content-Length"]) == len(data)
        if kind == "single":
            self.objects["/".join(rest)] = data
            return httpx.Response(200, headers={"ETag": '"single"'})
        upload_id, number = rest[0], int(rest[1])
        self.part_puts[number] += 1
        if number in self.fail_parts:
            return httpx.Response(403, text="<Error><Code>AccessDenied</Code></Error>")
        self.parts.setdefault(upload_id, {})[number] = data
        return httpx.Response(200, headers={"ETag": f'"etag-{upload_id}-{number}"'})


def problem(status: int, code: str, detail: str, hint: str | None = None) -> httpx.Response:
    body = {"type": "urn:x", "title": httpx.codes.get_reason_phrase(status), "status": status, "detail": detail,
            "code": code, "requestId": "req-1", **({"hint": hint} if hint else {})}
    return httpx.Response(status, json=body, headers={"Content-Type": "application/problem+json"})
