"""JUnit XML as Jenkins, GitLab and Azure Pipelines read it.

One `<testsuite>` per policy rule, one `<testcase>` per rule and resource (named
"<rule> <resource>", its class the file), so the test tab lists what was judged and how:
- a `<failure>` when the testcase holds a finding that decides the verdict: a new finding at or
  above `--fail-on` (type "fail", or "warn" under `--fail-on warn`);
- a passing testcase with the text in `<system-out>` for warnings, info and existing findings:
  GitLab and Jenkins know only passed, failed, errored and skipped, and a warning that does not
  fail the pipeline must not show as a failed test;
- `<skipped>` when every finding of the testcase is suppressed;
- input errors as testcases with an `<error>`, in a suite of their own.
Every finding of the testcase is listed in the failure's text or the system-out. The counts on
each suite and on `<testsuites>` are those of the testcases below them. Resources without
findings are not in the report, so they are not testcases.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import groupby
from typing import Sequence

from guardrails.core.model import Finding, InputError, Report
from guardrails.report.added import RULE_ID, describe, where

ERRORS_SUITE = "guardrails input errors"  # a space: no rule id can take this name
# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SEVERITY_ORDER = {"fail": 0, "warn": 1, "info": 2}


def clean(value: str) -> str:
    """Text XML can hold: characters it forbids become U+FFFD."""
    return _NOT_XML.sub("\ufffd", value)


def blocks(finding: Finding, fail_on: str) -> bool:
    """Whether the finding alone would fail the run, as the verdict decides it."""
    blocking = ("fail",) if fail_on == "fail" else ("fail", "warn")
    return finding.status == "new" and finding.severity in blocking


def render(report: Report, color: bool = False) -> str:
    root = ET.Element("testsuites", name="guardrails")
    by_rule = sorted(report.findings, key=lambda f: (f.rule, f.file, f.resource, f.sort_key()))
    for rule, findings in groupby(by_rule, key=lambda f: f.rule):
        suite = _suite(root, rule)
        for _, group in groupby(findings, key=lambda f: (f.file, f.resource)):
            _testcase(suite, list(group), report.fail_on)
        _count(suite)
    if report.suppressions_added:
        # Skipped testcases: a suppression is a check the change asks not to run.
        suite = _suite(root, RULE_ID)
        for added in report.suppressions_added:
            case = ET.SubElement(suite, "testcase", name=clean(f"{RULE_ID} {where(added)}"),
                                 classname=clean(_classname(added.file)))
            ET.SubElement(case, "skipped", message=clean(describe(added)))
        _count(suite)
    if report.errors:
        suite = _suite(root, ERRORS_SUITE)
        for error in sorted(report.errors, key=InputError.sort_key):
            _error_testcase(suite, error)
        _count(suite)
    for name in ("tests", "failures", "errors", "skipped"):
        root.set(name, str(sum(int(s.get(name, "0")) for s in root)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _suite(root: ET.Element, name: str) -> ET.Element:
    return ET.SubElement(root, "testsuite", name=clean(name))


def _count(suite: ET.Element) -> None:
    cases = suite.findall("testcase")
    suite.set("tests", str(len(cases)))
    for count, child in (("failures", "failure"), ("errors", "error"), ("skipped", "skipped")):
        suite.set(count, str(sum(1 for case in cases if case.find(child) is not None)))


def _testcase(suite: ET.Element, findings: Sequence[Finding], fail_on: str) -> None:
    findings = sorted(findings, key=lambda f: (not blocks(f, fail_on), f.status == "suppressed",
                                               _SEVERITY_ORDER.get(f.severity, 3), f.sort_key()))
    first = findings[0]
    case = ET.SubElement(suite, "testcase", name=clean(f"{first.rule} {first.resource}".strip()),
                         classname=clean(_classname(first.file)))
    if first.file and first.file != "-":
        case.set("file", clean(first.file))
        lines = [f.line for f in findings if f.line > 0]
        if lines:
            case.set("line", str(min(lines)))
    text = "\n".join(_describe(f) for f in findings)
    failing = [f for f in findings if blocks(f, fail_on)]
    if failing:
        what = failing[0].message if len(failing) == 1 else f"{len(failing)} problems, first: {failing[0].message}"
        failure = ET.SubElement(case, "failure", message=clean(what), type=failing[0].severity)
        failure.text = clean(text)
    elif all(f.status == "suppressed" for f in findings):
        ET.SubElement(case, "skipped", message=clean(f"suppressed: {first.message}"))
        if len(findings) > 1:
            ET.SubElement(case, "system-out").text = clean(text)
    else:
        ET.SubElement(case, "system-out").text = clean(text)


def _error_testcase(suite: ET.Element, error: InputError) -> None:
    where = f"{error.file}:{error.line}" if error.line > 0 else error.file
    case = ET.SubElement(suite, "testcase", name=clean(f"input error {where}"), classname=clean(_classname(error.file)))
    if error.file and error.file != "-":
        case.set("file", clean(error.file))
        if error.line > 0:
            case.set("line", str(error.line))
    ET.SubElement(case, "error", message=clean(error.message), type="input-error").text = clean(f"{where}: {error.message}")


def _classname(file: str) -> str:
    if file == "-":
        return "stdin"
    return file or "guardrails"


def _describe(finding: Finding) -> str:
    where = finding.file if finding.line <= 0 else f"{finding.file}:{finding.line}"
    head = f"{finding.severity.upper()} ({finding.status}) {where}"
    if finding.path:
        head += f" {finding.path}"
    line = f"{head}: {finding.message}"
    if finding.fix:
        line += f" Fix: {finding.fix}"
    return line
