"""The cost table of `guardrails cost`: resources by file, components indented, the total."""
from __future__ import annotations

from itertools import groupby
from typing import Any

from guardrails.core.model import Report
from guardrails.report.diff_text import group_lines, in_part, missing_parts, untagged, worst_case, worst_differs
from guardrails.report.text import findings_by_file, problems, summary_line
from guardrails.report.printable import printable_report


def _money(value: float | None) -> str:
    return "unpriced" if value is None else f"${value:,.2f}"


def _quantity(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4g}"


def render(report: Report, color: bool = False) -> str:
    report = printable_report(report)
    cost: Any = report.cost or {}
    lines: list[str] = []
    resources = cost.get("resources", [])
    priced = [r for r in resources if r["unpriced"] is None]
    unpriced = [r for r in resources if r["unpriced"] is not None]
    for file, group in groupby(priced, key=lambda r: r["file"]):
        lines.append(file)
        for resource in group:
            figure = _money(resource['monthly']['after'])
            if resource.get("incomplete"):
                figure = f"at least {figure}"  # a part has no price: never counted as $0
            lines.append(f"  {resource['address']:<60} {figure:>12}/mo")
            if worst_differs(resource):
                lines.append(f"      at full scale: {_money(resource['worst_case']['after'])}/mo")
            if resource.get("worst_case_unknown"):
                lines.append(f"      worst case unknown: {resource['worst_case_unknown']}")
            for component in resource["components"]:
                usage = "  (usage-based)" if component["usage_based"] else ""
                detail = f"{_quantity(component['quantity'])} {component['unit']} x ${component['unit_price']:g}"
                lines.append(f"      {component['name']:<44} {detail:>30} {_money(component['monthly']):>12}{usage}")
            for part in missing_parts(resource):
                lines.append(f"      not priced: {part}")
            unset = [c for c in resource["components"] if c["usage_based"] and not c["quantity"]]
            if unset and resource.get("usage_keys"):
                # What to write in a usage file to price the parts listed at 0.
                lines.append(f"      usage keys: {', '.join(resource['usage_keys'])}")
            for note in resource["notes"]:
                lines.append(f"      note: {note}")
        lines.append("")
    if unpriced:
        lines.append("Unpriced (not in the total):")
        for resource in unpriced:
            lines.append(f"  {resource['address']} ({resource['file']}:{resource['line']}): {resource['unpriced']}")
        lines.append("")
    # The cost rule's findings are why a run fails: they are shown, never only the exit code.
    shown = findings_by_file(report, color)
    if shown:
        lines += ["Findings:", *shown]
    lines.extend(problems(report, color))
    total = cost.get("monthly", {}).get("after")
    bound = "at least " if cost.get("incomplete") else ""
    lines.append(f"Total: {bound}{_money(total)}/month for {len(priced)} priced resource{'s' if len(priced) != 1 else ''}"
                 + (f" ({cost['incomplete']} in part)" if cost.get("incomplete") else "")
                 + (f"; {len(unpriced)} unpriced" if unpriced else ""))
    if in_part(cost):
        lines.append(in_part(cost) + ".")
    if worst_case(cost):
        lines.append(worst_case(cost) + ".")
    lines.extend(group_lines(cost))
    if untagged(cost):
        lines.append(untagged(cost) + ".")
    catalog = cost.get("catalog", [])
    if catalog:
        dates = ", ".join(f"{s['name']} {s['published']}" for s in catalog)
        lines.append(f"Prices as of: {dates}")
        for source in catalog:
            if source["stale"]:
                lines.append(f"warning: {source['name']} prices date from {source['published']}, more than 90 days ago "
                             "(refresh them with guardrails prices update)")
    lines.append(summary_line(report, color))
    return "\n".join(lines) + "\n"
