"""Variable type constraints: optional() attributes get their default or null, as in Terraform."""
import pytest

from guardrails.terraform.hcl.parse import parse_expression
from guardrails.terraform.types import conversion_problem, convert, describe, type_spec
from guardrails.core.model import Unknown, is_unknown

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


@pytest.mark.parametrize("value, constraint, problem", [
    ("abc", "number", "'abc' is not a number"),
    ("1_000", "number", "'1_000' is not a number"),
    (" 5", "number", "' 5' is not a number"),
    (True, "number", "a bool cannot be used as a number"),
    ("yes", "bool", "a string cannot be used as a bool"),
    (1, "bool", "a number cannot be used as a bool"),
    (["a"], "string", "a list cannot be used as a string"),
    ("oops", "map(string)", "a string cannot be used as map(string)"),
    (3, "list(number)", "a number cannot be used as list(number)"),
    ({"a": 1}, "list(number)", "a map cannot be used as list(number)"),
    (["a", "b"], "object({ a = string })", "a list cannot be used as object({a})"),
    (["1"], "tuple([number, string])", "a tuple of 1 elements cannot be used as tuple([number, string])"),
    ({"n": "ten"}, "map(number)", "'ten' is not a number"),
])
def test_conversion_problem_says_why_terraform_refuses_a_value(value, constraint, problem):
    assert conversion_problem(value, spec(constraint)) == problem


@pytest.mark.parametrize("value, constraint", [
    ("12", "number"), ("-1.5e3", "number"), (".5", "number"), ("true", "bool"), (5, "string"),
    (None, "number"), (Unknown("later"), "map(string)"), ({"a": 1}, "any"), ([1], "set(string)"),
])
def test_values_terraform_converts_have_no_problem(value, constraint):
    assert conversion_problem(value, spec(constraint)) is None


def test_defaults_and_tfvars_that_do_not_convert_are_errors_at_their_line(tmp_path):
    write_tree(tmp_path, {
        "main.tf": """
            variable "size" {
              type    = number
              default = "big"
            }
            variable "tags" {
              type = map(string)
            }
            variable "name" {
              type = string
            }
            """,
        "terraform.tfvars": 'name = "web"\ntags = "oops"\n',
    })
    result = load_tf(tmp_path)
    assert [(e.file, e.line, e.message) for e in result.errors] == [
        ("terraform.tfvars", 2, "variable 'tags' is map(string): its value does not convert "
                                "(a string cannot be used as map(string))"),
        ("main.tf", 3, "variable 'size' is number: its default does not convert ('big' is not a number)"),
    ]
