"""A pull request must not judge itself: what it adds to silence findings is listed in every
format, and a policy can refuse inline suppressions altogether (real git repositories, real CLI)."""
import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import run

POLICY = """\
version: 1
rules:
  - {id: tags, type: required-tags, tags: [owner], match: {resources: [aws_instance]}}
"""
INSTANCE = '''{comment}resource "aws_instance" "{name}" {{
  count         = {count}
  ami           = "ami-1"
  instance_type = "t3.micro"
}}
'''


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def write(repo: Path, files: dict) -> None:
    for name, text in files.items():
        (repo / name).write_text(text)


@pytest.fixture
def repo(tmp_path):
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.email", "t@example.com")
    git(tmp_path, "config", "user.name", "t")
    write(tmp_path, {".guardrails.yaml": POLICY,
                     "main.tf": INSTANCE.format(comment="# guardrails:ignore tags legacy box\n", name="old", count=1)})
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "base")
    return tmp_path


def pull_request(repo: Path) -> None:
    """Adds an untagged pair of instances with an ignore comment, and an exemption of everything."""
    write(repo, {
        "main.tf": INSTANCE.format(comment="# guardrails:ignore tags legacy box\n", name="old", count=1)
        + INSTANCE.format(comment="# guardrails:ignore * load test, @platform see #12\n", name="new", count=2),
        ".guardrails.yaml": POLICY + 'exemptions:\n  - {rule: "*", resource: "*", reason: trust me}\n',
    })


def test_diff_lists_what_the_change_adds_to_silence_findings(repo):
    pull_request(repo)
    code, out, _ = run(["diff", "--base", "main", "--format", "json"], repo)
    report = json.loads(out)
    assert code == 0  # the head's own policy and comments silence everything...
    assert report["suppressions_added"] == [  # ...and the report says what did it
        {"file": ".guardrails.yaml", "line": 5, "resource": "*", "rules": ["*"], "reason": "trust me",
         "kind": "exemption", "honoured": True},
        {"file": "main.tf", "line": 7, "resource": "aws_instance.new[0]", "rules": ["*"],
         "reason": "load test, @platform see #12", "kind": "inline", "honoured": True},
    ]  # the base's comment is not listed, and the two instances of one block are one entry


def test_the_base_policy_does_not_hold_the_exemption_the_change_adds(repo):
    pull_request(repo)
    code, out, _ = run(["diff", "--base", "main", "--policy-from", "base", "--format", "json"], repo)
    report = json.loads(out)
    [exemption] = [s for s in report["suppressions_added"] if s["kind"] == "exemption"]
    assert exemption["honoured"] is False
    assert code == 0  # the inline `*` still silences the new instances: that is what deny is for


def test_inline_suppressions_deny_honours_none_and_says_so(repo):
    write(repo, {".guardrails.yaml": POLICY + "settings:\n  inline_suppressions: deny\n"})
    git(repo, "commit", "-q", "-am", "deny inline suppressions")
    pull_request(repo)
    code, out, _ = run(["diff", "--base", "main", "--policy-from", "base", "--format", "json"], repo)
    report = json.loads(out)
    assert code == 1
    assert sorted({(f["resource"], f["status"]) for f in report["findings"]}) == [
        ("aws_instance.new[0]", "new"), ("aws_instance.new[1]", "new"), ("aws_instance.old[0]", "existing")]
    assert {n["message"] for n in report["notes"] if n["file"] == "main.tf"} == {
        "line 1: guardrails:ignore tags is not honoured (settings.inline_suppressions: deny)",
        "line 7: guardrails:ignore * is not honoured (settings.inline_suppressions: deny)"}
    assert [s["honoured"] for s in report["suppressions_added"]] == [False, False]
    git(repo, "checkout", "-q", ".")  # the base alone: its own comment is not honoured either
    code, out, _ = run(["check", "."], repo)
    assert code == 1 and "guardrails:ignore tags is not honoured" in out


@pytest.mark.parametrize("fmt", ["text", "markdown", "github", "gitlab", "junit", "sarif"])
def test_every_format_shows_the_suppressions_added(repo, fmt):
    pull_request(repo)
    code, out, _ = run(["diff", "--base", "main", "--format", fmt], repo)
    inline = "the change adds guardrails:ignore * on aws_instance.new[0]"
    exemption = "the change adds an exemption of * from *: trust me"
    if fmt == "gitlab":
        issues = [i for i in json.loads(out) if i["check_name"] == "suppression-added"]
        assert [(i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues] == [
            (".guardrails.yaml", 5), ("main.tf", 7)]
        assert inline in issues[1]["description"]
    elif fmt == "junit":
        suite = next(s for s in ET.fromstring(out) if s.get("name") == "suppression-added")
        assert [c.find("skipped").get("message") for c in suite][0] == exemption
        assert suite.get("skipped") == "2"
    elif fmt == "sarif":
        results = [r for r in json.loads(out)["runs"][0]["results"] if r["ruleId"] == "suppression-added"]
        assert [(r["level"], r["message"]["text"]) for r in results][0] == ("note", exemption)
        assert len(results) == 2
    elif fmt == "github":
        assert "::warning file=main.tf,line=7,title=guardrails%3A suppression added::" + inline in out
    elif fmt == "markdown":
        assert "#### Suppressions this change adds (2)" in out
        assert "@platform" not in out and "@&#8203;platform" in out  # no one is pinged from the comment
    else:
        assert "Suppressions this change adds (2)" in out and inline in out and exemption in out


def test_a_diff_that_adds_none_has_an_empty_list_and_check_has_no_key(repo):
    code, out, _ = run(["diff", "--base", "main", "--format", "json"], repo)
    assert json.loads(out)["suppressions_added"] == []
    code, out, _ = run(["check", ".", "--format", "json"], repo)
    assert "suppressions_added" not in json.loads(out)
