"""A published catalog, an approved notebook type and a linked configuration, plus the event pump:
what a researcher needs before launching, set up the way IT admins do it."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parents[2]


class EventPump:
    """Delivers what reached the platform-events queue to the app's SQS handler, as Lambda would."""

    def __init__(self, app, stack: dict) -> None:
        from local.pumps import Pumps
        self._pumps = Pumps(app)
        self._sqs = boto3.client("sqs")
        self._url = stack["PlatformEventsQueueUrl"]
        self._arn = self._sqs.get_queue_attributes(QueueUrl=self._url, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"]

    def records(self, bodies: list[str]) -> dict:
        return {"Records": [{"messageId": str(uuid.uuid4()), "receiptHandle": f"rh-{i}", "body": b,
                             "attributes": {}, "messageAttributes": {}, "eventSource": "aws:sqs",
                             "eventSourceARN": self._arn, "awsRegion": "us-east-1"} for i, b in enumerate(bodies)]}

    def deliver(self, bodies: list[str]) -> None:
        self._pumps.run("platform_events", self.records(bodies))

    def drain(self) -> list[dict]:
        """Everything on the queue now, delivered in order; returns the events."""
        events = []
        while messages := self._sqs.receive_message(QueueUrl=self._url, MaxNumberOfMessages=10).get("Messages", []):
            self.deliver([m["Body"] for m in messages])
            self._sqs.delete_message_batch(QueueUrl=self._url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
            events += [json.loads(m["Body"]) for m in messages]
        return events

    def until(self, read, done, seconds: float = 20.0):
        """Drain and re-read until done(read()) holds; the automation runs on a worker thread."""
        deadline = time.monotonic() + seconds
        while True:
            self.drain()
            value = read()
            if done(value) or time.monotonic() > deadline:
                return value
            time.sleep(0.1)


def notebook_type(stack: dict, admin_id: str):
    """The real catalog product, published, imported and approved (idempotent across modules)."""
    from chalicelib import deps
    from chalicelib.models.environment_types import UpdateEnvironmentType
    from scripts.publish_catalog import publish

    published = publish(boto3.session.Session(), stack, ROOT / "catalog")
    c = deps.container()
    c.environment_types.sync(admin_id)
    types, _ = c.environment_types_repo.list(c_page(), name_prefix="sagemaker-notebook")
    env_type = next(t for t in types if t.provisioning_artifact_id == published[0]["provisioningArtifactId"])
    if env_type.status != "APPROVED":
        env_type = c.environment_types.update(admin_id, env_type.id, UpdateEnvironmentType(status="APPROVED"), None)
    return env_type


def c_page():
    from chalicelib.repositories.base import PageRequest
    return PageRequest(size=100)
