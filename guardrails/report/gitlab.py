"""GitLab Code Quality report: a JSON array GitLab shows in the merge request and its pipeline.

GitLab compares the report of the merge request's pipeline with the target branch's by
`fingerprint`, so a fingerprint hashes what a finding is about (rule, file, resource, attribute
path) and not its line: moving a block does not make its findings look new. Identical findings
get distinct fingerprints, because GitLab counts repeats of one fingerprint once.

Severities: fail -> critical, warn -> minor, info -> info (by the rule's severity, also for an
existing finding: GitLab's own comparison shows which ones the change introduced). An input error
is a `blocker` with check_name `input-error`: the file could not be checked at all. Suppressed
findings are left out. Findings on standard input keep `-` as their path.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

from guardrails.core.model import Finding, InputError, Report
from guardrails.report.added import RULE_ID, describe
from guardrails.report.sarif import fingerprints

SEVERITIES = {"fail": "critical", "warn": "minor", "info": "info"}
INPUT_ERROR = "input-error"


def render(report: Report, color: bool = False) -> str:
    active = [f for f in report.findings if f.status != "suppressed"]
    issues = [_issue(f, print_) for f, print_ in zip(active, fingerprints(active))]
    seen: dict[tuple[str, str], int] = {}
    for error in report.errors:
        key = (error.file, error.message)
        issues.append(_error_issue(error, seen.get(key, 0)))
        seen[key] = seen.get(key, 0) + 1
    for added in report.suppressions_added or ():
        key = "\0".join([RULE_ID, added.file, str(added.line), added.resource, ",".join(added.rules)])
        issues.append({
            "type": "issue",
            "description": describe(added),
            "check_name": RULE_ID,
            "fingerprint": hashlib.sha256(key.encode("utf-8")).hexdigest(),
            "severity": "info",
            "location": {"path": _plain(added.file), "lines": {"begin": max(1, added.line)}},
        })
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def _plain(file: str) -> str:
    # GitLab joins the path to the repository URL itself; it wants the path as written.
    file = file.replace("\\", "/")
    while file.startswith("./"):
        file = file[2:]
    return file


def _issue(finding: Finding, print_: str) -> dict[str, Any]:
    description = f"{finding.rule}: {finding.resource}: {finding.message}" if finding.resource \
        else f"{finding.rule}: {finding.message}"
    if finding.fix:
        description += f" Fix: {finding.fix}"
    if finding.status == "existing":
        description += " (existing, not blocking)"
    return {
        "type": "issue",
        "description": description,
        "check_name": finding.rule,
        "fingerprint": print_,
        "severity": SEVERITIES.get(finding.severity, "minor"),
        "location": {"path": _plain(finding.file), "lines": {"begin": max(1, finding.line)}},
    }


def _error_issue(error: InputError, occurrence: int) -> dict[str, Any]:
    # Like a finding's, without the line; `occurrence` keeps two identical errors apart.
    parts = [INPUT_ERROR, error.file, error.message] + ([str(occurrence)] if occurrence else [])
    key = "\0".join(parts)
    return {
        "type": "issue",
        "description": f"input error: {error.message}",
        "check_name": INPUT_ERROR,
        "fingerprint": hashlib.sha256(key.encode("utf-8")).hexdigest(),
        "severity": "blocker",
        "location": {"path": _plain(error.file), "lines": {"begin": max(1, error.line)}},
    }
