"""The parts every use case's Report is made of: one way to sort, describe rules, price."""
from __future__ import annotations

import datetime as _dt
from dataclasses import replace
from typing import Any, Mapping, Sequence

from guardrails.core.errors import UsageError
from guardrails.core.model import Finding, InputError, Note, Report
from guardrails.core.policy import Policy
from guardrails.engine import run as engine
from guardrails.rules.registry import cost_rules, find


def rules_info(policy: Policy, with_docs: bool) -> dict[str, dict[str, str]]:
    """The policy's rules for reports that describe them; rule docs only when asked (SARIF)."""
    info = {}
    for rule in policy.rules:
        kind = find(rule.type) if with_docs else None
        doc = kind.doc if kind is not None else ""
        info[rule.id] = {"type": rule.type, "severity": rule.severity, "description": rule.description, "help": doc}
    return info


def sorted_errors(errors: Any) -> tuple[InputError, ...]:
    return tuple(sorted(set(errors), key=lambda e: e.sort_key()))


def sorted_notes(notes: Any) -> tuple[Note, ...]:
    return tuple(sorted(set(notes), key=lambda n: (n.file, n.message)))


def check_rules(policy: Policy, resources: Sequence[Any], today: _dt.date | None = None,
                extra: Sequence[Finding] = ()) -> list[Finding]:
    """engine.check, with a rule's unusable options as the usage error they are."""
    try:
        return engine.check(policy, resources, today, extra=extra)
    except engine.RuleConfigError as exc:
        raise UsageError(f"policy: {exc}") from None


def pricing(settings: Any, usage_file: str | None) -> tuple[Any, Any]:
    """The price catalog and the usage file the settings and options name.

    Raises UsageError for an unusable catalog and UsageFileError for an unusable usage file.
    """
    from guardrails.policy.usage import load_usage
    from guardrails.pricing import catalog as catalog_module

    extra = [settings.other["prices"]] if settings.other.get("prices") else []
    try:
        catalog = catalog_module.load(extra)
    except catalog_module.CatalogError as exc:
        raise UsageError(str(exc)) from None
    usage_path = usage_file or settings.other.get("usage")
    if not usage_path:
        return catalog, None
    return catalog, load_usage(usage_path)


def priced_side(lines: Sequence[Any], untagged: Any = None, tags: Any = None) -> Any:
    """One side's priced resources as a CostDiff (nothing before), as `cost` judges them."""
    from guardrails.core.costdiff import CostDiff, ResourceDelta

    return CostDiff(tuple(ResourceDelta(line.address, line.type, "unchanged", line.file, line.line, None, line)
                          for line in lines), untagged_after=untagged, tags_after=tags or {})


def cost_findings(policy: Policy, resources: Sequence[Any], priced: Any, today: _dt.date) -> list[Finding]:
    """The policy's cost rules on one side (monthly_total, resource_monthly, untagged_percent),
    exemptions applied; `priced` is that side as priced_side makes it."""
    from guardrails.rules.base import Context
    from guardrails.rules.cost import check_cost

    rules = cost_rules(policy.rules)
    if not rules:
        return []
    ctx = Context(settings=policy.settings, today=today, all_resources=resources)
    extra = [f for rule in rules for f in check_cost(rule, priced, ctx, is_diff=False)]
    only_cost = replace(policy, rules=tuple(rules))
    return check_rules(only_cost, resources, today, extra=extra)


def budget_notes(policy: Policy, diff: Any) -> list[Note]:
    """Notes for the budgets of groups that nothing in the report belongs to."""
    from guardrails.rules.cost import budgeted_groups_missing

    return [Note(rule.file, f"line {rule.line}: {message}") for rule in cost_rules(policy.rules)
            for message in budgeted_groups_missing(rule, diff)]


class _Tags(Mapping[str, Any]):
    """Each managed resource's tags (labels) as the cloud resource carries them, read the first
    time showback or a budget asks for one: most runs group by nothing and never pay for it."""

    def __init__(self, resources: Sequence[Any]) -> None:
        self._resources = {r.address: r for r in resources if r.mode == "managed"}
        self._read: dict[str, Any] = {}

    def __getitem__(self, address: str) -> Any:
        if address not in self._read:
            from guardrails.providers.tags import resource_tags

            tags = resource_tags(self._resources[address], False)
            self._read[address] = None if tags is None else tags[0]
        return self._read[address]

    def __iter__(self) -> Any:
        return iter(self._resources)

    def __len__(self) -> int:
        return len(self._resources)


def tags_by_address(resources: Sequence[Any]) -> Mapping[str, Any]:
    """Each managed resource's tags (labels) by address, for showback; read on first use."""
    return _Tags(resources)


def finops_blocks(diff: Any, tag: str | None, is_diff: bool) -> dict[str, Any]:
    """The FinOps parts of the JSON report's `cost` block (DESIGN.md): untagged spend, the worst
    case at full scale, the groups of --group-by, and the totals by type the chart draws."""
    return {
        "untagged": untagged_block(diff, is_diff),
        "worst_case": {"before": diff.worst_case("before") if is_diff else None, "after": diff.worst_case("after"),
                       "delta": diff.worst_case_delta if is_diff else None},
        "group_by": tag,
        "groups": None if tag is None else [_group_json(g, is_diff) | {"unknown": g.unknown} for g in diff.groups(tag)],
        "by_type": [_group_json(g, is_diff) for g in diff.by_type()],
    }


def _group_json(group: Any, is_diff: bool) -> dict[str, Any]:
    return {"key": group.key,
            "monthly": {"before": group.before if is_diff else None, "after": group.after,
                        "delta": group.delta if is_diff else None},
            "worst_case": {"before": group.worst_before if is_diff else None, "after": group.worst_after,
                           "delta": round(group.worst_after - group.worst_before, 2) if is_diff else None},
            "resources": group.resources}


def untagged_block(diff: Any, is_diff: bool) -> dict[str, Any] | None:
    """The JSON report's `cost.untagged` (DESIGN.md); None when no required-tags rule says which
    tags a resource needs."""
    if diff.untagged_after is None and diff.untagged_before is None:
        return None
    untagged = diff.untagged_after or diff.untagged_before

    def shaped(figure: Any) -> dict[str, Any]:
        after = figure("after")
        before = figure("before") if is_diff else None
        delta = None if not is_diff or before is None or after is None else round(after - before, 2)
        return {"before": None if before is None else round(before, 2),
                "after": None if after is None else round(after, 2), "delta": delta}

    return {"tags": list(untagged.tags), "monthly": shaped(diff.untagged_monthly),
            "percent": shaped(diff.untagged_percent),
            "resources": sorted(item.address for item in diff.untagged_resources())}


__all__ = ["Report", "budget_notes", "check_rules", "cost_findings", "finops_blocks", "priced_side", "pricing",
           "rules_info", "sorted_errors", "sorted_notes", "tags_by_address", "untagged_block"]
