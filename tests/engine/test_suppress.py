import datetime as dt

import pytest

from guardrails.core.model import Finding, Location, Resource, Suppression
from guardrails.core.policy import Exemption, Policy, RuleConfig
from guardrails.core.ignores import find_directives, parse_directive
from guardrails.engine.suppress import address_matches, apply

TODAY = dt.date(2026, 6, 15)
POLICY = Policy(
    rules=(
        RuleConfig(id="sizes", type="instance-size"),
        RuleConfig(id="tags", type="required-tags"),
    )
)


# --- parse_directive ----------------------------------------------------------------------------


def test_parse_ids_until_and_reason():
    directive = parse_directive("sizes,tags until=2027-03-01 approved GPU box", 7)
    assert directive == Suppression(
        rules=("sizes", "tags"), reason="approved GPU box", until="2027-03-01", line=7
    )


def test_parse_forgives_spaces_around_commas_and_keeps_wildcard():
    assert parse_directive("sizes , tags  legacy   box", 1).rules == ("sizes", "tags")
    assert parse_directive("sizes , tags  legacy   box", 1).reason == "legacy box"
    assert parse_directive("* generated code", 1).rules == ("*",)


@pytest.mark.parametrize(
    "body, problem",
    [
        ("sizes", "has no reason"),
        ("sizes until=2027-03-01", "has no reason"),
        ("sizes until=2027-02-30 leap", "until=2027-02-30 is not a date"),
        ("sizes until=next-week soon", "until=next-week is not a date"),
        ("sizes until=2027-3-1 short", "until=2027-3-1 is not a date"),
        ("", "names no rule"),
        ("   ", "names no rule"),
        ("until=2027-03-01 no id", "'until=2027-03-01' is not a rule id"),
        ("si$es reason", "'si$es' is not a rule id"),
    ],
)
def test_parse_problems_never_raise(body, problem):
    directive = parse_directive(body, 4)
    assert directive.problem is not None and problem in directive.problem
    assert directive.line == 4


# --- find_directives ----------------------------------------------------------------------------


def test_finds_hash_slash_and_block_comments_with_lines():
    source = (
        'resource "aws_instance" "a" {  # guardrails:ignore sizes approved\n'
        "  // guardrails:ignore tags until=2027-01-01 migrating\n"
        "  /* guardrails:ignore *\n"
        "     * generated */\n"
        "}\n"
    )
    found = find_directives(source)
    assert [(d.line, d.rules, d.reason) for d in found] == [
        (1, ("sizes",), "approved"),
        (2, ("tags",), "migrating"),
        (3, ("*",), "generated"),
    ]


def test_block_comment_marker_on_a_later_line_reports_that_line():
    found = find_directives("/* first line\n   guardrails:ignore sizes why */\n")
    assert [(d.line, d.rules, d.reason) for d in found] == [(2, ("sizes",), "why")]


def test_ignores_markers_inside_strings_interpolations_and_heredocs():
    source = (
        'x = "# guardrails:ignore sizes in a string"\n'
        'y = "${lookup(var.m, "#")} // guardrails:ignore tags nope"\n'
        "z = <<-EOT\n"
        "  # guardrails:ignore sizes in a heredoc\n"
        "  EOT\n"
        'w = "escaped \\" # guardrails:ignore sizes still a string"\n'
        "# guardrails:ignore sizes real one\n"
    )
    found = find_directives(source)
    assert [(d.line, d.reason) for d in found] == [(7, "real one")]


def test_marker_must_be_a_whole_word():
    assert find_directives("# guardrails:ignored sizes nope\n") == []


def test_directive_without_reason_is_returned_with_a_problem():
    (directive,) = find_directives("# guardrails:ignore sizes\n")
    assert directive.problem and "no reason" in directive.problem


# --- apply --------------------------------------------------------------------------------------


def resource(address="aws_instance.web", *suppressions, file="main.tf"):
    return Resource(
        address=address,
        type=address.split(".")[0],
        kind="terraform",
        location=Location(file, 10, 20),
        suppressions=tuple(suppressions),
    )


def finding(rule="sizes", kind="instance-size", address="aws_instance.web", line=12):
    return Finding(
        rule=rule, type=kind, severity="fail", resource=address, path="instance_type",
        file="main.tf", line=line, message="too big",
    )


def directive(body, line=9):
    return parse_directive(body, line)


def run(findings, resources, policy=POLICY, today=TODAY):
    return apply(findings, {r.address: r for r in resources}, policy, today)


@pytest.mark.parametrize("body", ["sizes approved", "instance-size approved", "* approved",
                                  "tags,sizes approved"])
def test_suppression_by_id_type_or_wildcard(body):
    result = run([finding()], [resource("aws_instance.web", directive(body))])
    assert [f.status for f in result] == ["suppressed"]


def test_suppression_of_another_rule_leaves_the_finding():
    result = run([finding()], [resource("aws_instance.web", directive("tags approved"))])
    assert [f.status for f in result] == ["new"]


def test_suppression_only_applies_to_its_own_resource():
    other = finding(address="aws_instance.db")
    result = run(
        [finding(), other],
        [resource("aws_instance.web", directive("sizes ok")), resource("aws_instance.db")],
    )
    assert {(f.resource, f.status) for f in result} == {
        ("aws_instance.web", "suppressed"), ("aws_instance.db", "new")}


@pytest.mark.parametrize("until", ["2026-06-15", "2026-06-16"])
def test_until_today_or_later_still_suppresses(until):
    result = run([finding()], [resource("aws_instance.web", directive(f"sizes until={until} ok"))])
    assert [f.status for f in result] == ["suppressed"]


@pytest.mark.parametrize(
    "body, expected",
    [
        ("sizes", "has no reason"),
        ("sizes until=2026-06-14 temporary", "expired on 2026-06-14"),
        ("sizes until=2026-13-01 bad month", "is not a date"),
        ("sizez typo in the id", "'sizez' names no rule id or rule type of the policy"),
        ("k8s-resources not in this policy", "'k8s-resources' names no rule"),
    ],
)
def test_unusable_suppression_is_reported_and_suppresses_nothing(body, expected):
    result = run([finding()], [resource("aws_instance.web", directive(body, line=9))])
    problems = [f for f in result if f.rule == "suppression"]
    assert [f.status for f in result if f.rule == "sizes"] == ["new"]
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.type, problem.severity, problem.resource, problem.file, problem.line) == (
        "suppression", "warn", "aws_instance.web", "main.tf", 9)
    assert expected in problem.message


def test_suppression_problem_without_a_line_points_at_the_resource():
    result = run([], [resource("aws_instance.web", directive("sizes", line=0))])
    assert [(f.rule, f.line) for f in result] == [("suppression", 10)]


def test_partly_unknown_ids_report_the_unknown_and_suppress_the_known():
    result = run([finding()], [resource("aws_instance.web", directive("sizes,nope legacy"))])
    assert [(f.rule, f.status) for f in result] == [("suppression", "new"), ("sizes", "suppressed")]
    assert "'nope'" in result[0].message


def test_valid_suppression_with_nothing_to_suppress_is_silent():
    assert run([], [resource("aws_instance.web", directive("sizes fine"))]) == []


def exempt(rule="sizes", address="aws_instance.web", expires=None):
    return Policy(
        rules=POLICY.rules,
        exemptions=(Exemption(rule=rule, resource=address, reason="approved", expires=expires,
                              file=".guardrails.yaml", line=31),),
    )


@pytest.mark.parametrize("rule", ["sizes", "instance-size", "*"])
@pytest.mark.parametrize("pattern", ["aws_instance.web", "aws_instance.*", "*.web", "*"])
def test_exemption_by_rule_id_type_or_wildcard_and_address_glob(rule, pattern):
    result = run([finding()], [resource()], policy=exempt(rule, pattern))
    assert [f.status for f in result] == ["suppressed"]


def test_exemption_for_other_rule_or_resource_does_not_apply():
    assert [f.status for f in run([finding()], [resource()], policy=exempt("tags"))] == ["new"]
    assert [f.status for f in run([finding()], [resource()], policy=exempt(
        address="aws_instance.db"))] == ["new"]


def test_exemption_until_its_expiry_day_inclusive():
    result = run([finding()], [resource()], policy=exempt(expires="2026-06-15"))
    assert [f.status for f in result] == ["suppressed"]


def test_expired_exemption_is_reported_at_its_policy_line_and_suppresses_nothing():
    result = run([finding()], [resource()], policy=exempt(expires="2026-06-14"))
    assert [(f.rule, f.status) for f in result] == [("suppression", "new"), ("sizes", "new")]
    problem = result[0]
    assert (problem.file, problem.line, problem.severity, problem.resource) == (
        ".guardrails.yaml", 31, "warn", "aws_instance.web")
    assert "expired on 2026-06-14" in problem.message


def test_suppression_findings_are_never_suppressed():
    result = run(
        [finding()],
        [resource("aws_instance.web", directive("sizes"))],
        policy=exempt("*", "*"),
    )
    assert [(f.rule, f.status) for f in result] == [("suppression", "new"), ("sizes", "suppressed")]


def test_brackets_in_addresses_match_literally():
    assert address_matches('aws_instance.web["blue"]', 'aws_instance.web["blue"]')
    assert address_matches("aws_instance.web[0]", "aws_instance.web[*]")
    assert not address_matches("aws_instance.web0", "aws_instance.web[0]")
    assert not address_matches("aws_instance.Web", "aws_instance.web")


def test_result_is_sorted_and_deterministic():
    findings = [finding(line=30), finding(rule="tags", kind="required-tags", line=5),
                finding(line=12)]
    resources = [resource("aws_instance.web", directive("tags ok"))]
    first = run(findings, resources)
    assert first == run(list(reversed(findings)), resources)
    assert [f.line for f in first] == [5, 12, 30]
