"""EventBridge envelope fidelity: targets see `account`, and an event forwarded to another
account's bus keeps its original id, account, time and resources, as on AWS."""

from __future__ import annotations

import copy
from typing import Any, cast

from moto.events.models import Rule, events_backends
from moto.events.utils import EventMessageType, EventTemplateParser
from moto.utilities.arns import parse_arn

from .patching import original, patch

_TEMPLATE = (
    '{"version": "0", "id": "<id>", "detail-type": "<detail-type>", "source": "<source>", '
    '"account": "<account>", "time": <time>, "region": "<region>", "resources": <resources>, '
    '"detail": <detail>}'
)


def _is_bus(target: dict[str, Any]) -> bool:
    arn = parse_arn(target["Arn"])
    return arn.service == "events" and arn.resource_type == "event-bus"


def _forward(event: dict[str, Any], target: dict[str, Any]) -> None:
    """Deliver to the target bus's rules with the envelope unchanged (moto re-issues it)."""
    arn = parse_arn(target["Arn"])
    backend = events_backends[arn.account][arn.region]
    bus = backend.describe_event_bus(arn.resource_id)
    for rule in list(bus.rules.values()):
        rule.send_to_targets(cast(EventMessageType, copy.deepcopy(event)))


def _send_to_targets(self: Rule, original_event: Any, transform_input: bool = True) -> None:
    buses = [t for t in self.targets if _is_bus(t)]
    if buses and self.event_pattern.matches_event(original_event):
        for target in buses:
            _forward(original_event, target)
    others = copy.copy(self)  # a shallow twin without the bus targets (thread-safe)
    others.targets = [t for t in self.targets if not _is_bus(t)]
    original(Rule, "send_to_targets")(others, original_event, transform_input)


def install() -> None:
    patch(EventTemplateParser, "DEFAULT_EVENT_INPUT_TEMPLATE", _TEMPLATE)
    patch(Rule, "send_to_targets", _send_to_targets)
