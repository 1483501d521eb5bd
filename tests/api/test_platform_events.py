"""The platform-events SQS handler: a poison message never takes good ones back to the queue, and
after maxReceiveCount deliveries it rests in the dead-letter queue."""

from __future__ import annotations

import json
import uuid

import boto3
import pytest

from tests.api.environment_world import EventPump


@pytest.fixture(scope="module")
def queue(stack, app):
    sqs, url = boto3.client("sqs"), stack["PlatformEventsQueueUrl"]
    from local.pumps import Pumps

    EventPump(app, stack).drain()  # whatever earlier modules left, delivered as Lambda would
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy", "QueueArn"])["Attributes"]
    redrive = json.loads(attributes["RedrivePolicy"])
    dlq = sqs.get_queue_url(QueueName=redrive["deadLetterTargetArn"].rsplit(":", 1)[-1])["QueueUrl"]
    return {"sqs": sqs, "url": url, "arn": attributes["QueueArn"], "dlq": dlq, "lambda": Pumps(app),
            "max": int(redrive["maxReceiveCount"])}


def receive(queue, url=None) -> list[dict]:
    """Everything visible now, left visible (VisibilityTimeout=0) so redelivery needs no waiting."""
    return queue["sqs"].receive_message(QueueUrl=url or queue["url"], MaxNumberOfMessages=10,
                                        VisibilityTimeout=0).get("Messages", [])


def as_lambda(queue, messages: list[dict]) -> dict:
    """The SQS event Lambda would hand the function, with the messages' real receipt handles."""
    return {"Records": [{"messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
                         "attributes": {}, "messageAttributes": {}, "eventSource": "aws:sqs",
                         "eventSourceARN": queue["arn"], "awsRegion": "us-east-1"} for m in messages]}


def reconcile_unit(account_id: str) -> str:
    return json.dumps({"source": "workbench.reconcile", "detail-type": "Reconcile Hosting Account",
                       "detail": {"accountId": account_id}})


def test_a_poison_message_fails_the_batch_keeps_the_good_one_deleted_and_ends_in_the_dead_letter_queue(queue):
    from chalicelib.events.dispatch import PoisonMessages

    poison = f"not json {uuid.uuid4()}"
    good = reconcile_unit(f"acc-gone-{uuid.uuid4()}")  # an account deleted since the fan-out: nothing to do
    for message in (good, poison):
        queue["sqs"].send_message(QueueUrl=queue["url"], MessageBody=message)
    batch = receive(queue)
    assert sorted(m["Body"] for m in batch) == sorted([good, poison])

    with pytest.raises(PoisonMessages):
        queue["lambda"].run("platform_events", as_lambda(queue, batch))
    assert [m["Body"] for m in receive(queue)] == [poison]  # the good one was deleted, the poison one is back

    for _ in range(queue["max"] + 2):  # each delivery fails; SQS counts the receives
        if not (batch := receive(queue)):
            break
        with pytest.raises(PoisonMessages):
            queue["lambda"].run("platform_events", as_lambda(queue, batch))
    assert receive(queue) == []
    assert [m["Body"] for m in receive(queue, queue["dlq"])] == [poison]


def test_a_json_message_whose_handler_raises_is_retried_while_its_batch_mates_are_deleted(queue):
    from chalicelib.events.dispatch import PoisonMessages

    broken = json.dumps({"source": "workbench.reconcile", "detail-type": "Reconcile Hosting Account",
                         "detail": "not an object"})
    good = json.dumps({"source": "aws.sagemaker", "detail-type": "SageMaker Notebook Instance State Change",
                       "account": "000000000000", "detail": {"NotebookInstanceName": "nb-unknown",
                                                             "NotebookInstanceStatus": "Stopped",
                                                             "Tags": {"Env": f"env-{uuid.uuid4()}"}}})
    for message in (broken, good):
        queue["sqs"].send_message(QueueUrl=queue["url"], MessageBody=message)
    with pytest.raises(PoisonMessages):
        queue["lambda"].run("platform_events", as_lambda(queue, receive(queue)))
    assert [m["Body"] for m in receive(queue)] == [broken]
    queue["sqs"].purge_queue(QueueUrl=queue["url"])


def test_an_event_no_one_handles_is_consumed_not_retried(queue):
    unknown = json.dumps({"source": "aws.ec2", "detail-type": "EC2 Instance State-change Notification",
                          "detail": {}})
    queue["sqs"].send_message(QueueUrl=queue["url"], MessageBody=unknown)
    queue["lambda"].run("platform_events", as_lambda(queue, receive(queue)))  # no exception: Lambda deletes
