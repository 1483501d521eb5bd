"""AWS::SQS::QueuePolicy through moto's CloudFormation (moto 5.2 has no model: stacks skip it).

Sets the Policy attribute of every queue in Queues (their URLs); deleting it removes the policy.
Ref and GetAtt Id: a generated id, as on AWS.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from moto.sqs.exceptions import QueueDoesNotExist
from moto.sqs.models import sqs_backends

from .cfn_registry import EmulatedResource, policy_text, register


def _queue(url: str, account_id: str, region_name: str) -> Any:
    """moto's queue behind a queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>)."""
    parsed = urlparse(url)
    account, name = parsed.path.strip("/").split("/")[-2:]
    host = parsed.hostname or ""
    region = host.split(".")[1] if host.startswith("sqs.") and host.count(".") >= 3 else region_name
    return sqs_backends[account or account_id][region].get_queue(name)


class QueuePolicy(EmulatedResource):
    TYPE = "AWS::SQS::QueuePolicy"
    ATTRIBUTES = ("Id",)

    def __init__(self, policy_id: str, queue_urls: list[str]) -> None:
        super().__init__(policy_id, {"Id": policy_id})
        self.queue_urls = queue_urls

    @classmethod
    def create_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any
    ) -> QueuePolicy:
        properties = cloudformation_json["Properties"]
        policy = policy_text(properties["PolicyDocument"])
        urls = list(properties["Queues"])
        for url in urls:
            _queue(url, account_id, region_name).policy = policy
        return cls(resource_name, urls)

    @classmethod
    def update_from_cloudformation_json(
        cls, original_resource: QueuePolicy, new_resource_name: str, cloudformation_json: Any,
        account_id: str, region_name: str,
    ) -> QueuePolicy:
        # A queue policy keeps its id across updates: the base's delete-then-create, under the old id.
        return super().update_from_cloudformation_json(
            original_resource, original_resource.physical_resource_id, cloudformation_json, account_id, region_name)

    def delete(self, account_id: str, region_name: str) -> None:
        for url in self.queue_urls:
            try:
                _queue(url, account_id, region_name).policy = None
            except QueueDoesNotExist:
                pass


def install() -> None:
    register(QueuePolicy, properties={QueuePolicy.TYPE: {"Queues", "PolicyDocument"}})
