"""Configuration values against a template's parameter rules."""

from chalicelib.models.configurations import ConfigParam
from chalicelib.parameters import from_template, problems


def test_a_broken_allowed_pattern_in_a_template_is_reported_not_raised():
    rules = from_template({"Name": {"Type": "String", "AllowedPattern": "([unclosed"}})
    found = problems(rules, [ConfigParam(key="Name", value="x")])
    assert found == [{"field": "params.0.value",
                      "message": "Name cannot be checked: the template's AllowedPattern is not a valid pattern"}]


def test_numbers_within_range_and_allowed_values_pass():
    rules = from_template({"Size": {"Type": "Number", "MinValue": 5, "MaxValue": 500, "Default": 20},
                           "Kind": {"Type": "String", "AllowedValues": ["a", "b"], "Default": "a"}})
    assert problems(rules, [ConfigParam(key="Size", value="5"), ConfigParam(key="Kind", value="b")]) == []
