"""The check use case: every finding of the policy on the files and directories named."""
from __future__ import annotations

from guardrails.app.options import RunOptions
from guardrails.app.reporting import check_rules, rules_info, sorted_errors, sorted_notes
from guardrails.app.scan import source_lines
from guardrails.app.workspace import Workspace, only_given_files, open_workspace
from guardrails.core.model import Report
from guardrails.engine import run as engine, suppress


def check(options: RunOptions) -> Report:
    """The report of `guardrails check`; raises PolicyError and UsageError."""
    work: Workspace = open_workspace(options)
    findings = check_rules(work.policy, work.loaded.resources)
    findings, errors, notes = only_given_files(work, options.paths, findings)
    notes.extend(suppress.denied_notes(work.loaded.resources, work.policy.settings))
    wanted: dict[str, set[int]] = {}
    for finding in findings:
        wanted.setdefault(finding.file, set()).add(finding.line)
    return Report(
        verdict=engine.verdict(findings, options.fail_on, errors),
        findings=tuple(findings),
        errors=sorted_errors(errors),
        notes=sorted_notes(notes),
        sources=source_lines(work.tree, wanted, work.stdin_text) if options.with_sources else {},
        policy_sources=work.policy.sources,
        resources_checked=sum(1 for r in work.loaded.resources if r.mode == "managed"),
        fail_on=options.fail_on,
        rules=rules_info(work.policy, options.with_rule_docs),
    )
