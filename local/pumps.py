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
    def __init__(self, app: Any, schedule_seconds: float = 15.0, poll_seconds: float = 1.0,
                 queue_url: str | None = None) -> None:
        self._app = app
        # The benches deploy a stack each in one process, but app.py named its queue once, at import.
        self._queue_url = queue_url
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

    def start(self, schedules: bool = True) -> None:
        """Runs the queue handlers, and the schedules unless told not to (the status-lag bench times
        the event path alone, without a reconciliation repairing status behind its back)."""
        for source in self.schedules if schedules else []:
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
        sqs, url, arn = self._queue(source)
        while not self._stop.is_set():
            if not self._deliver(sqs, url, arn, source):
                time.sleep(self._poll_seconds)

    def settle(self, timeout: float = 120.0) -> None:
        """Delivers every queued message until the queues stay empty, before the pumps run on their own
        (the seed waits this way for the account check the schedule fanned out)."""
        deadline = time.monotonic() + timeout
        for source in self.queues:
            sqs, url, arn = self._queue(source)
            while time.monotonic() < deadline and self._deliver(sqs, url, arn, source):
                pass

    def _queue(self, source: SQSEventConfig) -> tuple[Any, str, str]:
        sqs = boto3.client("sqs")
        url = self._queue_url or sqs.get_queue_url(QueueName=source.queue)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        return sqs, url, arn

    def _deliver(self, sqs: Any, url: str, arn: str, source: SQSEventConfig) -> bool:
        """One receive and its delivery to the handler, as Lambda's event source mapping; False when empty."""
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=min(source.batch_size, 10),
                                       WaitTimeSeconds=1).get("Messages", [])
        if not messages:
            return False
        records = [{"messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
                    "attributes": {}, "messageAttributes": {}, "eventSource": "aws:sqs",
                    "eventSourceARN": arn, "awsRegion": "us-east-1"} for m in messages]
        try:
            self.run(source.name, {"Records": records})
        except Exception:  # noqa: BLE001 - left on the queue: redelivered, then dead-lettered
            log.exception("SQS handler %s failed; messages will be redelivered", source.name)
            return True
        sqs.delete_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                                                        for i, m in enumerate(messages)])
        return True


def _scheduled_event(event_id: str) -> dict[str, Any]:
    return {"version": "0", "id": event_id, "detail-type": "Scheduled Event", "source": "aws.events",
            "account": "123456789012", "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "region": "us-east-1", "resources": [], "detail": {}}
