"""The cost use case: the monthly cost of what the paths hold, priced offline, and the cost rules."""
from __future__ import annotations

import datetime as _dt

from guardrails.app.options import RunOptions, group_tag
from guardrails.app.reporting import (
    budget_notes, cost_findings, finops_blocks, priced_side, pricing, rules_info, sorted_errors, sorted_notes,
    tags_by_address,
)
from guardrails.app.workspace import open_workspace
from guardrails.core.model import Report
from guardrails.engine import run as engine, suppress
from guardrails.engine.untagged import untagged
from guardrails.pricing.estimate import cost_block, estimate


def cost(options: RunOptions) -> Report:
    """The report of `guardrails cost`; raises PolicyError, UsageFileError and UsageError."""
    from guardrails.policy.usage import unused_entries

    work = open_workspace(options)
    settings = work.policy.settings
    catalog, usage = pricing(settings, options.usage_file)
    result = estimate(work.loaded.resources, catalog, settings, usage, dict(options.environment_regions))
    notes = list(work.loaded.notes)
    notes.extend(suppress.denied_notes(work.loaded.resources, settings))
    if usage is not None:
        notes.extend(unused_entries(usage, work.loaded.resources, usage.read))
    today = _dt.date.today()
    tag = group_tag(options.group_by)
    priced = priced_side(result.lines, untagged(work.policy, work.loaded.resources), tags_by_address(work.loaded.resources))
    findings = cost_findings(work.policy, work.loaded.resources, priced, today)
    notes.extend(budget_notes(work.policy, priced))
    block = {**cost_block(result, catalog, today), **finops_blocks(priced, tag, is_diff=False)}
    return Report(
        verdict=engine.verdict(findings, options.fail_on, work.loaded.errors),
        findings=tuple(findings),
        errors=sorted_errors(work.loaded.errors),
        notes=sorted_notes(notes),
        cost=block,
        policy_sources=work.policy.sources,
        resources_checked=len(result.lines),
        fail_on=options.fail_on,
        rules=rules_info(work.policy, options.with_rule_docs),
    )
