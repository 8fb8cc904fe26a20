"""One line of a pull request must not hold a CI job: every evaluation is bounded, and running out
of a bound is an input error at the file and line that ran out (the real CLI, small fixtures)."""
import json
import subprocess

import pytest

from conftest import run, write_tree

INSTANCE = 'resource "aws_instance" "a" {{\n  instance_type = "t3.micro"\n  tags = {{ n = {value} }}\n}}\n'


def doubling(n: int) -> str:
    return "locals {\n  a0 = \"xx\"\n" + "".join(f'  a{i} = "${{local.a{i - 1}}}${{local.a{i - 1}}}"\n'
                                              for i in range(1, n + 1)) + "}\n"


def squaring(n: int) -> str:
    return "locals {\n  s0 = 3\n" + "".join(f"  s{i} = local.s{i - 1} * local.s{i - 1}\n" for i in range(1, n + 1)) + "}\n"


CASES = {
    "nested for over range(1024) three deep": (
        {"main.tf": "locals { x = [for i in range(1024) : [for j in range(1024) : [for k in range(1024) : k]]] }\n"
                    + INSTANCE.format(value="length(local.x)")},
        ("main.tf", 1, "the expressions of this module build more than 2,000,000 collection elements")),
    "40 locals each doubling the last": (
        {"main.tf": doubling(40) + INSTANCE.format(value="length(local.a40)")},
        ("main.tf", 26, "a string of 33,554,432 characters is longer than the 16,777,216 guardrails builds")),
    "29 squarings": (
        {"main.tf": squaring(29) + INSTANCE.format(value="local.s29")},
        ("main.tf", 11, "a number beyond 512 bits, more than guardrails computes with exactly")),
    "join over 1024 reads of a 4 MiB file": (
        {"big.txt": "x" * (4 << 20),
         "main.tf": 'locals { j = join("", [for i in range(1024) : file("${path.module}/big.txt")]) }\n'
                    + INSTANCE.format(value="length(local.j)")},
        ("main.tf", 1, "the expressions of this module build more than 67,108,864 characters of strings")),
    "an expression nested 300 deep": (
        {"main.tf": "locals {\n  x = " + "[" * 300 + "]" * 300 + "\n}\n" + INSTANCE.format(value="length(local.x)")},
        ("main.tf", 2, "an expression nested more than 200 levels deep")),
    "a 100,000-digit number": (
        {"main.tf": INSTANCE.format(value="9" * 100_000)},
        ("main.tf", 3, "a number of 100,000 digits, beyond the 512 bits guardrails computes with")),
    "a 100,000-digit number in .tf.json": (
        {"main.tf.json": '{"resource": {"aws_instance": {"a": {"count": ' + "9" * 100_000 + "}}}}"},
        ("main.tf.json", 1, "cannot parse Terraform: a number of 100,000 digits, more than guardrails reads")),
    ".tf.json nested 10,000 deep": (
        {"main.tf.json": '{"resource": {"aws_instance": {"a": {"tags": ' + "[" * 10_000 + "]" * 10_000 + "}}}}"},
        ("main.tf.json", 1, "cannot parse Terraform: JSON nested too deeply to read (more than about 1,000 levels)")),
}


@pytest.mark.parametrize("files, error", CASES.values(), ids=CASES.keys())
def test_unbounded_work_ends_in_an_input_error_at_its_line(tmp_path, files, error):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)  # file() reads what git would list
    write_tree(tmp_path, files)
    code, out, err = run(["check", ".", "--format", "json", "--no-cache"], tmp_path)
    assert code == 2, err
    report = json.loads(out)
    assert [(e["file"], e["line"], e["message"]) for e in report["errors"]] == [error]
    assert report["verdict"] == "incomplete"


def test_a_plan_with_a_100000_digit_number_is_an_input_error_at_its_line(tmp_path):
    plan = '{\n"format_version": "1.2",\n"planned_values": {"root_module": {"resources": [\n' + "9" * 100_000 + "]}}}"
    write_tree(tmp_path, {".git/HEAD": "", "plan.json": plan})
    code, out, _ = run(["check", "plan.json", "--format", "json"], tmp_path)
    assert code == 2
    assert json.loads(out)["errors"] == [
        {"file": "plan.json", "line": 4, "message": "a number of 100,000 digits, more than guardrails reads"}]


def test_the_other_roots_are_still_evaluated_when_one_runs_out(tmp_path):
    write_tree(tmp_path, {".git/HEAD": "", "bomb/main.tf": squaring(29) + INSTANCE.format(value="local.s29"),
                          "fine/main.tf": INSTANCE.format(value='"x"')})
    code, out, _ = run(["check", ".", "--format", "json"], tmp_path)
    report = json.loads(out)
    assert [e["file"] for e in report["errors"]] == ["bomb/main.tf"]
    assert any(f["file"] == "fine/main.tf" for f in report["findings"])


def test_a_policy_regex_that_could_backtrack_exponentially_is_a_policy_error(tmp_path):
    write_tree(tmp_path, {
        ".git/HEAD": "",
        ".guardrails.yaml": 'version: 1\nrules:\n  - {id: t, type: required-tags, tags: [team], values: {team: "(a+)+$"}}\n',
        "main.tf": 'resource "aws_instance" "a" {\n  tags = { team = "' + "a" * 41 + '!" }\n}\n'})
    code, _, err = run(["check", "."], tmp_path)
    assert code == 2
    assert err.strip() == ("guardrails: error: .guardrails.yaml:3: rules[0].values.team: '(a+)+$' is not a valid "
                           "regex: a repeated group that itself repeats or alternates could backtrack exponentially")


def test_a_tag_too_long_to_match_in_bounded_time_is_not_judged(tmp_path):
    write_tree(tmp_path, {
        ".git/HEAD": "",
        ".guardrails.yaml": 'version: 1\nrules:\n  - {id: t, type: required-tags, tags: [team], values: {team: "a*a*a*a*a*a*b"}}\n',
        "main.tf": 'resource "aws_instance" "a" {\n  tags = { team = "' + "a" * 5000 + '" }\n}\n'})
    code, out, _ = run(["check", ".", "--format", "json"], tmp_path)
    [finding] = json.loads(out)["findings"]
    assert finding["message"].startswith("tag team cannot be checked: tag team is not matched: this pattern could "
                                         "backtrack too long")


def test_ordinary_modules_stay_far_inside_the_budget(tmp_path, monkeypatch):
    # 60 resources over locals, for expressions and templates use a sliver of each bound.
    from guardrails.terraform import budget as budget_module, loader as terraform
    from conftest import load_tf

    made = []

    def start():
        made.append(budget_module.start())
        return made[-1]

    monkeypatch.setattr(terraform, "start_budget", start)
    body = "locals {\n  names = [for i in range(60) : \"web-${i}\"]\n  tags = { for n in local.names : n => upper(n) }\n}\n"
    body += 'resource "aws_instance" "w" {\n  for_each = toset(local.names)\n  instance_type = "t3.micro"\n  tags = local.tags\n}\n'
    write_tree(tmp_path, {"main.tf": body})
    result = load_tf(tmp_path)
    assert result.errors == [] and len(result.resources) == 60
    used = made[0]
    assert 0 < budget_module.MAX_STEPS - used.steps < budget_module.MAX_STEPS // 100
    assert 0 < budget_module.MAX_ITEMS - used.items < budget_module.MAX_ITEMS // 100


def test_lines_of_a_large_tf_json_are_found_in_one_pass(tmp_path):
    # 5,000 resources, one per line; a name repeated under two types maps in order; an escaped key.
    resources = {f"r{i}": {"instance_type": "t3.micro"} for i in range(5_000)}
    text = '{"resource": {"aws_instance": {\n' + ",\n".join(
        f'"{name}": {json.dumps(body)}' for name, body in resources.items())
    text += '\n}, "aws_ebs_volume": {\n"r5": {"size": 1},\n"\\u0078y": {"size": 2}\n}}}\n'
    from guardrails.terraform.source import parse_json_file

    lines = {(b.labels[0], b.labels[1]): b.line for b in parse_json_file(text, "main.tf.json").blocks}
    assert lines[("aws_instance", "r0")] == 2 and lines[("aws_instance", "r4999")] == 5_001
    assert lines[("aws_ebs_volume", "r5")] == 5_003
    assert lines[("aws_ebs_volume", "xy")] == 5_004
