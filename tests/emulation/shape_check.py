"""Check a boto3 response against botocore's output shape: required members, types, enums."""

from __future__ import annotations

import datetime
from typing import Any

import botocore.session
from botocore.model import Shape

_session = botocore.session.get_session()
_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "long": (int,),
    "boolean": (bool,),
    "double": (float, int),
    "float": (float, int),
    "timestamp": (datetime.datetime,),
    "blob": (bytes, bytearray),
}


def problems(service: str, operation: str, response: dict[str, Any]) -> list[str]:
    """Every way response departs from the operation's output shape (empty when it conforms)."""
    model = _session.get_service_model(service).operation_model(operation)
    found: list[str] = []
    body = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    if model.output_shape is not None:
        _walk(model.output_shape, body, operation, found)
    elif body:
        found.append(f"{operation}: expected an empty response, got {sorted(body)}")
    return found


def assert_conforms(service: str, operation: str, response: dict[str, Any]) -> None:
    found = problems(service, operation, response)
    assert not found, "\n".join(found)


def _walk(shape: Shape, value: Any, path: str, found: list[str]) -> None:
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            found.append(f"{path}: expected a structure, got {type(value).__name__}")
            return
        for name in shape.required_members:
            if name not in value:
                found.append(f"{path}.{name}: required member missing")
        for name, item in value.items():
            if name not in shape.members:
                found.append(f"{path}.{name}: not a member of {shape.name}")
                continue
            _walk(shape.members[name], item, f"{path}.{name}", found)
    elif kind == "list":
        if not isinstance(value, list):
            found.append(f"{path}: expected a list, got {type(value).__name__}")
            return
        for index, item in enumerate(value):
            _walk(shape.member, item, f"{path}[{index}]", found)
    elif kind == "map":
        if not isinstance(value, dict):
            found.append(f"{path}: expected a map, got {type(value).__name__}")
            return
        for key, item in value.items():
            _walk(shape.key, key, f"{path}<key>", found)
            _walk(shape.value, item, f"{path}[{key!r}]", found)
    else:
        _check_scalar(shape, value, path, found)


def _check_scalar(shape: Shape, value: Any, path: str, found: list[str]) -> None:
    expected = _TYPES.get(shape.type_name)
    if expected is None:
        return
    if shape.type_name in ("integer", "long") and isinstance(value, bool):
        found.append(f"{path}: expected {shape.type_name}, got bool")
    elif not isinstance(value, expected):
        found.append(f"{path}: expected {shape.type_name}, got {type(value).__name__} {value!r}")
    elif getattr(shape, "enum", None) and value not in shape.enum:
        found.append(f"{path}: {value!r} is not one of {shape.enum}")
