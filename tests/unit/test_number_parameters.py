"""Number and List<Number> values: only the plain decimal form CloudFormation takes passes."""

import pytest

from chalicelib.models.configurations import ConfigParam
from chalicelib.parameters import from_template, problems

RULES = from_template({"Size": {"Type": "Number", "MinValue": 0, "MaxValue": 1440, "Default": 60},
                       "Ports": {"Type": "List<Number>", "Default": "80"}})


def _problems(key: str, value: str) -> list[dict[str, str]]:
    # model_construct keeps the value as given: request bodies trim whitespace at the edge, but the rule
    # must hold on its own (values also come from stored configurations and templates).
    return problems(RULES, [ConfigParam.model_construct(key=key, value=value)])


@pytest.mark.parametrize("value", ["5", "0", "-0", "1440", "0.5", "10.25", "007", "1439.999"])
def test_plain_integers_and_decimals_within_range_pass_as_numbers(value):
    assert _problems("Size", value) == []


@pytest.mark.parametrize("value", ["NaN", "nan", "-nan", "inf", "Infinity", "-Infinity", "1_0", " 5 ", "5 ", " 5",
                                   "5\n", "\t5", "+5", ".5", "5.", "1e3", "1E3", "0x10", "", "-", "5,6", "٥",
                                   "1.2.3", "--5"])
def test_what_float_takes_but_cloudformation_does_not_is_refused_as_a_number(value):
    assert _problems("Size", value) == [{"field": "params.0.value", "message": (
        "Size must be a number, written as digits with an optional leading '-' and decimal point "
        "(e.g. 5, -3, 0.5, 10.25)")}]


@pytest.mark.parametrize("value, message", [("-1", "Size must be at least 0"), ("1441", "Size must be at most 1440"),
                                            ("1440.0000000000000001", "Size must be at most 1440"),
                                            ("-0.5", "Size must be at least 0")])
def test_numbers_outside_min_and_max_are_refused_exactly_at_the_bound(value, message):
    assert _problems("Size", value) == [{"field": "params.0.value", "message": message}]


@pytest.mark.parametrize("value", ["80", "80,20", "-1,0.5,10.25"])
def test_a_list_of_numbers_passes_when_every_member_is_a_number(value):
    assert _problems("Ports", value) == []


@pytest.mark.parametrize("value", ["80,", ",80", "80, 20", "80,NaN", "1_0", "", "80;20", "80,,20"])
def test_a_list_of_numbers_with_any_member_not_a_number_is_refused(value):
    found = _problems("Ports", value)
    assert [f["field"] for f in found] == ["params.0.value"]
    assert found[0]["message"].startswith("Ports must be numbers separated by commas")
