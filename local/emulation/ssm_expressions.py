"""The small languages inside Automation documents: {{ }} variables, $.selectors, choices, durations."""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Mapping
from typing import Any

_VARIABLE = re.compile(r"\{\{\s*([A-Za-z0-9_:.\-]+)\s*\}\}")
_WHOLE = re.compile(r"^\s*\{\{\s*([A-Za-z0-9_:.\-]+)\s*\}\}\s*$")
_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")
_SELECTOR_TOKEN = re.compile(r"\.([A-Za-z0-9_\-]+)|\[(\d+|\*)\]")


class UnresolvedVariable(ValueError):
    pass


def substitute(value: Any, variables: Mapping[str, Any]) -> Any:
    """Resolve {{ name }} in strings, lists and maps.

    A string that is exactly one variable takes the variable's own value (list, int, map);
    a variable inside a longer string is rendered as text.
    """
    if isinstance(value, str):
        whole = _WHOLE.match(value)
        if whole:
            return _lookup(whole.group(1), variables)
        return _VARIABLE.sub(lambda m: _as_text(_lookup(m.group(1), variables)), value)
    if isinstance(value, list):
        return [substitute(item, variables) for item in value]
    if isinstance(value, dict):
        return {key: substitute(item, variables) for key, item in value.items()}
    return value


def _lookup(name: str, variables: Mapping[str, Any]) -> Any:
    if name not in variables:
        raise UnresolvedVariable(f"Variable {{{{ {name} }}}} could not be resolved")
    return variables[name]


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return str(value)


def select(document: Any, selector: str) -> Any:
    """Evaluate a JSONPath subset: $.A.B, $.A[0].B, $.A[*].B (a list)."""
    if not selector.startswith("$"):
        raise ValueError(f"Invalid selector {selector!r}: must start with $")
    values, fan_out = [document], False
    for name, index in _SELECTOR_TOKEN.findall(selector[1:]):
        next_values = []
        for current in values:
            if name and isinstance(current, dict) and name in current:
                next_values.append(current[name])
            elif index == "*" and isinstance(current, list):
                next_values.extend(current)
                fan_out = True
            elif index and index != "*" and isinstance(current, list) and int(index) < len(current):
                next_values.append(current[int(index)])
        values = next_values
    if fan_out:
        return values
    return values[0] if values else None


def to_json_ready(response: Any) -> Any:
    """A boto3 response as the JSON an AWS API returns (timestamps as ISO text)."""

    def default(value: Any) -> Any:
        if isinstance(value, (datetime.datetime, datetime.date)):
            return value.isoformat()
        if isinstance(value, bytes):
            return value.decode("utf-8", "replace")
        return str(value)

    data = json.loads(json.dumps(response, default=default))
    if isinstance(data, dict):
        data.pop("ResponseMetadata", None)
    return data


def typed_output(value: Any, output_type: str) -> Any:
    """Coerce a selected value to an output Type (String, Integer, Boolean, StringList, ...)."""
    if output_type == "Integer":
        return int(value)
    if output_type == "Boolean":
        return value if isinstance(value, bool) else str(value).lower() == "true"
    if output_type == "StringList":
        return [_as_text(v) for v in (value if isinstance(value, list) else [value])]
    if output_type in ("StringMap", "MapList"):
        return value
    return _as_text(value)


def as_api_strings(value: Any) -> list[str]:
    """How the SSM API reports a value: a list of strings (Parameters, Outputs)."""
    if isinstance(value, list):
        return [_as_text(v) for v in value]
    return [_as_text(value)]


def typed_parameter(values: list[str], param_type: str) -> Any:
    """A StartAutomationExecution parameter (list of strings) as the document's type."""
    if param_type == "StringList":
        return list(values)
    if param_type == "MapList":
        return [json.loads(v) if isinstance(v, str) else v for v in values]
    first = values[0] if values else ""
    if param_type == "Integer":
        return int(first)
    if param_type == "Boolean":
        return str(first).lower() == "true"
    if param_type == "StringMap":
        return json.loads(first) if isinstance(first, str) else first
    return first


def default_parameter(default: Any, param_type: str) -> Any:
    if param_type in ("StringList", "MapList") and not isinstance(default, list):
        return [default]
    return default


def duration_seconds(text: str) -> float:
    """ISO 8601 duration (PT5S, PT1M30S, P1DT2H) in seconds."""
    match = _DURATION.match(text.strip())
    if not match or not any(match.groups()):
        raise ValueError(f"Invalid Duration {text!r}: expected ISO 8601 like PT5S")
    days, hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return days * 86400 + hours * 3600 + minutes * 60 + seconds


def choice_matches(choice: Mapping[str, Any], variables: Mapping[str, Any]) -> bool:
    """Evaluate an aws:branch choice (Variable + operator, or And / Or / Not)."""
    if "And" in choice:
        return all(choice_matches(c, variables) for c in choice["And"])
    if "Or" in choice:
        return any(choice_matches(c, variables) for c in choice["Or"])
    if "Not" in choice:
        return not choice_matches(choice["Not"], variables)
    actual = substitute(choice.get("Variable"), variables)
    for operator, expected in choice.items():
        if operator in ("Variable", "NextStep"):
            continue
        return _operator(operator, actual, substitute(expected, variables))
    raise ValueError("A choice needs an operator such as StringEquals")


def _operator(operator: str, actual: Any, expected: Any) -> bool:
    text, wanted = _as_text(actual), _as_text(expected)
    string_ops = {
        "StringEquals": lambda: text == wanted,
        "EqualsIgnoreCase": lambda: text.lower() == wanted.lower(),
        "StartsWith": lambda: text.startswith(wanted),
        "EndsWith": lambda: text.endswith(wanted),
        "Contains": lambda: wanted in (actual if isinstance(actual, list) else text),
        "BooleanEquals": lambda: text.lower() == wanted.lower(),
    }
    if operator in string_ops:
        return string_ops[operator]()
    numeric_ops = {
        "NumericEquals": lambda a, b: a == b,
        "NumericGreater": lambda a, b: a > b,
        "NumericLesser": lambda a, b: a < b,
        "NumericGreaterOrEquals": lambda a, b: a >= b,
        "NumericLesserOrEquals": lambda a, b: a <= b,
    }
    if operator in numeric_ops:
        return numeric_ops[operator](float(text), float(wanted))
    raise ValueError(f"Unsupported choice operator {operator}")
