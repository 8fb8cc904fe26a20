"""Variable type constraints: optional() attributes get their default or null, as in Terraform."""
import pytest

from guardrails.loaders.hclparse import parse_expression
from guardrails.loaders.tftypes import convert, describe, type_spec
from guardrails.model import Unknown, is_unknown

from conftest import by_address, load_tf, write_tree


def spec(text):
    return type_spec(parse_expression(text))


def test_left_out_optional_attributes_take_their_default_or_null():
    constraint = spec('map(object({ size = optional(string), tags = optional(map(string), {}), n = number }))')
    assert convert({"a": {"n": "2"}, "b": {"size": 1, "tags": {"x": "y"}, "n": 3, "extra": True}}, constraint) == {
        "a": {"size": None, "tags": {}, "n": 2},
        "b": {"size": "1", "tags": {"x": "y"}, "n": 3},  # undeclared attributes are dropped
    }


def test_null_for_an_optional_attribute_with_a_default_takes_the_default():
    assert convert({"size": None}, spec('object({ size = optional(string, "small") })')) == {"size": "small"}


def test_nested_lists_tuples_and_sets_convert_their_elements():
    assert convert([{"a": "1"}], spec("list(object({ a = number, b = optional(bool) }))")) == [{"a": 1, "b": None}]
    assert convert(["1", True], spec("tuple([number, string])")) == [1, "true"]
    assert convert(["1"], spec("set(number)")) == [1]


def test_unknown_values_and_unrecognised_types_pass_through():
    unknown = Unknown("x")
    assert convert(unknown, spec("map(string)")) is unknown
    assert spec("var.something") == "any"
    assert spec('object({ a = optional(string, "x", "y") })') == "any"
    assert convert({"a": 1}, "any") == {"a": 1}
    partly = convert({"a": Unknown("later")}, spec("object({ a = string, b = optional(string) })"))
    assert is_unknown(partly["a"]) and partly["b"] is None


def test_a_value_that_does_not_convert_is_unknown_with_the_reason():
    result = convert({"n": "ten"}, spec("object({ n = number })"))
    assert is_unknown(result) and "object({n})" in result.reason
    assert describe(spec("map(list(tuple([string, bool])))")) == "map(list(tuple([string, bool])))"


@pytest.mark.parametrize("file, text", [
    ("variables.tf", 'variable "groups" {\n  type = map(object({ size = optional(string, "t3.small") }))\n  default = { a = {} }\n}\n'),
    ("variables.tf.json", '{"variable": {"groups": {"type": "map(object({ size = optional(string, \\"t3.small\\") }))", "default": {"a": {}}}}}\n'),
])
def test_a_module_reads_defaults_of_optional_attributes(tmp_path, file, text):
    write_tree(tmp_path, {file: text, "main.tf": """
        resource "aws_instance" "node" {
          for_each      = var.groups
          instance_type = each.value.size
        }
        """})
    assert by_address(load_tf(tmp_path))['aws_instance.node["a"]'].attrs["instance_type"] == "t3.small"
