"""S3's EventBridge events as AWS sends them: a per-object increasing `sequencer` (moto sends one
constant), the `etag` spelling, and "Object Deleted" when a versioned delete leaves a delete marker
(moto sends nothing then). Consumers order a key's events by sequencer, so this matters."""

from __future__ import annotations

import copy
import itertools
import threading
from typing import Any

from moto.core.utils import unix_time
from moto.events.models import events_backends
from moto.events.utils import _BASE_EVENT_MESSAGE
from moto.s3 import notifications
from moto.s3.models import S3Backend

from .patching import original, patch

_counter = itertools.count(int(unix_time() * 1000) << 16)
_lock = threading.Lock()


def _sequencer() -> str:
    with _lock:
        return f"{next(_counter):016X}"


def _send_event_bridge_message(account_id: str, bucket: Any, event_name: str, key: Any) -> None:
    detail_type = notifications._detail_type(event_name)  # moto's own mapping (tagging is not a creation)
    deleted = detail_type == "Object Deleted"
    event = copy.deepcopy(_BASE_EVENT_MESSAGE)
    event.update({"detail-type": detail_type, "source": "aws.s3",
                  "account": account_id, "time": unix_time(), "region": bucket.region_name,
                  "resources": [bucket.arn]})
    obj: dict[str, Any] = {"key": key.name, "sequencer": _sequencer()}
    if not deleted:
        obj.update(size=key.size, etag=key.etag.replace('"', ""), **{"version-id": key.version_id})
    event["detail"] = {"version": "0", "bucket": {"name": bucket.name}, "object": obj,
                       "reason": "DeleteObject" if deleted else event_name.split(":")[1],
                       **({"deletion-type": "Delete Marker Created" if "DeleteMarker" in event_name
                           else "Permanently Deleted"} if deleted else {})}
    backend = events_backends[account_id][bucket.region_name]
    for bus in list(backend.event_buses.values()):
        for rule in list(bus.rules.values()):
            rule.send_to_targets(event, transform_input=False)


def _delete_object(self: S3Backend, bucket_name: str, key_name: str, version_id: str | None = None,
                   bypass: bool = False) -> Any:
    bucket = self.get_bucket(bucket_name)
    existing = bucket.keys.get(key_name) if getattr(bucket, "is_versioned", False) and version_id is None else None
    result = original(S3Backend, "delete_object")(self, bucket_name, key_name, version_id, bypass)
    if existing is not None and result[0] and bucket.notification_configuration is not None:
        notifications.send_event(self.account_id,
                                 notifications.S3NotificationEvent.OBJECT_REMOVED_DELETE_MARKER_CREATED_EVENT,
                                 bucket, existing)
    return result


def install() -> None:
    patch(notifications, "_send_event_bridge_message", _send_event_bridge_message)
    patch(S3Backend, "delete_object", _delete_object)
