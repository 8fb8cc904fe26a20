"""The reviewer's view of `guardrails diff`: what the change costs, what it breaks, the verdict.

The cost table lists only resources whose cost moved, or that were added or removed; new
findings come before existing ones because only they decide the verdict.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

from guardrails.core.model import Finding, Report
from guardrails.report.added import describe, where
from guardrails.report.text import _paint, from_other_root, problems, verdict_text
from guardrails.report.printable import printable_report

_LABELS = {"fail": "FAIL", "warn": "WARN", "info": "INFO"}
_SEVERITY_ORDER = {"fail": 0, "warn": 1, "info": 2}
MARKERS = {"added": "+", "removed": "-", "changed": "~", "unchanged": " "}
_ADDRESS_WIDTH = (24, 60)


def money(value: float) -> str:
    return f"${value:,.2f}"


def signed_money(value: float) -> str:
    return f"{'-' if value < 0 else '+'}${abs(value):,.2f}"


def change_of(resource: Mapping[str, Any]) -> str:
    """added | removed | changed | unchanged; derived from the sides when the block has no `change`."""
    change = resource.get("change")
    if change:
        return str(change)
    monthly = resource.get("monthly") or {}
    if monthly.get("before") is None and monthly.get("after") is not None:
        return "added"
    return "changed" if monthly.get("delta") else "unchanged"


def side(resource: Mapping[str, Any], which: str) -> str:
    """A side's monthly cost as shown: money, "unpriced", or "-" where the resource did not exist."""
    value = (resource.get("monthly") or {}).get(which)
    if value is not None:
        # A side priced in part: its figure is a lower bound (the missing parts are listed). A diff
        # says which side; outside diff there is only the one.
        bounds = resource.get("lower_bound")
        bound = bounds.get(which) if isinstance(bounds, Mapping) else resource.get("incomplete") and which == "after"
        return ("at least " if bound else "") + money(value)
    absent = {"before": "added", "after": "removed"}[which]
    return "-" if change_of(resource) == absent else "unpriced"


def moved(cost: Mapping[str, Any]) -> tuple[list[Mapping[str, Any]], int]:
    """The resources a reviewer looks at, largest absolute delta first (unpriced last), and how many are left out.

    Left out: resources whose cost did not move (delta 0) and unchanged resources. A resource whose
    only change is its cap (max_size 10 -> 40) moved its worst case: it is shown.
    """
    shown = []
    for resource in cost.get("resources", []):
        change = change_of(resource)
        delta = (resource.get("monthly") or {}).get("delta")
        if change in ("added", "removed") or (delta is None and change == "changed") or delta or worst_moved(resource):
            shown.append(resource)

    def order(resource: Mapping[str, Any]) -> tuple:
        delta = (resource.get("monthly") or {}).get("delta")
        return (delta is None, -abs(delta or 0), resource.get("address", ""))

    shown.sort(key=order)
    return shown, len(cost.get("resources", [])) - len(shown)


def totals(cost: Mapping[str, Any]) -> str:
    """"$X -> $Y (+$Z, +P%)"; the percentage only when the base costs something. "at least" when a
    resource is priced in part: the figures are then lower bounds."""
    monthly = cost.get("monthly") or {}
    before, after, delta = monthly.get("before"), monthly.get("after"), monthly.get("delta")
    bounds = cost.get("lower_bound") or {}
    after_text = ("at least " if bounds.get("after") else "") + money(after or 0)
    if before is None or delta is None:
        return after_text
    change = signed_money(delta)
    if before:
        change += f", {delta / before * 100:+,.1f}%"
    if bounds.get("delta"):
        change += ", not exact"  # a side leaves out a part without a price
    return f"{'at least ' if bounds.get('before') else ''}{money(before)} -> {after_text} ({change})"


def in_part(cost: Mapping[str, Any]) -> str:
    """The sentence that says the totals are lower bounds, or ""."""
    count = cost.get("incomplete") or 0
    if not count:
        return ""
    return (f"{count} resource{'s are' if count != 1 else ' is'} priced in part (a price is missing): "
            "the totals are lower bounds")


def worst_moved(resource: Mapping[str, Any]) -> bool:
    """Whether the change moved the resource's worst case at full scale."""
    return bool((resource.get("worst_case") or {}).get("delta"))


def worst_differs(resource: Mapping[str, Any], which: str = "after") -> bool:
    """Whether the side's worst case at full scale is not its monthly cost (the resource scales)."""
    worst = (resource.get("worst_case") or {}).get(which)
    return worst is not None and worst != (resource.get("monthly") or {}).get(which)


def worst_case(cost: Mapping[str, Any]) -> str:
    """The worst-case sentence, "" when every autoscaler's cap is already what runs (or none
    exists): the total at full scale, before -> after in a diff."""
    figure = cost.get("worst_case") or {}
    monthly = cost.get("monthly") or {}
    before, after = figure.get("before"), figure.get("after")
    if after is None or (after == monthly.get("after") and (before is None or before == monthly.get("before"))):
        return ""
    unknown = sum(1 for r in cost.get("resources", []) if r.get("worst_case_unknown"))
    bound = "at least " if unknown else ""
    text = f"Worst case at full scale: {bound}{money(after)}/month"
    if before is not None:
        text = (f"Worst case at full scale: {money(before)} -> {bound}{money(after)} "
                f"({signed_money(figure.get('delta') or 0)})")
    if unknown:
        text += f" ({unknown} resource{'s' if unknown != 1 else ''} whose cap cannot be evaluated counted at the monthly cost)"
    return text


def group_lines(cost: Mapping[str, Any]) -> list[str]:
    """Showback (--group-by): one line per value of the tag, costliest first; [] without it."""
    groups = cost.get("groups")
    if not groups:
        return []
    tag = cost.get("group_by") or "tag"
    width = max(len(str(g["key"])) if g["key"] is not None else len(f"(no {tag})") for g in groups)
    out = [f"By {tag}:"]
    for group in groups:
        key = group["key"] if group["key"] is not None else f"(no {tag})"
        monthly = group["monthly"]
        count = f"{group['resources']} resource{'s' if group['resources'] != 1 else ''}"
        if monthly.get("before") is None:
            figure = f"{money(monthly['after']):>12}/month"
        else:
            figure = f"{money(monthly['before']):>12} -> {money(monthly['after']):>12} ({signed_money(monthly['delta'])})"
        unknown = f", {group['unknown']} whose {tag} cannot be evaluated" if group.get("unknown") else ""
        out.append(f"  {key:<{width}}  {figure}  {count}{unknown}")
    return out


def untagged(cost: Mapping[str, Any]) -> str:
    """The untagged-spend sentence: how much of the total lacks the policy's owner tags, or ""
    when no tag rule says which tags those are."""
    found = cost.get("untagged")
    if not found:
        return ""
    monthly, percent = found.get("monthly") or {}, found.get("percent") or {}
    tags = ", ".join(found.get("tags") or [])

    def share(value: Any) -> str:
        return "" if value is None else f" ({value:,.1f}% of the total)"

    count = len(found.get("resources") or [])
    where = f" on {count} resource{'s' if count != 1 else ''}" if count else ""
    if monthly.get("before") is None:
        return f"Untagged (no {tags}): {money(monthly.get('after') or 0)}/month{share(percent.get('after'))}{where}"
    return (f"Untagged (no {tags}): {money(monthly['before'])}{share(percent.get('before'))} -> "
            f"{money(monthly.get('after') or 0)}{share(percent.get('after'))} "
            f"({signed_money(monthly.get('delta') or 0)}){where}")


def missing_parts(resource: Mapping[str, Any]) -> list[str]:
    """"name: reason" of each part of a resource that has no price."""
    return [f"{part['name']}: {part['reason']}" for part in resource.get("missing") or []]


def counts(report: Report) -> dict[str, int]:
    """The verdict's arithmetic: an existing failure counts as a warning, suppressed ones apart."""
    active = [f for f in report.findings if f.status != "suppressed"]
    return {
        "failed": sum(1 for f in active if f.severity == "fail" and f.status == "new"),
        "warnings": sum(1 for f in active if f.severity == "warn" or (f.severity == "fail" and f.status == "existing")),
        "suppressed": len(report.findings) - len(active),
        "new": sum(1 for f in active if f.status == "new"),
        "existing": sum(1 for f in active if f.status == "existing"),
    }


def summary(report: Report) -> str:
    """"1 failed, 2 warnings, 1 suppressed in 12 resources" without the verdict itself."""
    n = counts(report)
    parts = [f"{n['failed']} failed", f"{n['warnings']} warning{'s' if n['warnings'] != 1 else ''}"]
    if n["suppressed"]:
        parts.append(f"{n['suppressed']} suppressed")
    count = report.resources_checked
    return f"{', '.join(parts)} in {count} resource{'s' if count != 1 else ''}"


def incomplete(report: Report) -> str:
    errors = len(report.errors)
    return f"incomplete: {errors} input error{'s' if errors != 1 else ''}" if errors else ""


def ordered(findings: Sequence[Finding]) -> list[Finding]:
    """Failures first, then by place: what a reviewer must act on leads."""
    return sorted(findings, key=lambda f: (_SEVERITY_ORDER.get(f.severity, 3), f.sort_key()))


def location(finding: Finding) -> str:
    if not finding.file:
        return ""
    where = f"{finding.file}:{finding.line}" if finding.line else finding.file
    return f"{where} (root {finding.root})" if from_other_root(finding) else where


def render(report: Report, color: bool = False) -> str:
    report = printable_report(report)
    out: list[str] = []
    base, head = report.change.get("base"), report.change.get("head")
    title = f"guardrails diff: {base} -> {head}" if base or head else "guardrails diff"
    out += [_paint(title, "bold", color), ""]
    if report.cost is not None:
        out += _cost(report.cost, color) + [""]
    out += _findings(report, color)
    out += _suppressions_added(report, color)
    out.extend(problems(report, color))
    out.append(f"{summary(report)}: {verdict_text(report, color)}")
    return "\n".join(out) + "\n"


def _suppressions_added(report: Report, color: bool) -> list[str]:
    added = report.suppressions_added or ()
    if not added:
        return []
    out = [_paint(f"Suppressions this change adds ({len(added)})", "bold", color)]
    out += [f"  {where(a)}  {describe(a)}" for a in added]
    return out + [""]


def _cost(cost: Mapping[str, Any], color: bool) -> list[str]:
    rows, hidden = moved(cost)
    width = max([_ADDRESS_WIDTH[0]] + [min(len(r.get("address", "")), _ADDRESS_WIDTH[1]) for r in rows])
    out = [_paint("Monthly cost (USD)", "bold", color)]
    if rows:
        out.append(f"     {'resource':<{width}}  {'before':>12}  {'after':>12}  {'delta':>12}")
    for resource in rows:
        out += _cost_row(resource, width, color)
    if not rows:
        out.append("  no resource's cost changed")
    if hidden:
        plural = "s" if hidden != 1 else ""
        out.append(_paint(f"  {hidden} resource{plural} with unchanged cost not listed", "dim", color))
    out.append(f"  Monthly: {totals(cost)}")
    unpriced = cost.get("unpriced") or 0
    if unpriced:
        out.append(f"  {unpriced} unpriced resource{'s are' if unpriced != 1 else ' is'} not in the totals")
    if in_part(cost):
        out.append(f"  {in_part(cost)}")
    if worst_case(cost):
        out.append(f"  {worst_case(cost)}")
    out.extend(f"  {line}" for line in group_lines(cost))
    if untagged(cost):
        out.append(f"  {untagged(cost)}")
    for note in cost.get("notes", []) or []:
        out.append(f"  note: {note}")
    catalog = cost.get("catalog") or []
    if catalog:
        dates = ", ".join(f"{s['name']} {s['published']}" for s in catalog)
        out.append(_paint(f"  Prices as of: {dates}", "dim", color))
        for source in catalog:
            if source.get("stale"):
                out.append(f"  warning: {source['name']} prices date from {source['published']}, more than 90 days ago "
                           "(refresh them with guardrails prices update)")
    return out


def _cost_row(resource: Mapping[str, Any], width: int, color: bool) -> list[str]:
    change = change_of(resource)
    delta = (resource.get("monthly") or {}).get("delta")
    shown_delta = signed_money(delta) if delta is not None else ""
    if delta:
        shown_delta = _paint(f"{shown_delta:>12}", "fail" if delta > 0 else "pass", color)
    else:
        shown_delta = f"{shown_delta:>12}"
    what = resource.get("summary") or {"added": "new", "removed": "removed"}.get(change, "")
    line = (f"  {MARKERS.get(change, '~')}  {resource.get('address', ''):<{width}}  {side(resource, 'before'):>12}  "
            f"{side(resource, 'after'):>12}  {shown_delta}")
    if what:
        line += f"  {what}"
    lines = [line.rstrip()]
    worst = resource.get("worst_case") or {}
    if worst_moved(resource) or worst_differs(resource, "after"):
        lines.append(f"        at full scale: {money(worst['before']) if worst.get('before') is not None else '-'} -> "
                     f"{money(worst['after']) if worst.get('after') is not None else 'unknown'}"
                     + (f" ({signed_money(worst['delta'])})" if worst.get("delta") else ""))
    if resource.get("worst_case_unknown"):
        lines.append(_paint(f"        worst case unknown: {resource['worst_case_unknown']}", "dim", color))
    if resource.get("unpriced"):
        lines.append(_paint(f"        unpriced: {resource['unpriced']}", "dim", color))
    for part in missing_parts(resource):
        lines.append(_paint(f"        not priced: {part}", "dim", color))
    return lines


def _findings(report: Report, color: bool) -> list[str]:
    new = ordered([f for f in report.findings if f.status == "new"])
    existing = ordered([f for f in report.findings if f.status == "existing"])
    suppressed = sum(1 for f in report.findings if f.status == "suppressed")
    out = [_paint(f"New findings ({len(new)}, these decide the verdict)", "bold", color)]
    if not new:
        out.append("  none")
    for finding in new:
        out += _finding(finding, color)
    out.append("")
    if existing:
        out.append(_paint(f"Existing findings ({len(existing)}, not blocking)", "bold", color))
        for finding in existing:
            out += _finding(finding, color)
        out.append("")
    if suppressed:
        out += [_paint(f"{suppressed} suppressed finding{'s' if suppressed != 1 else ''} not shown", "dim", color), ""]
    return out


def _finding(finding: Finding, color: bool) -> list[str]:
    label = _paint(_LABELS.get(finding.severity, finding.severity.upper()), finding.severity, color)
    where = location(finding)
    subject = f"  {finding.resource}" if finding.resource else ""
    head = f"  {label}  {where + '  ' if where else ''}{finding.rule}{subject}: {finding.message}"
    lines = [head]
    if finding.fix:
        lines.append(f"        fix: {finding.fix}")
    return lines
