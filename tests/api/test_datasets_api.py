"""Datasets end to end: create, share, upload through pre-signed URLs, and the index S3 events keep."""

from __future__ import annotations

import json
import uuid

import boto3
import pytest
import requests

from tests.api.environment_world import EventPump
from tests.helpers import body

MiB = 1024 * 1024


@pytest.fixture(scope="module")
def world(stack, app, people, new_project):
    owner_project, other_project = new_project(), new_project()
    return {"project": owner_project, "other": other_project, "pump": EventPump(app, stack),
            "admin": people.make(projects={owner_project.id: "ProjectAdmin", other_project.id: "ProjectAdmin"}),
            "researcher": people.make(projects={owner_project.id: "Researcher"}),
            "reader": people.make(projects={other_project.id: "Researcher"}), "bucket": stack["DatasetsBucketName"]}


def post(api, person, path, payload):
    return api.http.post(path, headers=person.headers, body=json.dumps(payload).encode())


def new_dataset(api, world, name=None):
    response = post(api, world["admin"], f"/projects/{world['project'].id}/datasets",
                    {"name": name or f"ds-{uuid.uuid4().hex[:8]}"})
    assert response.status_code == 201, body(response)
    return body(response)


def base(world, dataset, project="project"):
    return f"/projects/{world[project].id}/datasets/{dataset['id']}"


def read(api, world, dataset, person="researcher", project="project"):
    return body(api.http.get(base(world, dataset, project), headers=world[person].headers))


def files(api, world, dataset, person="researcher"):
    return body(api.http.get(base(world, dataset) + "/files", headers=world[person].headers))["data"]


def test_an_uploaded_file_appears_in_the_index_with_its_size_and_leaves_it_when_deleted(api, world):
    dataset = new_dataset(api, world)
    answer = post(api, world["researcher"], base(world, dataset) + "/upload-requests",
                  {"files": [{"path": "raw/reads.fastq", "size": 11, "contentType": "text/plain"}]})
    assert answer.status_code == 200, body(answer)
    upload = body(answer)["uploads"][0]
    assert upload["method"] == "PUT" and upload["headers"]["Content-Length"] == "11"
    assert requests.put(upload["url"], data=b"ACGTACGTACG", headers=upload["headers"], timeout=10).status_code == 200
    after = world["pump"].until(lambda: read(api, world, dataset), lambda d: d["objectCount"] == 1)
    assert after["objectCount"] == 1 and after["totalBytes"] == 11, after
    assert [(f["path"], f["size"]) for f in files(api, world, dataset)] == [("raw/reads.fastq", 11)]
    boto3.client("s3").delete_object(Bucket=world["bucket"], Key=dataset["prefix"] + "raw/reads.fastq")
    emptied = world["pump"].until(lambda: read(api, world, dataset), lambda d: d["objectCount"] == 0)
    assert emptied["objectCount"] == 0 and emptied["totalBytes"] == 0 and files(api, world, dataset) == []


def test_a_replayed_s3_event_is_not_counted_twice(api, world):
    dataset = new_dataset(api, world)
    boto3.client("s3").put_object(Bucket=world["bucket"], Key=dataset["prefix"] + "a.csv", Body=b"1,2,3")
    events = world["pump"].drain()
    created = [e for e in events if e.get("source") == "aws.s3"]
    assert created
    world["pump"].deliver([json.dumps(e) for e in created] * 2)  # the same events, twice more
    again = read(api, world, dataset)
    assert again["objectCount"] == 1 and again["totalBytes"] == 5, again


def test_bad_paths_are_refused_one_error_per_file_and_nothing_is_signed(api, world):
    dataset = new_dataset(api, world)
    bad = ["../escape.txt", "/etc/passwd", "a\\b.txt", "tab\there", "", "x/../../y", "a//b", "é" * 600, "ok/./no"]
    response = post(api, world["researcher"], base(world, dataset) + "/upload-requests",
                    {"files": [{"path": p, "size": 1} for p in bad] + [{"path": "fine.txt", "size": 1}]})
    assert response.status_code == 400, body(response)
    fields = [e["field"] for e in body(response)["errors"]]
    assert fields == [f"files.{i}.path" for i in range(len(bad))]


def test_a_read_only_share_lets_the_other_project_read_but_never_upload(api, world):
    dataset = new_dataset(api, world)
    share = api.http.put(f"{base(world, dataset)}/shares/{world['other'].id}", headers=world["admin"].headers,
                         body=b'{"accessLevel": "read-only"}')
    assert share.status_code == 200, body(share)
    listed = body(api.http.get(f"/projects/{world['other'].id}/datasets", headers=world["reader"].headers))
    while "paginationToken" in listed and dataset["id"] not in [d["id"] for d in listed["data"]]:
        listed = body(api.http.get(f"/projects/{world['other'].id}/datasets?paginationToken="
                                   f"{listed['paginationToken']}", headers=world["reader"].headers))
    seen = next(d for d in listed["data"] if d["id"] == dataset["id"])
    assert seen["accessLevel"] == "read-only"
    refused = post(api, world["reader"], base(world, dataset, "other") + "/upload-requests",
                   {"files": [{"path": "x.txt", "size": 1}]})
    assert refused.status_code == 403 and body(refused)["code"] == "DATASET_READ_ONLY"
    permissions = body(api.http.get(base(world, dataset) + "/permissions", headers=world["admin"].headers))
    assert [(s["projectId"], s["accessLevel"]) for s in permissions["shares"]] == [(world["other"].id, "read-only")]


def test_an_unshared_dataset_is_not_found_from_another_project(api, world, people, new_project):
    dataset = new_dataset(api, world)
    stranger_project = new_project()
    stranger = people.make(projects={stranger_project.id: "ProjectAdmin"})
    response = api.http.get(f"/projects/{stranger_project.id}/datasets/{dataset['id']}", headers=stranger.headers)
    assert response.status_code == 404


def test_delete_is_refused_while_shared_and_then_purges_the_objects(api, world):
    dataset = new_dataset(api, world)
    s3 = boto3.client("s3")
    s3.put_object(Bucket=world["bucket"], Key=dataset["prefix"] + "keep.txt", Body=b"x")
    api.http.put(f"{base(world, dataset)}/shares/{world['other'].id}", headers=world["admin"].headers,
                 body=b'{"accessLevel": "read-write"}')
    refused = api.http.delete(base(world, dataset), headers=world["admin"].headers)
    assert refused.status_code == 409 and body(refused)["code"] == "DATASET_IN_USE"
    api.http.delete(f"{base(world, dataset)}/shares/{world['other'].id}", headers=world["admin"].headers)
    assert api.http.delete(base(world, dataset), headers=world["admin"].headers).status_code == 204
    world["pump"].drain()
    assert s3.list_objects_v2(Bucket=world["bucket"], Prefix=dataset["prefix"]).get("KeyCount", 0) == 0
    versions = s3.list_object_versions(Bucket=world["bucket"], Prefix=dataset["prefix"]).get("Versions", [])
    assert versions, "the deleted dataset's objects stay recoverable as old versions"


def test_a_large_file_uploads_in_parts_resumes_with_only_the_missing_ones_and_aborts_cleanly(api, world, stack):
    from chalicelib import deps
    from chalicelib.services.dataset_uploads import DatasetUploads

    c = deps.container()
    c.__dict__["dataset_uploads"] = DatasetUploads(c.datasets_repo, c.aws.client("s3"), world["bucket"],
                                                   threshold=5 * MiB, part_size=5 * MiB, access=c.datasets.access)
    try:
        dataset = new_dataset(api, world)
        data = bytes(range(256)) * (11 * MiB // 256)
        answer = post(api, world["researcher"], base(world, dataset) + "/upload-requests",
                      {"files": [{"path": "big.bin", "size": len(data)}]})
        upload = body(answer)["uploads"][0]
        assert upload["partSize"] == 5 * MiB and [p["partNumber"] for p in upload["parts"]] == [1, 2, 3]
        etags = {}
        for part in (upload["parts"][0], upload["parts"][2]):  # interrupted: part 2 never sent
            start = (part["partNumber"] - 1) * upload["partSize"]
            sent = requests.put(part["url"], data=data[start:start + upload["partSize"]], timeout=30)
            etags[part["partNumber"]] = sent.headers["ETag"]
        resumed = body(api.http.get(f"{base(world, dataset)}/multipart-uploads/{upload['uploadId']}?path=big.bin",
                                    headers=world["researcher"].headers))
        assert resumed["uploadedParts"] == [1, 3] and [p["partNumber"] for p in resumed["parts"]] == [2]
        sent = requests.put(resumed["parts"][0]["url"], data=data[5 * MiB:10 * MiB], timeout=30)
        etags[2] = sent.headers["ETag"]
        done = post(api, world["researcher"], f"{base(world, dataset)}/multipart-uploads/{upload['uploadId']}/complete",
                    {"path": "big.bin", "parts": [{"partNumber": n, "etag": e} for n, e in sorted(etags.items())]})
        assert done.status_code == 200, body(done)
        head = boto3.client("s3").head_object(Bucket=world["bucket"], Key=dataset["prefix"] + "big.bin")
        assert head["ContentLength"] == len(data)

        second = body(post(api, world["researcher"], base(world, dataset) + "/upload-requests",
                           {"files": [{"path": "gone.bin", "size": 6 * MiB}]}))["uploads"][0]
        aborted = api.http.delete(f"{base(world, dataset)}/multipart-uploads/{second['uploadId']}?path=gone.bin",
                                  headers=world["researcher"].headers)
        assert aborted.status_code == 204
        left = boto3.client("s3").list_multipart_uploads(Bucket=world["bucket"], Prefix=dataset["prefix"])
        assert not left.get("Uploads")
    finally:
        c.__dict__.pop("dataset_uploads", None)
