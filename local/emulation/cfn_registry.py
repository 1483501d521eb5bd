"""The CloudFormation resource types the emulation adds to moto, registered the way moto finds its own.

moto's CloudFormation looks every resource type up in `get_model_map()` (moto.cloudformation.parsing),
an lru_cached dict built from `CloudFormationModel.__subclasses__()` (direct subclasses only) keyed
by each class's `cloudformation_type()`; a type missing there is skipped with a warning, and a Ref
to it becomes nothing. The emulation's types derive from `EmulatedResource`, itself a direct
subclass that keeps CloudFormationModel's placeholder type (moto already maps that placeholder to
its other abstract bases), so they are invisible to moto's own scan; while installed, the three
registry functions of moto's parser return moto's models plus the registered ones.

`declare_properties(type, names)` records which template properties a type is known to honour
(for the emulation's own types and the moto types whose CloudFormation it completes): with
`strict_cloudformation`, any other property fails the stack instead of being dropped.
"""

from __future__ import annotations

import json
import warnings
from typing import Any, ClassVar, Self

from moto.cloudformation import parsing
from moto.cloudformation.exceptions import UnformattedGetAttTemplateException, ValidationError
from moto.core.common_models import CloudFormationModel
from moto.logs import models as _logs_models  # noqa: F401 - moto's parser does not import it itself

from . import patching, settings

_types: dict[str, type[CloudFormationModel]] = {}
_properties: dict[str, frozenset[str]] = {}
_REGISTRY_FUNCTIONS = ("get_model_list", "get_model_map", "get_name_type_map")


def _moto(name: str) -> Any:
    return patching.original(parsing, name)


class EmulatedResource(CloudFormationModel):
    """Base of the emulation's CloudFormation types: one wrapper per created resource.

    A subclass sets TYPE, NAME_PROPERTY (the property moto's parser takes the physical name
    from, generating `<stack>-<logical id>-<suffix>` without it), ATTRIBUTES (what Fn::GetAtt
    may read), implements `create_from_cloudformation_json` and `delete`, and may override
    `update_from_cloudformation_json` (the default replaces the resource).
    """

    TYPE: ClassVar[str] = ""
    NAME_PROPERTY: ClassVar[str] = ""
    ATTRIBUTES: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def cloudformation_type(cls) -> str:
        return cls.TYPE or "AWS::SERVICE::RESOURCE"  # the base keeps CloudFormationModel's placeholder

    @classmethod
    def cloudformation_name_type(cls) -> str:
        return cls.NAME_PROPERTY

    def __init__(self, physical_id: str, attributes: dict[str, Any] | None = None) -> None:
        self._physical_id = physical_id
        self.attributes = dict(attributes or {})

    @property
    def physical_resource_id(self) -> str:
        return self._physical_id

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in cls.ATTRIBUTES

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        if attribute_name not in self.attributes:
            raise UnformattedGetAttTemplateException()
        return self.attributes[attribute_name]

    def is_created(self) -> bool:
        return True

    def delete(self, account_id: str, region_name: str) -> None:
        """Remove what create made (moto's ResourceMap calls this on stack delete and update)."""

    @classmethod
    def delete_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str,
    ) -> None:
        """Unused: moto calls `delete` on the instance; defined so the emulated types are concrete."""

    @classmethod
    def update_from_cloudformation_json(
        cls, original_resource: Self, new_resource_name: str, cloudformation_json: Any,
        account_id: str, region_name: str,
    ) -> Self:
        original_resource.delete(account_id, region_name)
        return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)


def register(*models: type[EmulatedResource], properties: dict[str, set[str]] | None = None) -> None:
    """Make moto's CloudFormation create these types (while the emulation is installed)."""
    for model in models:
        _types[model.TYPE] = model
    for kind, names in (properties or {}).items():
        declare_properties(kind, names)


def declare_properties(resource_type: str, names: set[str]) -> None:
    """The template properties `resource_type` honours (checked under strict_cloudformation)."""
    _properties[resource_type] = frozenset(names)


def declared_properties(resource_type: str) -> frozenset[str] | None:
    return _properties.get(resource_type)


def boolean(value: Any) -> bool:
    """A template boolean: true/false, or "true"/"false" (what a Ref to a parameter gives)."""
    return str(value).lower() == "true"


def unsupported(message: str) -> None:
    """A part of a template the embedded AWS cannot honour: an error when strict, else (moto's way) a warning."""
    if settings.current().strict_cloudformation:
        raise ValidationError(message=f"{message} (strict_cloudformation)")
    warnings.warn(message, stacklevel=2)


# Built from moto's own list only: its get_model_map and get_name_type_map call get_model_list by
# its global name, which is _model_list while installed, and would cache the emulation's types.
def _model_list() -> list[type[CloudFormationModel]]:
    return [*_moto("get_model_list")(), *_types.values()]


def _model_map() -> dict[str, type[CloudFormationModel]]:
    return {model.cloudformation_type(): model for model in _model_list()}


def _name_type_map() -> dict[str, str]:
    return {model.cloudformation_type(): model.cloudformation_name_type() for model in _model_list()}


def install() -> None:
    for name in _REGISTRY_FUNCTIONS:
        _moto(name).cache_clear()  # moto's scan may predate imports that define more of its models
    patching.patch(parsing, "get_model_list", _model_list)
    patching.patch(parsing, "get_model_map", _model_map)
    patching.patch(parsing, "get_name_type_map", _name_type_map)


def policy_text(document: Any) -> str:
    """A template's policy document as AWS stores it: JSON text (templates may give an object)."""
    return document if isinstance(document, str) else json.dumps(document)
