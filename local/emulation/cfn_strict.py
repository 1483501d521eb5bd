"""settings.strict_cloudformation: refuse a template the embedded AWS would deploy only in part.

moto's CloudFormation skips a resource type it does not know (a warning, and Refs to it become
nothing), drops properties it does not read, and leaves a GetAtt it cannot answer unresolved.
When strict, CreateStack, UpdateStack and CreateChangeSet first check the whole template
(every resource, whatever its Condition) and fail with a ValidationError, as AWS does for a
template it rejects, before anything is created:

- a resource type neither moto nor the emulation implements (AWS's wording for unknown types);
- a property outside what the type is declared to honour (cfn_registry.declare_properties;
  only types the emulation implements or completes declare them);
- a Fn::GetAtt (or `${Resource.Attribute}` in Fn::Sub) of an attribute the type does not have.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from typing import Any

from moto.cloudformation import parsing
from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.models import CloudFormationBackend, Stack

from . import cfn_registry, patching, settings

_SUB_ATTRIBUTE = re.compile(r"\$\{([A-Za-z0-9]+)\.([A-Za-z0-9.]+)\}")


def problems(template: dict[str, Any]) -> list[str]:
    """What the embedded AWS would silently skip, drop or leave unresolved in this template."""
    resources: dict[str, Any] = template.get("Resources") or {}
    models = parsing.get_model_map()

    def known(kind: str) -> bool:
        return kind in parsing.NULL_MODELS or kind.startswith("Custom::") or kind in models

    found = []
    unknown = sorted({r.get("Type", "") for r in resources.values() if not known(r.get("Type", ""))})
    if unknown:
        found.append(f"Template format error: Unrecognized resource types: [{', '.join(unknown)}]")
    for logical_id, resource in resources.items():
        declared = cfn_registry.declared_properties(resource.get("Type", ""))
        extra = sorted(set(resource.get("Properties") or {}) - declared) if declared is not None else []
        if extra:
            found.append(f"{logical_id} ({resource['Type']}): the embedded AWS does not implement "
                         f"properties [{', '.join(extra)}]")
    for logical_id, attribute in sorted(set(_get_atts(template))):
        resource = resources.get(logical_id)
        model = models.get(resource.get("Type", "")) if isinstance(resource, dict) else None
        if model is not None and not model.has_cfn_attr(attribute):
            found.append(f"Fn::GetAtt {logical_id}.{attribute}: the embedded AWS's {resource['Type']} "  # type: ignore[index]
                         f"has no attribute {attribute}")
    return found


def _get_atts(node: Any) -> Iterator[tuple[str, str]]:
    if isinstance(node, list):
        for item in node:
            yield from _get_atts(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "Fn::GetAtt":
                target = value.split(".", 1) if isinstance(value, str) else value
                if len(target) == 2 and all(isinstance(part, str) for part in target):
                    yield target[0], target[1]
            elif key == "Fn::Sub":
                text = value[0] if isinstance(value, list) else value
                if isinstance(text, str):
                    yield from ((m.group(1), m.group(2)) for m in _SUB_ATTRIBUTE.finditer(text))
            yield from _get_atts(value)


def check(template: Any) -> None:
    """Raise ValidationError naming everything strict mode refuses (no-op unless strict)."""
    if not settings.current().strict_cloudformation or not template:
        return
    parsed = Stack.parse_template(template) if isinstance(template, str) else template
    found = problems(parsed if isinstance(parsed, dict) else {})
    if found:
        raise ValidationError(message="; ".join(found) + " (strict_cloudformation)")


def _checked(name: str) -> Callable[..., Any]:
    def method(self: CloudFormationBackend, *args: Any, **kwargs: Any) -> Any:
        original = patching.original(CloudFormationBackend, name)
        check(inspect.signature(original).bind(self, *args, **kwargs).arguments.get("template"))
        return original(self, *args, **kwargs)

    method.__name__ = name
    return method


def install() -> None:
    for name in ("create_stack", "update_stack", "create_change_set"):
        patching.patch(CloudFormationBackend, name, _checked(name))
