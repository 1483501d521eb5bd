"""Checks configuration values against the product template's parameter rules (no I/O)."""

from __future__ import annotations

import re
from decimal import Decimal

from .models.configurations import ConfigParam
from .models.environment_types import TemplateParameter

# Filled by the workbench at launch from the hosting account, project and datasets; never configured.
SUPPLIED_BY_WORKBENCH = frozenset({"EnvId", "Namespace", "VpcId", "SubnetId", "EncryptionKeyArn",
                                   "EnvironmentBoundaryArn", "ArtifactsBucketName", "BootstrapPrefix",
                                   "DatasetMounts", "MainAccountId"})

# CloudFormation's Number is "an integer or float"; we accept the plain decimal form it documents
# (5, -3, 0.5, 10.25): ASCII digits only (\d would take other scripts' digits), no sign "+", no
# exponent, no spaces, underscores, NaN or Infinity. Anything stricter than CloudFormation only costs a
# clear 400; anything looser fails the launch later.
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
NUMBER_FORM = "written as digits with an optional leading '-' and decimal point (e.g. 5, -3, 0.5, 10.25)"


def problems(rules: list[TemplateParameter], given: list[ConfigParam]) -> list[dict[str, str]]:
    """Every way `given` breaks `rules`, as per-field errors; empty when valid."""
    by_key = {r.key: r for r in rules}
    errors: list[dict[str, str]] = []
    seen: set[str] = set()
    for index, param in enumerate(given):
        field = f"params.{index}.value"
        rule = by_key.get(param.key)
        if param.key in seen:
            errors.append({"field": f"params.{index}.key", "message": f"{param.key} is given twice"})
        seen.add(param.key)
        if rule is None:
            takes = ", ".join(sorted(k for k, r in by_key.items() if not r.supplied_by_workbench))
            errors.append({"field": f"params.{index}.key",
                           "message": f"{param.key} is not a parameter of this environment type (it takes: {takes})"})
        elif rule.supplied_by_workbench:
            errors.append({"field": f"params.{index}.key", "message": f"{param.key} is set by the workbench at launch"})
        else:
            errors += [{"field": field, "message": m} for m in _value_problems(rule, param.value)]
    for rule in rules:
        if rule.default is None and not rule.supplied_by_workbench and rule.key not in seen:
            errors.append({"field": "params", "message": f"{rule.key} is required (the template has no default)"})
    return errors


def _value_problems(rule: TemplateParameter, value: str) -> list[str]:
    found = []
    if rule.allowed_values is not None and value not in rule.allowed_values:
        found.append(f"{rule.key} must be one of {', '.join(rule.allowed_values)}")
    if rule.allowed_pattern:
        try:
            if not re.fullmatch(rule.allowed_pattern, value):
                found.append(f"{rule.key} must match {rule.allowed_pattern}")
        except re.error:
            found.append(f"{rule.key} cannot be checked: the template's AllowedPattern is not a valid pattern")
    if rule.min_length is not None and len(value) < rule.min_length:
        found.append(f"{rule.key} must be at least {rule.min_length} characters")
    if rule.max_length is not None and len(value) > rule.max_length:
        found.append(f"{rule.key} must be at most {rule.max_length} characters")
    if rule.type == "Number":
        found += _number_problems(rule, value)
    elif rule.type == "List<Number>" and not all(NUMBER.fullmatch(member) for member in value.split(",")):
        # CloudFormation applies MinValue/MaxValue to Number only, so members are checked for form alone.
        found.append(f"{rule.key} must be numbers separated by commas, each {NUMBER_FORM}")
    return found


def _number_problems(rule: TemplateParameter, value: str) -> list[str]:
    # float() would also take "NaN", "inf", "1_0", " 5 " and "5\n", which CloudFormation refuses at
    # launch (and NaN passes every range check): only the plain form CloudFormation documents passes.
    if not NUMBER.fullmatch(value):
        return [f"{rule.key} must be a number, {NUMBER_FORM}"]
    number = Decimal(value)  # exact: a long decimal must not round onto the bound
    if rule.min_value is not None and number < Decimal(str(rule.min_value)):
        return [f"{rule.key} must be at least {rule.min_value:g}"]
    if rule.max_value is not None and number > Decimal(str(rule.max_value)):
        return [f"{rule.key} must be at most {rule.max_value:g}"]
    return []


def from_template(parameters: dict[str, dict]) -> list[TemplateParameter]:
    """A CloudFormation template's `Parameters` section as rules."""
    def text(value: object) -> str | None:
        return None if value is None else str(value)
    return [TemplateParameter(
        key=key, type=str(spec.get("Type", "String")), default=text(spec.get("Default")),
        description=spec.get("Description"), allowed_pattern=spec.get("AllowedPattern"),
        allowed_values=[str(v) for v in spec["AllowedValues"]] if "AllowedValues" in spec else None,
        min_value=spec.get("MinValue"), max_value=spec.get("MaxValue"),
        min_length=spec.get("MinLength"), max_length=spec.get("MaxLength"),
        no_echo=str(spec.get("NoEcho", "false")).lower() == "true",
        supplied_by_workbench=key in SUPPLIED_BY_WORKBENCH) for key, spec in parameters.items()]
