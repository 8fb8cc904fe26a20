"""SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`).

One run. The driver lists every rule of the policy, so that code scanning can tell "this rule ran
and found nothing" (and close its alerts) from "this rule is gone".

What GitHub needs beyond the schema, and how this file meets it:
- Every result must have a physical location with a file URI, or GitHub rejects the whole upload.
  Findings without a file in the repository (standard input, `-`) are therefore not results but
  tool notifications of the run's invocation, with their rule and text.
- Suppressed findings are left out: GitHub does not honour `result.suppressions` and would open
  an alert for each. `run.properties.suppressed` says how many there were.
- At most 25,000 results per run and 10 MB per file: the least important findings (existing
  before new, info before warn before fail) are cut, and a notification and
  `run.properties.omitted` say how many.
- `partialFingerprints["guardrails/v1"]` hashes the rule, file, resource and attribute path, not
  the line, so an alert survives lines moving above it.
- `level` is the rule's severity (fail -> error, warn -> warning, info -> note) even for an
  existing finding: the problem is the same, and GitHub only blocks a pull request on alerts the
  pull request introduces. `baselineState` ("new" or "unchanged") says which ones those are, when
  the report compares two revisions.
- No `security` tag: these are policy and cost rules, and that tag would put them among
  security alerts with a `security-severity` they do not have.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any, Iterable, Mapping
from urllib.parse import quote

from guardrails import __version__
from guardrails.core.model import AddedSuppression, Finding, InputError, Report
from guardrails.report.added import RULE_ID as ADDED_RULE, describe as describe_added

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/guardrails-iac/"
FINGERPRINT_KEY = "guardrails/v1"
MAX_RESULTS = 25_000
MAX_BYTES = 10_000_000  # GitHub's limit applies to the gzipped upload; the raw size is a safe bound
LEVELS = {"fail": "error", "warn": "warning", "info": "note"}
_SEVERITY_ORDER = {"fail": 0, "warn": 1, "info": 2}
_SRCROOT = "%SRCROOT%"
# RFC 3986 path characters, less ":" (a colon in the first segment would read as a URI scheme).
_URI_SAFE = "/-._~!$&'()*+,;=@"


def fingerprint(finding: Finding, occurrence: int = 0) -> str:
    """A hash of what the finding is about, not where its line is; `occurrence` tells repeats apart."""
    parts = [finding.rule, finding.file, finding.resource, finding.path]
    if occurrence:
        parts.append(str(occurrence))
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def fingerprints(findings: Iterable[Finding]) -> list[str]:
    """One fingerprint per finding, unique within the list even for identical findings."""
    seen: dict[tuple[str, str, str, str], int] = {}
    out = []
    for finding in findings:
        key = (finding.rule, finding.file, finding.resource, finding.path)
        out.append(fingerprint(finding, seen.get(key, 0)))
        seen[key] = seen.get(key, 0) + 1
    return out


def has_file(finding: Finding | InputError | AddedSuppression) -> bool:
    """Whether the finding points into a file of the repository (standard input does not)."""
    return bool(finding.file) and finding.file != "-"


def uri(path: str) -> str:
    """A repository-relative path as a relative URI reference: forward slashes, no `./`, escaped."""
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return quote(path.lstrip("/"), safe=_URI_SAFE)


def rank(finding: Finding) -> tuple:
    """What is kept first when results must be cut: new before existing, then by severity."""
    return (finding.status != "new", _SEVERITY_ORDER.get(finding.severity, 3), finding.sort_key())


def render(report: Report, color: bool = False) -> str:
    active = [f for f in report.findings if f.status != "suppressed"]
    located = [f for f in active if has_file(f)]
    prints = fingerprints(located)
    order = sorted(range(len(located)), key=lambda i: rank(located[i]))
    keep = min(len(located), MAX_RESULTS)
    text = _dump(_log(report, located, prints, set(order[:keep])))
    if len(text.encode("utf-8")) > MAX_BYTES:
        low, high = 0, keep  # the most results that fit lie in [low, high)
        while high - low > 1:
            middle = (low + high) // 2
            size = len(_dump(_log(report, located, prints, set(order[:middle]))).encode("utf-8"))
            low, high = (middle, high) if size <= MAX_BYTES else (low, middle)
        text = _dump(_log(report, located, prints, set(order[:low])))
    return text


def _dump(log: Mapping[str, Any]) -> str:
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _log(report: Report, located: list[Finding], prints: list[str], kept: set[int]) -> dict[str, Any]:
    rules, index = _rules(report)
    comparing = bool(report.change) or any(f.status == "existing" for f in report.findings)
    results = [_result(f, index[f.rule], prints[i], comparing) for i, f in enumerate(located) if i in kept]
    results += [_added_result(a, index[ADDED_RULE]) for a in report.suppressions_added or () if has_file(a)]
    unlocated = [f for f in report.findings if f.status != "suppressed" and not has_file(f)]
    omitted = len(located) - len(kept)
    notifications = [_error_notification(e) for e in report.errors]
    notifications += [_unlocated_notification(f, index[f.rule]) for f in unlocated]
    if omitted:
        notifications.append({
            "level": "warning",
            "descriptor": {"id": "guardrails/results-cut"},
            "message": {"text": f"{omitted:,} of {len(located):,} findings are left out of this file: GitHub code "
                                f"scanning takes at most {MAX_RESULTS:,} results per run and {MAX_BYTES // 1_000_000} "
                                "MB per file. The JSON report (--format json) has them all."},
        })
    invocation: dict[str, Any] = {"executionSuccessful": not report.errors}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "guardrails", "version": __version__, "semanticVersion": __version__,
                            "informationUri": INFORMATION_URI, "rules": rules}},
        "invocations": [invocation],
        "results": results,
        "properties": {
            "verdict": report.verdict,
            "failOn": report.fail_on,
            "resourcesChecked": report.resources_checked,
            "suppressed": sum(1 for f in report.findings if f.status == "suppressed"),
            "withoutFile": len(unlocated),
            "omitted": omitted,
        },
    }
    if report.change:
        run["properties"]["change"] = dict(report.change)
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _rules(report: Report) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The driver's rules sorted by id, and each id's index: the policy's, plus any only a finding names."""
    described: dict[str, Mapping[str, str]] = dict(report.rules)
    for finding in report.findings:
        if finding.rule not in described:
            described[finding.rule] = {"type": finding.type, "severity": finding.severity}
    if report.suppressions_added:
        described[ADDED_RULE] = {"type": ADDED_RULE, "severity": "info",
                                 "description": "A suppression or exemption the change adds."}
    ids = sorted(described)
    return [_rule(rule_id, described[rule_id]) for rule_id in ids], {rule_id: i for i, rule_id in enumerate(ids)}


def _rule(rule_id: str, info: Mapping[str, str]) -> dict[str, Any]:
    rule_type = info.get("type") or rule_id
    description = (info.get("description") or "").strip()
    doc = (info.get("help") or "").strip()
    summary = description or (doc.splitlines()[0] if doc else f"guardrails {rule_type} rule")
    return {
        "id": rule_id,
        "shortDescription": {"text": description.splitlines()[0] if description else rule_type},
        "fullDescription": {"text": summary},
        "help": {"text": doc or summary, "markdown": doc or summary},
        "defaultConfiguration": {"level": LEVELS.get(info.get("severity", "fail"), "error")},
        "properties": {"tags": list(dict.fromkeys(["guardrails", rule_type]))},
    }


def _message(finding: Finding) -> str:
    return f"{finding.message} Fix: {finding.fix}" if finding.fix else finding.message


def _result(finding: Finding, rule_index: int, print_: str, comparing: bool) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS.get(finding.severity, "warning"),
        "message": {"text": _message(finding)},
        "locations": [_location(finding.file, finding.line)],
        "partialFingerprints": {FINGERPRINT_KEY: print_},
    }
    if comparing:
        result["baselineState"] = "unchanged" if finding.status == "existing" else "new"
    result["properties"] = {"resource": finding.resource, "path": finding.path, "type": finding.type,
                            "severity": finding.severity, "status": finding.status}
    return result


def _added_result(added: AddedSuppression, rule_index: int) -> dict[str, Any]:
    key = "\0".join([ADDED_RULE, added.file, added.resource, ",".join(added.rules), added.reason])
    return {
        "ruleId": ADDED_RULE,
        "ruleIndex": rule_index,
        "level": "note",
        "message": {"text": describe_added(added)},
        "locations": [_location(added.file, added.line)],
        "partialFingerprints": {FINGERPRINT_KEY: hashlib.sha256(key.encode("utf-8")).hexdigest()},
        "properties": {"resource": added.resource, "kind": added.kind, "honoured": added.honoured},
    }


def _location(file: str, line: int) -> dict[str, Any]:
    return {"physicalLocation": {"artifactLocation": {"uri": uri(file), "uriBaseId": _SRCROOT},
                                 "region": {"startLine": max(1, line)}}}


def _error_notification(error: InputError) -> dict[str, Any]:
    notification: dict[str, Any] = {"level": "error", "descriptor": {"id": "guardrails/input-error"},
                                    "message": {"text": error.message}}
    if has_file(error):
        notification["locations"] = [_location(error.file, error.line)]
    return notification


def _unlocated_notification(finding: Finding, rule_index: int) -> dict[str, Any]:
    where = "standard input" if finding.file == "-" else "no file"
    return {
        "level": LEVELS.get(finding.severity, "warning"),
        "descriptor": {"id": "guardrails/finding-without-file"},
        "associatedRule": {"id": finding.rule, "index": rule_index},
        "message": {"text": f"{finding.resource} ({where}): {_message(finding)}"},
        "properties": {"resource": finding.resource, "path": finding.path, "status": finding.status},
    }
