"""The pure Terraform functions module libraries call: paths, regex, sets, CIDR, encodings, YAML.

Expected values were checked against `terraform console` (v1.11). Where Terraform's answer
cannot be reproduced faithfully (RE2-only syntax, infinities, odd negative netnums) the value is
Unknown: a refusal, never a different answer, and never an exception out of evaluate().
"""
from __future__ import annotations

import pytest

from guardrails.terraform.hcl.parse import parse_expression
from guardrails.terraform.evaluate import evaluate
from guardrails.terraform.scope import Scope
from guardrails.terraform.functions.table import FUNCTIONS
from guardrails.terraform.functions.yaml import MAX_YAML_CHARS, yamldecode
from guardrails.core.model import Unknown, is_unknown

SCOPE = Scope({"var": {"cidr": "10.0.0.0/16", "names": ["b", "a"], "tags": {"a": ["1", "2"]}}})


def ev(source: str):
    return evaluate(parse_expression(source), SCOPE)


def unknown_reason(source: str) -> str:
    value = ev(source)
    assert is_unknown(value), value
    return value.reason


@pytest.mark.parametrize("source, expected", [
    # paths, with Go's filepath rules
    ('basename("foo/bar/baz.txt")', "baz.txt"),
    ('basename("a/b/")', "b"),
    ('basename("")', "."),
    ('basename("/")', "/"),
    ('dirname("foo/bar/baz.txt")', "foo/bar"),
    ('dirname("a/b/")', "a/b"),
    ('dirname("a")', "."),
    ('dirname("/a")', "/"),
    ('dirname("a//b")', "a"),
    ('dirname("/a/../../b/c")', "/b"),
    ('dirname("../x/y")', "../x"),
    # bool lists
    ("alltrue([])", True),
    ('alltrue([true, "true"])', True),
    ("alltrue([true, null])", False),
    ("anytrue([])", False),
    ("anytrue([null, true])", True),
    ("anytrue([false, false])", False),
    # strings
    ('strcontains("t3.micro", ".")', True),
    ('strcontains("abc", "")', True),
    ('strcontains("abc", "x")', False),
    ('chomp("a\\r\\n\\n")', "a"),
    ('chomp("a\\n \\n")', "a\n "),
    ('indent(2, "a\\nb\\n")', "a\n  b\n  "),
    ('indent(0, "a\\nb")', "a\nb"),
    ('strrev("abc")', "cba"),
    ('strrev("e\\u0301x")', "xe\u0301"),
    ('urlencode("a b/c?d=é~*_-.")', "a+b%2Fc%3Fd%3D%C3%A9~%2A_-."),
    ('base64encode("é")', "w6k="),
    ('base64decode("aGk=")', "hi"),
    ('base64decode("aG\\nk=")', "hi"),
    ('md5("x")', "9dd4e461268c8034f5c8564e155c67a6"),
    ('sha1("x")', "11f6ad8ec52a2984abaafd7c3b516503785c2072"),
    ('sha256("x")', "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"),
    ('base64sha256("x")', "LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE="),
    ('substr(sha512("x"), 0, 16)', "a4abd4448c49562d"),
    ('uuidv5("dns", "example.com")', "cfbff0d1-9375-5685-968c-48ce8b15ae17"),
    ('uuidv5("6ba7b811-9dad-11d1-80b4-00c04fd430c8", "x")', "4cd605e7-afa2-5360-b5b9-c5e9fb5c76f4"),
    ('sensitive("s")', "s"),
    ('nonsensitive("x")', "x"),
    # numbers: whole results are ints, as Terraform prints them
    ("log(8, 2)", 3),
    ("log(1000, 10)", 2.9999999999999996),
    ("pow(2, 3)", 8),
    ("pow(2, -1)", 0.5),
    ("signum(-3)", -1),
    ("signum(0)", 0),
    ('parseint("ff", 16)', 255),
    ('parseint("-FF", 16)', -255),
    ('parseint("zz", 36)', 1295),
    ('parseint("Zz", 62)', 3817),
    ('parseint("+7", 10)', 7),
    # sets follow toset: no duplicates, strings lexically, numbers by value
    ('setsubtract(["a", "b"], ["b"])', ["a"]),
    ('setsubtract(["b", "a", "a"], ["c"])', ["a", "b"]),
    ('setunion(["b", "a"], ["c", "a"])', ["a", "b", "c"]),
    ('setunion([10, 9], [1.5])', [1.5, 9, 10]),
    ('setunion([1, "a"])', ["1", "a"]),
    ('setintersection(["b", "a"], ["c", "a"])', ["a"]),
    ('setintersection(["1"], [1])', ["1"]),
    ("toset([10, 9, 10])", [9, 10]),
    ('setproduct(["a", "b"], [1, 2])', [["a", 1], ["a", 2], ["b", 1], ["b", 2]]),
    ('setproduct(["a"], [])', []),
    ('matchkeys(["a", "b", "c"], [1, 2, 3], [2, 3])', ["b", "c"]),
    ('matchkeys(["a", "b", "c"], ["1", "2", "3"], [2])', ["b"]),
    ('transpose({ a = ["1", "2"], b = ["2"] })', {"1": ["a"], "2": ["a", "b"]}),
    ('transpose(var.tags)', {"1": ["a"], "2": ["a"]}),
])
def test_functions_match_terraform(source, expected):
    assert ev(source) == expected


@pytest.mark.parametrize("source, expected", [
    ('cidrsubnet("10.0.0.0/16", 8, 2)', "10.0.2.0/24"),
    ('cidrsubnet(var.cidr, 4, 15)', "10.0.240.0/20"),
    ('cidrsubnet("10.1.2.3/16", 8, 2)', "10.1.2.0/24"),
    ('cidrsubnet("010.0.0.0/16", "8", "2")', "10.0.2.0/24"),
    ('cidrsubnet("10.0.0.0/16", 0, 0)', "10.0.0.0/16"),
    ('cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162)', "fd00:fd12:3456:7800:a200::/72"),
    ('cidrsubnets("10.0.0.0/16", 4, 4, 8, 4)', ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/24", "10.0.48.0/20"]),
    ('cidrsubnets("10.0.0.0/16", 8, 4)', ["10.0.0.0/24", "10.0.16.0/20"]),
    ('cidrsubnets("10.0.0.0/16")', []),
    ('cidrsubnets("fd00::/56", 8, 8)', ["fd00::/64", "fd00:0:0:1::/64"]),
    ('cidrhost("10.0.0.0/24", 5)', "10.0.0.5"),
    ('cidrhost("10.0.0.0/24", -1)', "10.0.0.255"),
    ('cidrhost("10.0.0.0/24", -256)', "10.0.0.0"),
    ('cidrhost("fd00::/64", 5)', "fd00::5"),
    ('cidrnetmask("10.0.0.0/24")', "255.255.255.0"),
])
def test_cidr_functions(source, expected):
    assert ev(source) == expected


@pytest.mark.parametrize("source, expected", [
    ('regex("^([a-z]+)", "abc123")', ["abc"]),
    ('regex("[a-z]+\\\\d+", "abc123")', "abc123"),
    ('regex("(?P<x>[a-z]+)(?P<y>\\\\d+)", "abc123")', {"x": "abc", "y": "123"}),
    ('regex("(?<x>[a-z]+)", "abc")', {"x": "abc"}),
    ('regex("([a-z])?(\\\\d)", "1")', [None, "1"]),
    ('regex("", "abc")', ""),
    ('regex("^arn:aws:iam::(\\\\d+):role/(.+)$", "arn:aws:iam::123456789012:role/admin")',
     ["123456789012", "admin"]),
    ('regex("^[a-z0-9]+(?:-[a-z0-9]+)*$", "my-bucket-1")', "my-bucket-1"),
    ('regex("^(?:[a-z]+\\\\.)*[a-z]+$", "a.b.c")', "a.b.c"),
    ('regex("(\\\\d{1,3}\\\\.){3}\\\\d{1,3}", "ip 10.0.0.1 x")', ["0."]),
    ('regex("(?i)ABC", "xabc")', "abc"),
    ('regex("a(?i)b|c", "C")', "C"),
    ('regex("\\\\Qa.b\\\\E", "a.b")', "a.b"),
    ('regex("[[:alpha:]]+", "ab1")', "ab"),
    ('regex("\\\\x41\\\\x{42}\\\\101", "ABA")', "ABA"),
    ('regex("[\\\\]a-]+", "]-a")', "]-a"),
    # RE2 meanings Python would silently change
    ('regex("a{,2}", "a{,2}")', "a{,2}"),
    ('regex("(?m)a$", "a\\n")', "a"),
    ('regex("\\\\d+", "\u0661\u06623")', "3"),
    ('regex("\\\\w+", "éa_b")', "a_b"),
    ('regex("x\\\\b", "xé")', "x"),
    ('regex("(?s).+", "a\\nb")', "a\nb"),
    ('regex(".+", "a\\nb")', "a"),
    ('regexall("[a-z]", "a1b2")', ["a", "b"]),
    ('regexall("([a-z])(\\\\d)", "a1b2")', [["a", "1"], ["b", "2"]]),
    ('regexall("(?P<l>[a-z])", "a1b2")', [{"l": "a"}, {"l": "b"}]),
    ('regexall("x", "abc")', []),
    # Go skips an empty match right after a match; Python would not
    ('regexall("a|", "bab")', ["", "a", ""]),
    ('regexall("|a", "aa")', ["", "", ""]),
    ('regexall("", "ab")', ["", "", ""]),
    ('length(regexall("[0-9]", "a1b22"))', 3),
])
def test_regex_follows_re2(source, expected):
    assert ev(source) == expected


@pytest.mark.parametrize("text, expected", [
    ("a: 1\nb: [x, 'y', 2.0]\n", {"a": 1, "b": ["x", "y", 2]}),
    ("a: yes\nb: off\nn: 1\nc: ~\nd: Null\ne:\n", {"a": True, "b": False, "false": 1, "c": None, "d": None, "e": None}),
    ("[0x10, 0o10, 010, 1_000, 1:20, .5, +1, 1e3, 0b11, -0x10]", [16, 8, 10, "1_000", "1:20", 0.5, 1, 1000, "0b11", "-0x10"]),
    ("[2024-01-01, 2024-1-2, 2024-02-30, 2024-01-02 03:04:05, 2024-01-02T03:04:05.5+02:00]",
     ["2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z", "2024-02-30", "2024-01-02T03:04:05Z", "2024-01-02T03:04:05+02:00"]),
    ("[!!str 1, \"2\", !!int '7', !!float 1, !!binary aGk=]", ["1", "2", "7", 1, "aGk="]),
    ("{1: a, true: b}", {"1": "a", "true": "b"}),
    ("{a: 1, a: 2}", {"a": 2}),
    ("a: &x {k: 1}\nb: *x\n", {"a": {"k": 1}, "b": {"k": 1}}),
    ("a: &x {k: 1, j: 1}\nb:\n  <<: *x\n  j: 2\n", {"a": {"k": 1, "j": 1}, "b": {"j": 2, "k": 1}}),
    ("---\na: 12345678901234567890\n", {"a": 12345678901234567890}),
    ("text: |\n  line\n", {"text": "line\n"}),
])
def test_yamldecode_matches_terraform(text, expected):
    assert yamldecode(text) == expected


@pytest.mark.parametrize("text", [
    "a: 1\n---\nb: 2\n",          # several documents
    "",                           # no document
    "# only a comment\n",
    "{null: c}",                  # null key
    "? [1]\n: x\n",               # a list as a key
    "!foo 1",                     # unknown tag
    "!!set {a, b}",
    ".nan",
    ".inf",
    "!!binary '*'",
    "a: [1, 2",                   # syntax error
    "a: *nowhere\n",              # alias without an anchor
    "a: &x [*x]\n",               # recursive alias
    "a: 1e999\n",                 # not a finite number
    "a: " + "9" * 2000 + "\n",
])
def test_yamldecode_refusals_are_unknown(text):
    value = evaluate(parse_expression('yamldecode(var.text)'), Scope({"var": {"text": text}}))
    assert is_unknown(value), value


def test_yaml_alias_bombs_deep_nesting_and_huge_text_are_refused():
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        previous = chr(ord("a") + level - 1)
        bomb.append(f"{chr(ord('a') + level)}: &{chr(ord('a') + level)} [{', '.join(['*' + previous] * 10)}]")
    cases = {
        "bomb": "\n".join(bomb) + "\n",
        "deep": "[" * 5000 + "]" * 5000,
        "deep-aliases": "a: &a " + "[" * 90 + "1" + "]" * 90 + "\nb: [[[[[[[[[[[[*a]]]]]]]]]]]]\n",
        "huge": "a: " + "x" * MAX_YAML_CHARS + "\n",
    }
    for name, text in cases.items():
        value = evaluate(parse_expression("yamldecode(var.text)"), Scope({"var": {"text": text}}))
        assert is_unknown(value), name
    assert yamldecode("[" * 50 + "]" * 50) is not None  # moderate nesting is fine


@pytest.mark.parametrize("source, reason", [
    # Terraform errors
    ('regex("[a-z]+", "123")', "did not match"),
    ('regex("a$", "a\\n")', "did not match"),       # RE2's $ is the end of the text
    ('regex("(?P<x>[a-z]+)(\\\\d+)", "abc1")', "cannot mix named and unnamed"),
    ('regex("(", "x")', "invalid regular expression"),
    ('regex("a**", "x")', "nested repetition"),
    ('regex("a*+", "x")', "nested repetition"),
    ('regex("*", "x")', "missing argument"),
    ('regex("a{1001}", "x")', "bad repeat"),
    ('regex("[z-a]", "x")', "range"),
    # RE2 has none of these; Python would accept them with another meaning
    ('regex("(a)\\\\1", "aa")', "back-references"),
    ('regex("(?=a)", "a")', "lookarounds"),
    ('regex("(?<=a)b", "ab")', "lookarounds"),
    ('regex("(?x) a", "a")', "lookarounds"),
    ('regex("a\\\\Z", "a")', "escape"),
    # RE2 has these but we do not reproduce them
    ('regex("\\\\pL+", "ab")', "\\p"),
    ('regex("(?U)a+", "aaa")', "group syntax"),
    ('regex("[[:^alpha:]]", "1")', "[:^alpha:]"),
    # exponential backtracking in Python, linear in RE2
    ('regex("(a+)+$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab")', "exponentially"),
    ('regex("(a|aa)+$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab")', "exponentially"),
    ('regex("((a|aa))*$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab")', "exponentially"),
    ('regex("(-[-a]*)*$", "-a--")', "exponentially"),
    ('regex(".*.*.*.*=", "' + "x" * 200 + '")', "backtrack too long"),
])
def test_regex_refusals_are_unknown(source, reason):
    assert reason in unknown_reason(source)


def test_regex_on_long_text_and_long_patterns_is_unknown():
    long_text = Scope({"var": {"t": "a" * 70_000, "p": "a" * 3000, "mid": "=" * 5000}})
    for source in ('regex("a", var.t)', 'regex(var.p, "a")', 'regexall("[a-z]+.*=", var.mid)'):
        assert is_unknown(evaluate(parse_expression(source), long_text)), source
    # the same pattern on a short text is evaluated
    assert ev('regexall("[a-z]+.*=", "ab=")') == ["ab="]


@pytest.mark.parametrize("source, reason", [
    ('cidrsubnet("10.0.0.0/16", 8, 256)', "does not accommodate a subnet numbered 256"),
    ('cidrsubnet("10.0.0.0/16", 17, 2)', "insufficient address space"),
    ('cidrsubnet("10.0.0.0/16", 8, -1)', "numbered -1"),
    ('cidrsubnet("10.0.0.0/16", 2.5, 1)', "whole number"),
    ('cidrsubnet("::ffff:10.0.0.0/112", 8, 2)', "IPv4-mapped"),
    ('cidrsubnet(" 10.0.0.0/16", 8, 2)', "invalid CIDR"),
    ('cidrsubnet("10.0.0.0/255.255.0.0", 8, 2)', "invalid CIDR"),
    ('cidrsubnet("10.0.0.0", 8, 2)', "invalid CIDR"),
    ('cidrsubnet("fe80::1%eth0/64", 8, 2)', "invalid CIDR"),
    ('cidrsubnet("300.0.0.0/8", 8, 2)', "invalid CIDR"),
    ('cidrsubnets("10.0.0.0/30", 4)', "too long for an IPv4 address"),
    ('cidrsubnets("10.0.0.0/16", 0)', "at least one bit"),
    ('cidrsubnets("0.0.0.0/0", 8)', "not enough remaining address space"),
    ('cidrsubnets("10.0.0.0/24", 1, 1, 1)', "not enough remaining address space"),
    ('cidrhost("10.0.0.0/24", 256)', "numbered 256"),
    ('cidrhost("10.0.0.0/24", -257)', "numbered -257"),
    ('cidrhost("10.0.0.0/24", 2.5)', "whole number"),
    ('cidrhost("10.0.0.0/24", "x")', "not a number"),
    ('cidrnetmask("fd00::/64")', "IPv6"),
    ('cidrnetmask(["10.0.0.0/8"])', "cannot be used as a string"),
])
def test_cidr_errors_are_unknown(source, reason):
    assert reason in unknown_reason(source)


@pytest.mark.parametrize("source", [
    "alltrue([1])",
    "alltrue([false, 1])",        # every element is checked, not just up to the deciding one
    'anytrue("x")',
    "alltrue(null)",
    'strcontains(["a"], "a")',
    'basename(["a"])',
    "dirname(null)",
    'base64decode("aGk")',
    'base64decode("/w==")',        # not UTF-8
    'base64decode("aG k=")',
    'indent(-1, "a")',
    'indent(1000000000, "a\\nb")',  # would build a gigabyte
    'chomp({})',
    'strrev("\U0001F468\u200d\U0001F469")',
    'uuidv5("bogus", "x")',
    'uuidv5("{6ba7b811-9dad-11d1-80b4-00c04fd430c8}", "x")',
    "log(0, 10)",
    "log(-1, 10)",
    "log(10, 1)",
    "pow(0, -1)",
    "pow(10, 400)",
    "pow(-8, 0.5)",
    "signum(0.5)",
    'parseint("0x10", 16)',
    'parseint("10", 1)',
    'parseint("12", 2)',
    'parseint("1_0", 10)',
    'parseint(" 1", 10)',
    'parseint("", 10)',
    'parseint("-", 10)',
    "parseint(10, 10)",
    'parseint("1", 2.5)',
    "setproduct()",
    'setproduct(["a"])',
    "setsubtract(1, [1])",
    "setunion()",
    "setunion([1, true])",
    "setunion([null])",
    'setunion([["a"], "a"])',
    "setproduct(range(100), range(100), range(2))",
    'matchkeys(["a", "b"], [1], [1])',
    'transpose({ a = [["x"]] })',
    'transpose({ a = "x" })',
    "transpose([])",
    'md5(["x"])',
])
def test_bad_arguments_are_unknown_not_exceptions(source):
    assert is_unknown(ev(source))


@pytest.mark.parametrize("source", [
    "basename(aws_instance.x.path)", "dirname(aws_instance.x.path)", "alltrue(aws_instance.x.flags)",
    'strcontains(aws_instance.x.id, "a")', "chomp(aws_instance.x.id)", "indent(aws_instance.x.n, \"a\")",
    "strrev(aws_instance.x.id)", "urlencode(aws_instance.x.id)", "base64encode(aws_instance.x.id)",
    "base64decode(aws_instance.x.id)", "md5(aws_instance.x.id)", "sha256(aws_instance.x.id)",
    "base64sha256(aws_instance.x.id)", 'uuidv5("dns", aws_instance.x.id)', "sensitive(aws_instance.x.id)",
    "nonsensitive(aws_instance.x.id)", "log(aws_instance.x.n, 2)", "pow(2, aws_instance.x.n)",
    "signum(aws_instance.x.n)", 'parseint(aws_instance.x.id, 10)', 'regex("a", aws_instance.x.id)',
    'regexall(aws_instance.x.id, "a")', 'setunion(["a"], aws_instance.x.ids)', 'setsubtract(["a"], [aws_instance.x.id])',
    'setintersection(["a"], aws_instance.x.ids)', 'setproduct(["a"], aws_instance.x.ids)',
    'matchkeys(["a"], ["k"], aws_instance.x.ids)', "transpose(aws_instance.x.map)",
    'cidrsubnet(aws_instance.x.cidr, 8, 1)', 'cidrsubnet("10.0.0.0/16", 8, aws_instance.x.n)',
    'cidrsubnets(var.cidr, 4, aws_instance.x.n)', 'cidrhost(aws_instance.x.cidr, 1)',
    "cidrnetmask(aws_instance.x.cidr)", "yamldecode(aws_instance.x.body)", "toset([aws_instance.x.id])",
])
def test_unknown_arguments_give_unknown(source):
    value = ev(source)
    assert is_unknown(value)
    assert "aws_instance.x" in value.reason


def test_a_known_element_can_decide_alltrue_and_anytrue():
    assert ev("alltrue([aws_instance.x.on, false])") is False
    assert ev("anytrue([aws_instance.x.on, true])") is True
    assert is_unknown(ev("alltrue([aws_instance.x.on, true])"))
    assert is_unknown(ev("anytrue([aws_instance.x.on, false])"))


def test_sensitive_values_pass_through_unchanged():
    assert ev('nonsensitive(sensitive({ a = [1] }))') == {"a": [1]}
    assert is_unknown(FUNCTIONS["sensitive"](Unknown("later")))


def test_results_compose_with_other_functions():
    assert ev('{ for s in cidrsubnets(var.cidr, 8, 8) : s => cidrhost(s, 1) }') == {
        "10.0.0.0/24": "10.0.0.1", "10.0.1.0/24": "10.0.1.1"}
    assert ev('basename(dirname("modules/vpc/main.tf"))') == "vpc"
    assert ev('jsonencode(yamldecode("m: 3\\nr: 1.5"))') == '{"m":3,"r":1.5}'
    assert ev('lookup(regex("^(?P<env>[a-z]+)-", "prod-web"), "env", "none")') == "prod"
    assert ev("length(setunion(var.names, [\"c\"]))") == 3


@pytest.mark.parametrize("source", [
    "upper()", 'upper("a", "b")', "lookup()", 'lookup({}, "a", 1, 2)', "signum()", 'sha256("x", 1)',
    'format("%99999999999d", 1)', 'format("%.99999999999f", 1)',  # no gigabyte strings, no crash
    "ceil(1e308 * 10)", "floor(1e308 * 10)",                       # infinity has no whole part
    'jsondecode("NaN")', 'jsondecode("1e999")',                    # not JSON / not a float
])
def test_every_function_refuses_wrong_arity_and_overflow_as_unknown(source):
    assert is_unknown(ev(source))


def test_split_on_an_empty_separator_splits_characters():
    assert ev('split("", "abc")') == ["a", "b", "c"]
    assert ev('split("", "")') == []
    assert ev('split(",", "")') == [""]


@pytest.mark.parametrize("source, expected", [
    ('pathexpand("data/x.yaml")', "data/x.yaml"),
    ('pathexpand("/etc/x")', "/etc/x"),
])
def test_pathexpand_leaves_paths_without_a_home_directory_as_they_are(source, expected):
    from guardrails.terraform.hcl.parse import parse_expression
    from guardrails.terraform.evaluate import evaluate
    from guardrails.terraform.scope import Scope

    assert evaluate(parse_expression(source), Scope({})) == expected


@pytest.mark.parametrize("source", ['pathexpand("~/x")', 'pathexpand("~admin/x")', 'pathexpand("~")'])
def test_pathexpand_of_a_home_directory_is_unknown(source):
    from guardrails.terraform.hcl.parse import parse_expression
    from guardrails.terraform.evaluate import evaluate
    from guardrails.terraform.scope import Scope

    assert is_unknown(evaluate(parse_expression(source), Scope({})))
