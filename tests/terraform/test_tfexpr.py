import pytest

from guardrails.terraform.hcl.parse import HclSyntaxError, parse_body, parse_expression
from guardrails.terraform.evaluate import evaluate
from guardrails.terraform.scope import Scope
from guardrails.core.model import Unknown, is_unknown

SCOPE = Scope({
    "var": {"size": "large", "tags": {"env": "prod"}, "names": ["a", "", "b"], "on": True, "n": 3},
    "local": {"prefix": "shop"},
})


def ev(source: str, scope: Scope = SCOPE):
    return evaluate(parse_expression(source), scope)


@pytest.mark.parametrize("source, expected", [
    ('"t3.${var.size}"', "t3.large"),
    ("var.on ? 1 : -2", 1),
    ("1 + 2 * 3 == 7 && !false", True),
    ("10 / 4", 2.5),
    ("7 % 3", 1),
    ('merge(var.tags, { owner = "me", "cost-center" = lower("CC-1") })', {"env": "prod", "owner": "me", "cost-center": "cc-1"}),
    ('lookup(var.tags, "team", "none")', "none"),
    ('concat(["a"], ["b", "c"])', ["a", "b", "c"]),
    ('coalesce("", null, "x")', "x"),
    ('format("%s-%03d", local.prefix, 7)', "shop-007"),
    ('upper("a")', "A"),
    ('tomap({ a = 1 })', {"a": 1}),
    ('try(var.missing, "fallback")', "fallback"),
    ('can(var.missing)', False),
    ('[for s in var.names : upper(s) if s != ""]', ["A", "B"]),
    ('{ for k, v in var.tags : upper(k) => v }', {"ENV": "prod"}),
    ('"%{ if var.on }yes%{ else }no%{ endif }"', "yes"),
    ('"%{ for n in ["x", "y"] }${n};%{ endfor }"', "x;y;"),
    ('"${var.n}"', 3),
    ('"n=${var.n}"', "n=3"),
    ("var.names[2]", "b"),
    ('"a\\nb\\"c"', 'a\nb"c'),
    ('"$${literal}"', "${literal}"),
    ('join("-", split(",", "a,b"))', "a-b"),
    ('replace("a.b.c", "/\\\\./", "-")', "a-b-c"),
    ('length(var.names)', 3),
    ('core::upper("x")', "X"),
    ('toset(["b", "a", "b"])', ["a", "b"]),
])
def test_evaluates_what_terraform_would(source, expected):
    assert ev(source) == expected


@pytest.mark.parametrize("source, reason", [
    ("aws_instance.web.id", "depends on aws_instance.web.id"),
    ("data.aws_ami.ubuntu.id", "depends on data.aws_ami.ubuntu.id"),
    ('file("user_data.sh")', "function file() is not evaluated offline"),
    ('lookup(var.tags, "team")', "lookup(): key 'team' not found"),
])
def test_what_cannot_be_known_is_unknown_with_a_reason(source, reason):
    value = ev(source)
    assert is_unknown(value)
    assert reason in value.reason


def test_unknown_propagates_through_operators_and_templates():
    assert is_unknown(ev('"m5.${aws_instance.x.id}"'))
    assert is_unknown(ev("aws_instance.x.count + 1"))
    assert is_unknown(ev('aws_instance.x.on ? "a" : "b"'))
    assert ev("false && aws_instance.x.on") is False


def test_merge_keeps_known_keys_beside_unknown_values():
    value = ev('merge(var.tags, { owner = aws_instance.x.tags.owner })')
    assert value["env"] == "prod"
    assert is_unknown(value["owner"])


def test_heredoc_templates_are_evaluated():
    tree = parse_body('x = <<-EOT\n  size ${var.size}\n  EOT\n')
    attribute = tree.children[0].children[0]
    assert evaluate(attribute.children[-1], SCOPE) == "size large\n"


def test_deep_nesting_is_unknown_not_a_crash():
    source = "(" * 300 + "1" + ")" * 300
    try:
        value = ev(source)
    except HclSyntaxError:
        return  # refusing to parse is a clean outcome too
    assert value == 1 or is_unknown(value)


def test_unknown_refuses_to_be_truthy():
    with pytest.raises(TypeError):
        bool(Unknown("x"))


def test_syntax_errors_carry_the_line():
    with pytest.raises(HclSyntaxError) as info:
        parse_body('a = 1\nb = "unterminated\n')
    assert info.value.line in (2, 3)


def test_bom_and_crlf_are_accepted():
    tree = parse_body('\ufeffa = "x"\r\nb = 2\r\n')
    assert len([c for c in tree.children[0].children if getattr(c, "data", "") == "attribute"]) == 2


@pytest.mark.parametrize("source, expected", [
    ('<<EOT\n%{ for n in ["a", "b"] ~}\n${n}\n%{ endfor ~}\nEOT\n', "a\nb\n"),
    ('"%{ if true ~}  yes  %{~ else ~} no %{~ endif }"', "yes"),
    ('"x %{~ if false }y%{ endif ~} z"', "xz"),
    ('"%{ for n in ["a", "b"] ~}\\n${n}%{ endfor }"', "ab"),   # an escaped newline is whitespace too
    ('"keep \\\\n %{ if true }t%{ endif }"', "keep \\n t"),       # no strip marker: nothing trimmed
])
def test_template_strip_markers_trim_the_adjacent_whitespace(source, expected):
    assert ev(source) == expected
