"""FinOps figures end to end, through the real CLI on real git repositories: untagged spend."""
import json
import subprocess
from pathlib import Path

import pytest

from conftest import run

M = 730
M5_LARGE, M5_XLARGE = 0.096, 0.192  # us-east-1 Linux on-demand, the bundled karpenter table
ROOT = 8 * 0.10  # the assumed 8 GB gp2 root volume of each instance
POLICY = """\
version: 1
rules:
  - {id: owner, type: required-tags, tags: [owner], values: {team: [payments, search]}}
  - {id: budget, type: cost, untagged_percent: {warn: 5, fail: 50}}
"""
TAGGED = '''resource "aws_instance" "tagged" {
  ami           = "ami-1"
  instance_type = "m5.large"
  tags          = { owner = "payments" }
}
'''
LOOSE = '''resource "aws_instance" "loose" {
  ami           = "ami-1"
  instance_type = "m5.xlarge"
}
'''
PROVIDER = 'provider "aws" {\n  region = "us-east-1"\n}\n'


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def init(repo: Path) -> Path:
    """An empty repository on branch main, with an identity to commit as."""
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "t@example.com")
    git(repo, "config", "user.name", "t")
    return repo


def commit(repo: Path, files: dict) -> None:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "change")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    init(tmp_path)
    commit(tmp_path, {".guardrails.yaml": POLICY, "main.tf": PROVIDER + TAGGED})
    return tmp_path


def report(args: list[str], cwd: Path) -> tuple[int, dict]:
    code, out, err = run([*args, "--format", "json"], cwd)
    assert out, err
    return code, json.loads(out)


def test_cost_says_how_much_spend_lacks_the_owner_tags(repo: Path) -> None:
    (repo / "loose.tf").write_text(LOOSE)
    code, found = report(["cost", "."], repo)
    loose, tagged = round(M * M5_XLARGE + ROOT, 2), round(M * M5_LARGE + ROOT, 2)
    untagged = found["cost"]["untagged"]
    assert untagged == {
        "tags": ["owner", "team"],
        "monthly": {"before": None, "after": loose, "delta": None},
        "percent": {"before": None, "after": round(loose / (loose + tagged) * 100, 2), "delta": None},
        "resources": ["aws_instance.loose"],
    }
    # 66.5% is past the fail threshold of 50: the run fails, at the costliest untagged resource.
    (finding,) = [f for f in found["findings"] if f["path"] == "untagged_percent"]
    assert code == 1 and finding["severity"] == "fail" and finding["resource"] == "aws_instance.loose"
    assert finding["message"] == (
        f"66.5% of the monthly total (${loose:,.2f} of ${loose + tagged:,.2f}/mo) is on resources without the tags "
        f"owner, team, above the fail threshold of 50%: aws_instance.loose (${loose:,.2f}/mo)")
    code, out, _ = run(["cost", "."], repo)
    assert f"Untagged (no owner, team): ${loose:,.2f}/month (66.5% of the total) on 1 resource." in out


def test_a_refused_value_is_untagged_and_an_unevaluated_one_is_not(repo: Path) -> None:
    (repo / "more.tf").write_text(
        'variable "team" {\n  type = string\n}\n'
        'resource "aws_instance" "wrong_team" {\n  instance_type = "m5.large"\n'
        '  tags = { owner = "x", team = "marketing" }\n}\n'
        'resource "aws_instance" "unknown_team" {\n  instance_type = "m5.large"\n'
        '  tags = { owner = "x", team = var.team }\n}\n')
    _, found = report(["cost", "."], repo)
    assert found["cost"]["untagged"]["resources"] == ["aws_instance.wrong_team"]


def test_exemptions_silence_the_finding_not_the_untagged_figure(repo: Path) -> None:
    (repo / "loose.tf").write_text(LOOSE)
    (repo / ".guardrails.yaml").write_text(POLICY + "exemptions:\n  - {rule: owner, resource: aws_instance.loose, "
                                                    "reason: 'shared sandbox', expires: 2099-01-01}\n")
    _, found = report(["cost", "."], repo)
    assert found["cost"]["untagged"]["resources"] == ["aws_instance.loose"]


def test_no_tag_rule_means_no_untagged_figure_and_the_option_says_it_judges_nothing(repo: Path) -> None:
    (repo / ".guardrails.yaml").write_text("version: 1\nrules:\n  - {id: budget, type: cost, "
                                           "untagged_percent: {fail: 5}}\n")
    (repo / "loose.tf").write_text(LOOSE)
    code, found = report(["cost", "."], repo)
    assert found["cost"]["untagged"] is None
    (finding,) = found["findings"]
    assert code == 0 and finding["severity"] == "warn"
    assert finding["message"].startswith("untagged_percent judges nothing: the policy has no required-tags rule")
    assert finding["file"] == ".guardrails.yaml" and finding["line"] == 3


def test_diff_reports_untagged_spend_before_and_after(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    commit(repo, {"loose.tf": LOOSE})
    code, found = report(["diff", "--base", "main"], repo)
    loose, tagged = round(M * M5_XLARGE + ROOT, 2), round(M * M5_LARGE + ROOT, 2)
    untagged = found["cost"]["untagged"]
    assert untagged["monthly"] == {"before": 0.0, "after": loose, "delta": loose}
    assert untagged["percent"] == {"before": 0.0, "after": round(loose / (loose + tagged) * 100, 2),
                                   "delta": round(loose / (loose + tagged) * 100, 2)}
    assert code == 1
    code, out, _ = run(["diff", "--base", "main"], repo)
    assert f"Untagged (no owner, team): $0.00 (0.0% of the total) -> ${loose:,.2f} (66.5% of the total) " \
           f"(+${loose:,.2f}) on 1 resource" in out
    code, out, _ = run(["diff", "--base", "main", "--format", "markdown"], repo)
    assert "Untagged (no owner, team)" in out


def test_a_share_the_base_already_had_is_existing_and_does_not_block(repo: Path) -> None:
    commit(repo, {"loose.tf": LOOSE})
    git(repo, "checkout", "-q", "-b", "feature")
    commit(repo, {"main.tf": PROVIDER + TAGGED.replace("ami-1", "ami-2")})  # same share, same level
    code, found = report(["diff", "--base", "main"], repo)
    (finding,) = [f for f in found["findings"] if f["path"] == "untagged_percent"]
    assert finding["status"] == "existing" and code == 0


def test_a_kubernetes_workload_without_the_label_is_untagged_spend(tmp_path: Path) -> None:
    (tmp_path / ".guardrails.yaml").write_text("version: 1\nrules:\n  - {id: owner, type: required-tags, tags: [owner]}\n")
    (tmp_path / "web.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, labels: {app: web}}\n"
        "spec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n"
        "        - name: web\n          image: nginx\n          resources: {requests: {cpu: '1', memory: 1Gi}}\n")
    _, found = report(["cost", "."], tmp_path)
    pods = round(2 * M * (0.031611 + 0.004237), 2)  # OpenCost's default rates
    assert found["cost"]["untagged"]["monthly"]["after"] == pods
    assert found["cost"]["untagged"]["resources"] == ["Deployment/default/web"]


GROUP = '''resource "aws_launch_template" "web" {{
  instance_type = "m5.large"
}}
resource "aws_autoscaling_group" "web" {{
  min_size         = 2
  desired_capacity = 2
  max_size         = {cap}
  launch_template {{
    id = aws_launch_template.web.id
  }}
  tag {{
    key                 = "owner"
    value               = "web"
    propagate_at_launch = true
  }}
}}
'''
ONE = M * M5_LARGE + ROOT


def test_a_pull_request_that_only_raises_a_cap_fails_on_worst_case_delta(tmp_path: Path) -> None:
    init(tmp_path)
    commit(tmp_path, {".guardrails.yaml": "version: 1\nrules:\n  - {id: budget, type: cost, monthly_delta: {fail: 100}, "
                                          "worst_case_delta: {warn: 500, fail: 1000}}\n",
                      "main.tf": PROVIDER + GROUP.format(cap=10)})
    git(tmp_path, "checkout", "-q", "-b", "bigger")
    commit(tmp_path, {"main.tf": PROVIDER + GROUP.format(cap=40)})
    code, found = report(["diff", "--base", "main", "--policy-from", "base"], tmp_path)
    cost = found["cost"]
    assert cost["monthly"] == {"before": round(2 * ONE, 2), "after": round(2 * ONE, 2), "delta": 0.0}
    added = round(40 * ONE, 2) - round(10 * ONE, 2)
    assert cost["worst_case"] == {"before": round(10 * ONE, 2), "after": round(40 * ONE, 2), "delta": round(added, 2)}
    (group,) = [r for r in cost["resources"] if r["address"] == "aws_autoscaling_group.web"]
    assert group["worst_case"] == {"before": round(10 * ONE, 2), "after": round(40 * ONE, 2), "delta": round(added, 2)}
    (finding,) = found["findings"]
    assert code == 1 and finding["severity"] == "fail" and finding["path"] == "worst_case_delta"
    assert finding["message"] == (f"+${added:,.2f}/mo at full scale is above the fail threshold of $1,000/mo: "
                                  f"aws_autoscaling_group.web max_size 10 -> 40 (+${added:,.2f})")
    _, text, _ = run(["diff", "--base", "main"], tmp_path)
    assert f"Worst case at full scale: ${10 * ONE:,.2f} -> ${40 * ONE:,.2f} (+${added:,.2f})" in text
    assert "max_size 10 -> 40" in text  # the row is shown though its monthly cost did not move
    _, markdown, _ = run(["diff", "--base", "main", "--format", "markdown"], tmp_path)
    assert f"**Worst case at full scale: \\${10 * ONE:,.2f} → \\${40 * ONE:,.2f} (+\\${added:,.2f}).**" in markdown


def test_cost_shows_the_worst_case_beside_the_monthly_figure(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(PROVIDER + GROUP.format(cap=6))
    (tmp_path / ".guardrails.yaml").write_text("version: 1\nrules:\n  - {id: budget, type: cost, "
                                               "worst_case_monthly: {warn: 300}}\n")
    code, found = report(["cost", "."], tmp_path)
    assert found["cost"]["worst_case"] == {"before": None, "after": round(6 * ONE, 2), "delta": None}
    (finding,) = found["findings"]
    assert code == 0 and finding["severity"] == "warn" and finding["path"] == "worst_case_monthly"
    _, text, _ = run(["cost", "."], tmp_path)
    assert f"at full scale: ${6 * ONE:,.2f}/mo" in text
    assert f"Worst case at full scale: ${6 * ONE:,.2f}/month." in text


TEAMS = PROVIDER + '''resource "aws_instance" "pay1" {
  instance_type = "m5.xlarge"
  tags          = { team = "payments" }
}
resource "aws_instance" "pay2" {
  instance_type = "m5.large"
  tags          = { team = "payments" }
}
resource "aws_instance" "search" {
  instance_type = "m5.large"
  tags          = { team = "search" }
}
resource "aws_instance" "nobody" {
  instance_type = "m5.large"
}
'''
BUDGETS = """version: 1
rules:
  - id: team-budgets
    type: cost
    group_by: tag:team
    monthly_total: {warn: 50}
    groups:
      payments: {monthly_total: {fail: 200}}
      ghost: {monthly_total: {fail: 1}}
"""
LARGE, XLARGE = M * M5_LARGE + ROOT, M * M5_XLARGE + ROOT


def test_group_by_totals_the_cost_per_team_and_budgets_judge_each_group(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(TEAMS)
    (tmp_path / ".guardrails.yaml").write_text(BUDGETS)
    code, found = report(["cost", ".", "--group-by", "tag:team"], tmp_path)
    assert found["cost"]["group_by"] == "team"
    def group(key, after, count):
        return {"key": key, "monthly": {"before": None, "after": after, "delta": None},
                "worst_case": {"before": None, "after": after, "delta": None}, "resources": count, "unknown": 0}

    assert found["cost"]["groups"] == [
        group("payments", round(LARGE + XLARGE, 2), 2),
        group("search", round(LARGE, 2), 1),
        group(None, round(LARGE, 2), 1),
    ]  # costliest first; on a tie, the resources without the tag come last
    by_path = {f["path"]: f for f in found["findings"]}
    # payments' own budget (fail at $200) replaces the rule's; the others get the rule's warn at $50.
    assert by_path["groups.payments.monthly_total"]["severity"] == "fail"
    assert by_path["groups.payments.monthly_total"]["resource"] == "aws_instance.pay1"
    assert by_path["groups.payments.monthly_total"]["message"] == (
        f"team payments: the monthly total of ${LARGE + XLARGE:,.2f}/mo is above the fail threshold of $200/mo: "
        f"its largest is aws_instance.pay1 (${XLARGE:,.2f}/mo)")
    assert by_path["groups.(none).monthly_total"]["message"].startswith("resources without team: ")
    assert by_path["groups.search.monthly_total"]["severity"] == "warn"
    assert code == 1
    notes = [n["message"] for n in found["notes"]]
    assert "line 3: rule team-budgets: a budget for team ghost, but no resource has team=ghost" in notes
    _, text, _ = run(["cost", ".", "--group-by", "tag:team"], tmp_path)
    assert "By team:\n" in text
    assert f"  payments        ${LARGE + XLARGE:,.2f}/month  2 resources\n" in text
    assert f"  (no team)        ${LARGE:,.2f}/month  1 resource\n" in text


def test_diff_groups_each_side_by_its_own_tags(tmp_path: Path) -> None:
    init(tmp_path)
    commit(tmp_path, {"main.tf": TEAMS})
    git(tmp_path, "checkout", "-q", "-b", "move")
    commit(tmp_path, {"main.tf": TEAMS.replace('tags          = { team = "search" }', 'tags          = { team = "payments" }')})
    _, found = report(["diff", "--base", "main", "--group-by", "tag:team"], tmp_path)
    groups = {g["key"]: g["monthly"] for g in found["cost"]["groups"]}
    assert groups["payments"] == {"before": round(LARGE + XLARGE, 2), "after": round(2 * LARGE + XLARGE, 2),
                                  "delta": round(LARGE, 2)}
    assert groups["search"] == {"before": round(LARGE, 2), "after": 0.0, "delta": round(-LARGE, 2)}
    _, markdown, _ = run(["diff", "--base", "main", "--group-by", "tag:team", "--format", "markdown"], tmp_path)
    assert "| team | Before | After | Delta | Resources |" in markdown


@pytest.mark.parametrize("value", ["team", "label:team", "tag:", "tag: "])
def test_group_by_anything_but_tag_name_is_a_usage_error(tmp_path: Path, value: str) -> None:
    (tmp_path / "main.tf").write_text(TEAMS)
    code, _, err = run(["cost", ".", "--group-by", value], tmp_path)
    assert code == 2 and "expected tag:NAME" in err


def test_a_bad_group_by_or_groups_without_it_is_a_policy_error_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(TEAMS)
    (tmp_path / ".guardrails.yaml").write_text("version: 1\nrules:\n  - id: b\n    type: cost\n"
                                               "    groups: {payments: {monthly_total: {warn: 9, fail: 1}}}\n")
    code, _, err = run(["cost", "."], tmp_path)
    assert code == 2
    assert "groups needs group_by: tag:NAME" in err and "warn threshold 9 is above fail threshold 1" in err
