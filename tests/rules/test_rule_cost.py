import pytest

from guardrails.core.costdiff import CostDiff, ResourceDelta
from guardrails.core.model import CostComponent, CostLine
from guardrails.core.policy import RuleConfig
from guardrails.rules import cost
from guardrails.rules.base import Context


def line(address, monthly, unpriced=None, file="main.tf", at=1):
    components = () if unpriced else (CostComponent("compute", "hours", 1, monthly),)
    return CostLine(address, address.split(".")[0], file, at, components=components, unpriced=unpriced)


def delta(address, before, after, summary="", file="main.tf", at=1, unpriced=None):
    """A resource priced at `before` and `after` (None: absent on that side)."""
    before_line = None if before is None else line(address, before, unpriced, file, at)
    after_line = None if after is None else line(address, after, unpriced, file, at)
    if before is None:
        change = "added"
    elif after is None:
        change = "removed"
    else:
        change = "unchanged" if before == after else "changed"
    return ResourceDelta(address, address.split(".")[0], change, file, at, before_line, after_line, summary)


def run(options, *resources, is_diff=True):
    rule = RuleConfig(id="budget", type="cost", severity="info", options=options)
    return list(cost.check_cost(rule, CostDiff(resources=resources), Context(), is_diff=is_diff))


WORKER = delta("aws_instance.worker", 70.08, 560.64, "m5.large -> m5.4xlarge", file="infra/main.tf", at=12)
DATA = delta("aws_ebs_volume.data", None, 70.08, file="infra/disk.tf", at=3)
BASE = delta("aws_db_instance.main", 1170.0, 1170.0)


def test_delta_fail_names_figure_and_drivers_largest_first():
    [finding] = run({"monthly_delta": {"warn": 100, "fail": 500}}, DATA, BASE, WORKER)
    assert finding.message == (
        "+$560.64/mo (+45.2%) is above the fail threshold of $500/mo: "
        "aws_instance.worker m5.large -> m5.4xlarge (+$490.56), aws_ebs_volume.data new (+$70.08)"
    )
    assert (finding.rule, finding.type, finding.severity, finding.status) == ("budget", "cost", "fail", "new")
    assert (finding.resource, finding.path, finding.file, finding.line) == (
        "aws_instance.worker", "monthly_delta", "infra/main.tf", 12)
    assert finding.fix == "review the change's cost; raise the threshold or add an exemption if it is intended"


def test_delta_between_warn_and_fail_warns():
    [finding] = run({"monthly_delta": {"warn": 100, "fail": 1000}}, DATA, BASE, WORKER)
    assert finding.severity == "warn"
    assert "above the warn threshold of $100/mo" in finding.message


def test_threshold_is_strictly_greater():
    exact = delta("aws_instance.a", 0.0, 100.0)
    assert run({"monthly_delta": {"warn": 100}}, exact) == []
    [finding] = run({"monthly_delta": {"warn": 99.99}}, exact)
    assert "threshold of $99.99/mo" in finding.message


def test_only_fail_or_only_warn_given():
    assert [f.severity for f in run({"monthly_delta": {"fail": 500}}, BASE, WORKER)] == []
    assert [f.severity for f in run({"monthly_delta": {"fail": 400}}, BASE, WORKER)] == ["fail"]
    assert [f.severity for f in run({"monthly_delta": {"warn": 400}}, BASE, WORKER)] == ["warn"]


def test_savings_never_trip_delta_thresholds():
    cheaper = delta("aws_instance.worker", 560.64, 70.08, "m5.4xlarge -> m5.large")
    options = {"monthly_delta": {"warn": 0, "fail": 0}, "monthly_delta_percent": {"warn": 0}}
    assert run(options, cheaper, BASE) == []


def test_zero_delta_does_not_cross_zero_threshold():
    assert run({"monthly_delta": {"fail": 0}}, BASE) == []


def test_percent_of_base_total():
    [finding] = run({"monthly_delta_percent": {"warn": 10, "fail": 50}}, DATA, BASE, WORKER)
    assert finding.severity == "warn"
    assert finding.path == "monthly_delta_percent"
    assert finding.message.startswith("+45.2% (+$560.64/mo) is above the warn threshold of 10%: aws_instance.worker")
    [finding] = run({"monthly_delta_percent": {"warn": 10, "fail": 45}}, DATA, BASE, WORKER)
    assert finding.severity == "fail"


def test_percent_skipped_when_base_costs_nothing():
    options = {"monthly_delta_percent": {"warn": 1, "fail": 1}, "monthly_delta": {"warn": 50}}
    [finding] = run(options, DATA)
    assert finding.path == "monthly_delta"
    # no percentage in the figure either: new infrastructure has none
    assert finding.message == "+$70.08/mo is above the warn threshold of $50/mo: aws_ebs_volume.data new (+$70.08)"


def test_delta_thresholds_need_a_diff():
    options = {"monthly_delta": {"fail": 1}, "monthly_delta_percent": {"fail": 1}}
    assert run(options, DATA, WORKER, is_diff=False) == []


def test_total_applies_without_a_diff_and_lists_costliest_resources():
    [finding] = run({"monthly_total": {"warn": 500}}, DATA, BASE, WORKER, is_diff=False)
    assert finding.path == "monthly_total"
    assert finding.resource == "aws_db_instance.main"
    assert finding.message == (
        "the monthly total of $1,800.72/mo is above the warn threshold of $500/mo: "
        "aws_db_instance.main ($1,170.00/mo), aws_instance.worker ($560.64/mo), aws_ebs_volume.data ($70.08/mo)"
    )


def test_total_in_a_diff_names_the_increases():
    [finding] = run({"monthly_total": {"warn": 1500, "fail": 5000}}, DATA, BASE, WORKER)
    assert (finding.severity, finding.status, finding.resource) == ("warn", "new", "aws_instance.worker")
    assert finding.message.endswith(": aws_instance.worker m5.large -> m5.4xlarge (+$490.56), aws_ebs_volume.data new (+$70.08)")


def test_total_already_over_before_the_change_is_existing():
    [finding] = run({"monthly_total": {"warn": 1000}}, BASE, WORKER)
    assert (finding.severity, finding.status) == ("warn", "existing")
    [finding] = run({"monthly_total": {"warn": 1000, "fail": 1500}}, BASE, WORKER)
    assert (finding.severity, finding.status) == ("fail", "new")  # the change raised the level


def test_total_without_drivers_points_nowhere():
    [finding] = run({"monthly_total": {"fail": 1000}}, BASE)
    assert (finding.resource, finding.file, finding.line) == ("", "", 0)
    assert finding.message == "the monthly total of $1,170.00/mo is above the fail threshold of $1,000/mo"


def test_resource_monthly_one_finding_per_resource_at_its_line():
    findings = run({"resource_monthly": {"warn": 500, "fail": 1000}}, DATA, BASE, WORKER)
    assert [(f.resource, f.severity, f.path, f.file, f.line, f.status) for f in findings] == [
        ("aws_instance.worker", "warn", "monthly", "infra/main.tf", 12, "new"),
        ("aws_db_instance.main", "fail", "monthly", "main.tf", 1, "existing"),
    ]
    assert findings[0].message == "$560.64/mo is above the warn threshold of $500/mo per resource"


def test_resource_monthly_without_a_diff_is_always_new():
    findings = run({"resource_monthly": {"fail": 1000}}, BASE, is_diff=False)
    assert [(f.resource, f.status) for f in findings] == [("aws_db_instance.main", "new")]


def test_resource_monthly_skips_removed_and_unpriced():
    gone = delta("aws_instance.old", 900.0, None)
    unknown = delta("aws_instance.gpu", None, 0, unpriced="instance type p5.48xlarge is not in the catalog")
    assert run({"resource_monthly": {"warn": 100}}, gone, unknown) == []


def test_more_than_three_drivers_are_summarised():
    many = [delta(f"aws_instance.n{i}", None, 100.0 + i) for i in range(5)]
    [finding] = run({"monthly_delta": {"fail": 10}}, *many)
    assert finding.message.endswith(
        ": aws_instance.n4 new (+$104.00), aws_instance.n3 new (+$103.00), aws_instance.n2 new (+$102.00) and 2 more")


def test_removed_and_changed_words_when_no_summary():
    grown = delta("aws_instance.a", 10.0, 200.0)
    gone = delta("aws_instance.b", 5.0, None)
    [finding] = run({"monthly_delta": {"fail": 10}}, grown, gone)
    # a saving is not what drove an increase
    assert finding.message == "+$185.00/mo (+1,233.3%) is above the fail threshold of $10/mo: aws_instance.a changed (+$190.00)"


def test_unpriced_resources_are_named_as_left_out():
    unknown = delta("aws_instance.gpu", None, 0, unpriced="not in the catalog")
    [finding] = run({"monthly_delta": {"fail": 10}}, DATA, unknown)
    assert finding.message.endswith("(+$70.08) (1 unpriced resource not counted)")


def test_severity_is_the_level_not_the_rule_severity():
    findings = run({"monthly_delta": {"warn": 1}, "monthly_total": {"fail": 1}}, DATA)
    assert sorted(f.severity for f in findings) == ["fail", "warn"]


@pytest.mark.parametrize("options, problem", [
    ({"monthly_delta": {"warn": "100"}}, "monthly_delta.warn must be a number"),
    ({"monthly_delta": {"fail": -1}}, "monthly_delta.fail must be a number of 0 or more"),
    ({"monthly_total": {"warn": True}}, "monthly_total.warn must be a number"),
    ({"resource_monthly": {"error": 1}}, "resource_monthly must be a mapping"),
    ({"monthly_delta_percent": 50}, "monthly_delta_percent must be a mapping"),
])
def test_bad_thresholds_name_rule_and_option(options, problem):
    with pytest.raises(ValueError, match=f"rule budget: {problem}"):
        run(options, DATA)


def test_per_resource_check_yields_nothing():
    rule = RuleConfig(id="budget", type="cost", options={"monthly_total": {"fail": 0}})
    assert list(cost.check(rule, [], Context())) == []


def test_docstring_has_the_explain_sections():
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
        assert section in cost.__doc__
    assert "new infrastructure has no percentage" in " ".join(cost.__doc__.split())
