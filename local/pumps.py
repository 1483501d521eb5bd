"""Runs the app's scheduled and SQS handlers the way Lambda would, since `chalice local` serves HTTP only."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

import boto3
from chalice.app import ScheduledEventConfig, SQSEventConfig

log = logging.getLogger("local.pumps")


@dataclass
class LambdaContext:
    function_name: str
    aws_request_id: str
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:local"

    def get_remaining_time_in_millis(self) -> int:
        return 60_000


class Pumps:
    def __init__(self, app: Any, schedule_seconds: float = 15.0, poll_seconds: float = 1.0) -> None:
        self._app = app
        self._schedule_seconds = schedule_seconds
        self._poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    @property
    def schedules(self) -> list[ScheduledEventConfig]:
        return [s for s in self._app.event_sources if isinstance(s, ScheduledEventConfig)]

    @property
    def queues(self) -> list[SQSEventConfig]:
        return [s for s in self._app.event_sources if isinstance(s, SQSEventConfig)]

    def run(self, name: str, event: dict | None = None) -> Any:
        """Invokes one handler now, as its Lambda function would be."""
        context = LambdaContext(function_name=name, aws_request_id=str(uuid.uuid4()))
        return self._app.handler_map[name](event or _scheduled_event(context.aws_request_id), context)

    def start(self) -> None:
        for source in self.schedules:
            self._spawn(self._every, source.name)
        for queue in self.queues:
            self._spawn(self._drain, queue)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)

    def _spawn(self, target: Any, arg: Any) -> None:
        thread = threading.Thread(target=target, args=(arg,), daemon=True, name=f"pump-{getattr(arg, 'name', arg)}")
        thread.start()
        self._threads.append(thread)

    def _every(self, name: str) -> None:
        while not self._stop.wait(self._schedule_seconds):
            try:
                self.run(name)
            except Exception:  # noqa: BLE001 - a failed run is logged and retried next tick, as on AWS
                log.exception("scheduled handler %s failed", name)

    def _drain(self, source: SQSEventConfig) -> None:
        sqs = boto3.client("sqs")
        url = sqs.get_queue_url(QueueName=source.queue)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        while not self._stop.is_set():
            messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=min(source.batch_size, 10),
                                           WaitTimeSeconds=1).get("Messages", [])
            if not messages:
                time.sleep(self._poll_seconds)
                continue
            records = [{"messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
                        "attributes": {}, "messageAttributes": {}, "eventSource": "aws:sqs",
                        "eventSourceARN": arn, "awsRegion": "us-east-1"} for m in messages]
            try:
                self.run(source.name, {"Records": records})
            except Exception:  # noqa: BLE001 - left on the queue: redelivered, then dead-lettered
                log.exception("SQS handler %s failed; messages will be redelivered", source.name)
                continue
            sqs.delete_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                                                            for i, m in enumerate(messages)])


def _scheduled_event(event_id: str) -> dict[str, Any]:
    return {"version": "0", "id": event_id, "detail-type": "Scheduled Event", "source": "aws.events",
            "account": "123456789012", "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "region": "us-east-1", "resources": [], "detail": {}}
