"""How moto's CloudFormation walks a stack's resources, made to match AWS.

- DependsOn holds even for a resource something needs early. moto's ResourceMap is lazy: a Ref
  or GetAtt (or an exported Output, which moto resolves before it walks the resources) creates
  the resource it names on the spot, ignoring that resource's DependsOn. AWS never does: e.g. a
  bucket that logs to a bucket whose policy must exist first (S3 checks it) is created after
  that policy, although an Output refers to the bucket.
- A list parameter (CommaDelimitedList, List<...>) left at its Default is a list too; moto
  splits only the values given to CreateStack, so a Ref to a default list yields a string; and
  DescribeStacks shows a list parameter comma-separated, as given, not as a Python list.
- A stack lists the resources it created. moto lists every logical id of the template, a
  resource whose Condition is false as an empty row (and DescribeStackResource(s) then fails),
  and reading the list of a deleted stack creates its resources again.
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation import parsing
from moto.cloudformation.models import Stack
from moto.cloudformation.parsing import ResourceMap

from . import patching


def _depends_on(resource_json: dict[str, Any]) -> list[str]:
    value = resource_json.get("DependsOn") or []
    return [value] if isinstance(value, str) else list(value)


def _parse_and_create_resource(logical_id: str, resource_json: dict[str, Any], resources_map: Any,
                               account_id: str, region_name: str) -> Any:
    creating: set[str] = resources_map.__dict__.setdefault("_emulation_creating", set())
    creating.add(logical_id)
    try:
        for dependency in _depends_on(resource_json):
            if dependency not in creating and dependency in resources_map.resources:
                resources_map[dependency]  # noqa: B018 - creates it now (moto caches it)
        original = patching.original(parsing, "parse_and_create_resource")
        return original(logical_id, resource_json, resources_map, account_id, region_name)
    finally:
        creating.discard(logical_id)


def _load_parameters(self: ResourceMap) -> None:
    patching.original(ResourceMap, "load_parameters")(self)
    for name, declared in (self._template.get("Parameters") or {}).items():
        kind, value = declared.get("Type", "String"), self.resolved_parameters.get(name)
        if name not in self.input_parameters and isinstance(value, str) and (
                kind == "CommaDelimitedList" or kind.startswith("List<")):
            items: list[Any] = value.split(",")
            if kind == "List<Number>":
                items = [float(item) if "." in item else int(item) for item in items]
            self.resolved_parameters[name] = self._parsed_resources[name] = items


def _parameter_list(self: Stack) -> list[dict[str, Any]]:
    listed = patching.original(Stack, "parameter_list").fget(self)
    return [{**p, "ParameterValue": ",".join(map(str, p["ParameterValue"]))} if isinstance(p["ParameterValue"], list)
            else p for p in listed]


def _stack_resources(self: Stack) -> list[Any]:
    """The resources this stack created (template order), without creating any."""
    created = self.resource_map._parsed_resources
    return [created[name] for name in self.resource_map.resources if created.get(name) is not None]


def install() -> None:
    patching.patch(parsing, "parse_and_create_resource", _parse_and_create_resource)
    patching.patch(ResourceMap, "load_parameters", _load_parameters)
    patching.patch(Stack, "parameter_list", property(_parameter_list))
    patching.patch(Stack, "stack_resources", property(_stack_resources))
