"""A GitHub pull-request comment: verdict, cost delta, new findings; the rest folded away.

The first line is a hidden marker so that a CI step can find and update its earlier comment
instead of adding a new one on every push. GitHub refuses comments over 65,536 characters, so
the body stays under `LIMIT`: rows are cut, least important first, and the end says how many.
"""
from __future__ import annotations

import re

from dataclasses import dataclass
from typing import Any, Mapping

from guardrails.core.model import Finding, Report
from guardrails.report.added import describe, where
from guardrails.report.diff_text import (
    counts,
    in_part,
    incomplete,
    location,
    missing_parts,
    money,
    moved,
    ordered,
    side,
    signed_money,
    summary,
    totals,
    untagged,
    worst_case,
    worst_moved,
)

MARKER = "<!-- guardrails-report -->"
LIMIT = 65_000
_CELL_LIMIT = 1_000  # one runaway message must not crowd out every other row
_TITLES = {"fail": "❌ guardrails: fail", "warn": "⚠️ guardrails: warn", "pass": "✅ guardrails: pass",
           "incomplete": "❌ guardrails: incomplete"}
_SEVERITIES = {"fail": "❌ fail", "warn": "⚠️ warn", "info": "ℹ️ info"}
# The backslash first, so that the escapes added after it are not escaped again; `$` pairs open math.
_ESCAPES = (("\\", "\\\\"), ("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "\\|"), ("`", "\\`"),
            ("$", "\\$"), ("*", "\\*"), ("_", "\\_"), ("[", "\\["), ("]", "\\]"), ("~", "\\~"))
_ZWSP = "&#8203;"
_AUTOLINKS = re.compile(r"([@#]|:|www)((?<=[@#])[\w-]|(?<=:)//|(?<=www)\.)", re.IGNORECASE)
_FINDING_HEADER = ["| Severity | Rule | Resource | Location | Message |", "| --- | --- | --- | --- | --- |"]
_SECTIONS = ("new", "cost", "existing", "added", "errors", "notes")
# What is kept when the body must be cut, in order: the largest cost moves and the first input
# errors, then every new finding (they decide the verdict), then the rest. None: all that is left.
_PRIORITY: tuple[tuple[str, int | None], ...] = (
    ("cost", 10), ("errors", 5), ("added", 10), ("new", None), ("cost", None), ("added", None), ("errors", None),
    ("existing", None), ("notes", None))
_NOUNS = {"new": "new findings", "cost": "cost rows", "existing": "existing findings",
          "added": "suppressions added", "errors": "input errors", "notes": "notes"}


def text(value: str, limit: int = _CELL_LIMIT) -> str:
    """User text made inert in a table cell or list item: no column breaks, tags, code or emphasis."""
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    for char, escaped in _ESCAPES:
        value = value.replace(char, escaped)
    # GitHub links what the change wrote even in escaped text: @user and @org/team notify people,
    # #123 links an issue, a bare URL becomes a link. A zero-width space (as an entity, which
    # GitHub keeps) after the trigger leaves the text as it reads and inert.
    value = _AUTOLINKS.sub(lambda m: m.group(1) + _ZWSP + m.group(2), value)
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def dollars(value: str) -> str:
    """Money as GitHub shows it: two `$` on one line would otherwise open a math formula."""
    return value.replace("$", "\\$")


def code(value: str, in_table: bool = True) -> str:
    """A code span; text that would break one (a backtick, a newline) is escaped plain text instead."""
    if not value:
        return "–"
    if "`" in value or "\n" in value or "\r" in value or len(value) > _CELL_LIMIT:
        return text(value)
    # Inside a table GitHub splits cells before it reads code spans, so `|` needs its escape there.
    return "`" + (value.replace("|", "\\|") if in_table else value) + "`"


@dataclass
class _Rows:
    """Every row or list item of the body, by section, before any is cut."""

    sections: dict[str, list[str]]

    def total(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.sections.items()}


def render(report: Report, color: bool = False) -> str:
    rows = _Rows({
        "new": [_finding_row(f) for f in ordered([f for f in report.findings if f.status == "new"])],
        "cost": _cost_rows(report.cost) if report.cost is not None else [],
        "existing": [_finding_row(f) for f in ordered([f for f in report.findings if f.status == "existing"])],
        "added": [f"- {code(where(a), in_table=False)}: {text(describe(a))}" for a in report.suppressions_added or ()],
        "errors": [f"- {code(f'{e.file}:{e.line}' if e.line else e.file, in_table=False)}: {text(e.message)}"
                   for e in report.errors],
        "notes": [f"- {code(n.file, in_table=False)}: {text(n.message)}" for n in report.notes],
    })
    keep = rows.total()
    body = _compose(report, rows, keep)
    if len(body) < LIMIT:
        return body
    keep = _fit(report, rows)
    body = _compose(report, rows, keep)
    while len(body) >= LIMIT and any(keep.values()):
        # The estimate in _fit is exact up to the digits of the counts; trim the rest one row at a time.
        name = next(n for n in ("notes", "existing", "errors", "added", "cost", "new") if keep[n])
        keep[name] -= 1
        body = _compose(report, rows, keep)
    return body


def _fit(report: Report, rows: _Rows) -> dict[str, int]:
    """How many rows of each section fit under LIMIT, filled in priority order."""
    empty = {name: 0 for name in _SECTIONS}
    # Table headers appear with their first row; the 400 leaves room for them and the counts' digits.
    budget = LIMIT - len(_compose(report, rows, empty)) - 400
    keep = dict(empty)
    for name, upto in _PRIORITY:
        section = rows.sections[name]
        for row in section[keep[name]: upto]:
            if len(row) + 1 > budget:
                return keep
            keep[name] += 1
            budget -= len(row) + 1
    return keep


def _compose(report: Report, rows: _Rows, keep: Mapping[str, int]) -> str:
    out = [MARKER, f"### {_TITLES.get(report.verdict, report.verdict)}", ""]
    base, head = report.change.get("base"), report.change.get("head")
    if base or head:
        out += [f"{code(base or '', in_table=False)} → {code(head or '', in_table=False)}", ""]
    line = summary(report)
    if report.errors:
        line += f" · **{incomplete(report)}**"
    out += [line, ""]
    total = rows.total()
    if report.cost is not None:
        out += _cost_section(report.cost, rows.sections["cost"][: keep["cost"]], total["cost"])
    n = counts(report)
    out += [f"#### New findings ({n['new']})", ""]
    if total["new"]:
        out += _table(_FINDING_HEADER, rows.sections["new"][: keep["new"]], total["new"], "new findings")
    else:
        out += ["None.", ""]
    if total["existing"]:
        out += _details(f"Existing findings ({n['existing']}, not blocking)",
                        _table(_FINDING_HEADER, rows.sections["existing"][: keep["existing"]], total["existing"],
                               "existing findings"))
    if total["added"]:
        # Not folded away: what the change silences is for the reviewer to see at once.
        out += [f"#### Suppressions this change adds ({total['added']})", ""]
        out += _table([], rows.sections["added"][: keep["added"]], total["added"], "suppressions added")
    if n["suppressed"]:
        out += [f"{n['suppressed']} suppressed finding{'s' if n['suppressed'] != 1 else ''} not shown.", ""]
    if total["errors"]:
        out += _details(f"Input errors ({total['errors']})",
                        _table([], rows.sections["errors"][: keep["errors"]], total["errors"], "input errors"))
    if total["notes"]:
        out += _details(f"Notes ({total['notes']})",
                        _table([], rows.sections["notes"][: keep["notes"]], total["notes"], "notes"))
    left_out = {name: total[name] - keep[name] for name in _SECTIONS if total[name] > keep[name]}
    if left_out:
        what = ", ".join(f"{count:,} {_NOUNS[name]}" for name, count in left_out.items())
        out += ["> [!NOTE]",
                f"> This comment was cut to stay under {LIMIT:,} characters: {what} left out. "
                "Run guardrails with `--format text` or `--format json` for the full report.", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _table(header: list[str], shown: list[str], total: int, noun: str) -> list[str]:
    """Rows under their header (none without rows), then how many were cut, if any."""
    out = header + shown + [""] if shown else []
    if total > len(shown):
        more = f"…and {total - len(shown):,} more" if shown else f"{total:,}"
        out += [f"_{more} {noun} not shown._", ""]
    return out


def _details(summary_text: str, lines: list[str]) -> list[str]:
    return ["<details>", f"<summary>{summary_text}</summary>", "", *lines, "</details>", ""]


def _finding_row(finding: Finding) -> str:
    message = text(finding.message)
    if finding.fix:
        message += f"<br>**Fix:** {text(finding.fix)}"
    severity = _SEVERITIES.get(finding.severity, text(finding.severity))
    return f"| {severity} | {code(finding.rule)} | {code(finding.resource)} | {code(location(finding))} | {message} |"


def _is_diff(cost: Mapping[str, Any]) -> bool:
    return (cost.get("monthly") or {}).get("before") is not None


def _cost_rows(cost: Mapping[str, Any]) -> list[str]:
    if not _is_diff(cost):
        def after(resource: Mapping[str, Any]) -> float | None:
            return (resource.get("monthly") or {}).get("after")

        resources = sorted(cost.get("resources", []),
                           key=lambda r: (after(r) is None, -(after(r) or 0), r.get("address", "")))
        return [f"| {_resource_cell(r, '')} | {_side(r, 'after')} |" for r in resources]
    rows = []
    for resource in moved(cost)[0]:
        change = resource.get("change", "")
        what = resource.get("summary") or {"added": "new", "removed": "removed"}.get(change, "")
        delta = (resource.get("monthly") or {}).get("delta")
        shown = dollars(signed_money(delta)) if delta is not None else "unknown"
        if worst_moved(resource):
            what = f"{what}; at full scale {signed_money(resource['worst_case']['delta'])}/mo".lstrip("; ")
        rows.append(f"| {_resource_cell(resource, what)} | {_side(resource, 'before')} | {_side(resource, 'after')} "
                    f"| {shown} |")
    return rows


def _side(resource: Mapping[str, Any], which: str) -> str:
    value = side(resource, which)
    return "–" if value == "-" else dollars(value)


def _resource_cell(resource: Mapping[str, Any], what: str) -> str:
    cell = code(resource.get("address", ""))
    if what:
        cell += f" {text(what)}"
    if resource.get("unpriced"):
        cell += f"<br>_unpriced: {text(resource['unpriced'])}_"
    for part in missing_parts(resource):
        cell += f"<br>_not priced: {text(part)}_"
    return cell


def _cost_section(cost: Mapping[str, Any], shown: list[str], total: int) -> list[str]:
    diff = _is_diff(cost)
    heading = dollars(totals(cost).replace(" -> ", " → "))
    out = [f"#### Monthly cost: {heading}", ""]
    if total:
        header = ["| Resource | Before | After | Delta |", "| --- | ---: | ---: | ---: |"] if diff else \
            ["| Resource | Monthly |", "| --- | ---: |"]
        out += _table(header, shown, total, "cost rows")
    elif diff:
        out += ["No resource's cost changed.", ""]
    facts = []
    if diff:
        hidden = moved(cost)[1]
        if hidden:
            facts.append(f"{hidden} resource{'s' if hidden != 1 else ''} with unchanged cost not listed.")
    unpriced = cost.get("unpriced") or 0
    if unpriced:
        facts.append(f"{unpriced} unpriced resource{'s are' if unpriced != 1 else ' is'} not in the totals.")
    if in_part(cost):
        facts.append(f"{in_part(cost)}.")
    if worst_case(cost):
        facts.append(f"**{text(worst_case(cost).replace(' -> ', ' → '))}.**")
    if untagged(cost):
        facts.append(f"{text(untagged(cost))}.")
    catalog = cost.get("catalog") or []
    if catalog:
        dates = ", ".join(f"{text(s['name'])} {text(str(s['published']))}" for s in catalog)
        facts.append(f"Prices as of {dates}.")
        stale = [s for s in catalog if s.get("stale")]
        for source in stale:
            facts.append(f"⚠️ {text(source['name'])} prices are more than 90 days old.")
    if facts:
        out += [" ".join(facts), ""]
    out += _chart(cost)
    out += _groups_table(cost)
    return out


_CHART_CATEGORIES = 8  # the costliest; the rest are drawn as one "other" bar
_CHART_LABEL = re.compile(r"[^A-Za-z0-9_.:/ -]")


def _chart(cost: Mapping[str, Any]) -> list[str]:
    """The cost as a mermaid bar chart (GitHub and GitLab draw it), by group with --group-by, else
    by resource type: before and after as bars, the worst case at full scale as a line where it
    differs; the per-type table below it says the same for readers without mermaid."""
    grouped = bool(cost.get("groups"))
    rows = list(cost.get("groups") or cost.get("by_type") or [])
    diff = _is_diff(cost)

    def amount(row: Mapping[str, Any], block: str, which: str) -> float:
        return float((row.get(block) or {}).get(which) or 0)

    rows.sort(key=lambda r: -max(amount(r, "monthly", "before"), amount(r, "monthly", "after"), amount(r, "worst_case", "after")))
    if not rows or not any(amount(r, "monthly", "after") or amount(r, "monthly", "before") for r in rows):
        return []
    shown, rest = rows[:_CHART_CATEGORIES], rows[_CHART_CATEGORIES:]
    tag = str(cost.get("group_by") or "tag")

    def label(row: Mapping[str, Any]) -> str:
        # A group key is the change's own text: only a plain charset reaches the chart, quoted.
        key = row.get("key")
        name = f"no {tag}" if key is None else str(key)
        return _CHART_LABEL.sub("?", name)[:24]

    labels = [label(r) for r in shown] + (["other"] if rest else [])

    def series(block: str, which: str) -> list[float]:
        values = [amount(r, block, which) for r in shown]
        if rest:
            values.append(sum(amount(r, block, which) for r in rest))
        return [round(v, 2) for v in values]

    def numbers(values: list[float]) -> str:
        return "[" + ", ".join(f"{v:.2f}" for v in values) + "]"

    by = _CHART_LABEL.sub("?", tag)[:24] if grouped else "resource type"
    bars = [("before", series("monthly", "before")), ("after", series("monthly", "after"))] if diff else \
        [("monthly", series("monthly", "after"))]
    worst = series("worst_case", "after")
    draws_worst = worst != bars[-1][1]
    title = f"Monthly cost by {by}, USD: {', '.join(name for name, _ in bars)}" + \
        (" (bars), worst case at full scale (line)" if draws_worst else "")
    out = ["```mermaid", "xychart-beta", f'    title "{title}"',
           "    x-axis [" + ", ".join(f'"{name}"' for name in labels) + "]", '    y-axis "USD per month"']
    out += [f"    bar {numbers(values)}" for _, values in bars]
    if draws_worst:
        out.append(f"    line {numbers(worst)}")
    out += ["```", ""]
    if not grouped:
        # The same figures as a table, for readers whose viewer does not draw mermaid.
        header = "| Type | Before | After | At full scale |" if diff else "| Type | Monthly | At full scale |"
        out += [header, "| --- | ---: | ---: | ---: |" if diff else "| --- | ---: | ---: |"]
        for index, name in enumerate(labels):
            cells = [f"{dollars(money(values[index]))}" for _, values in bars] + [dollars(money(worst[index]))]
            out.append(f"| {code(name) if name != 'other' else '_other_'} | " + " | ".join(cells) + " |")
        out.append("")
    return out


def _groups_table(cost: Mapping[str, Any]) -> list[str]:
    """Showback (--group-by) as a table: one row per value of the tag, costliest first."""
    groups = cost.get("groups")
    if not groups:
        return []
    tag = text(str(cost.get("group_by") or "tag"))
    diff = _is_diff(cost)
    out = [f"| {tag} | Before | After | Delta | Resources |", "| --- | ---: | ---: | ---: | ---: |"] if diff else \
        [f"| {tag} | Monthly | Resources |", "| --- | ---: | ---: |"]
    for group in groups:
        key = code(str(group["key"])) if group["key"] is not None else f"_(no {tag})_"
        monthly = group["monthly"]
        if diff:
            out.append(f"| {key} | {dollars(money(monthly['before']))} | {dollars(money(monthly['after']))} "
                       f"| {dollars(signed_money(monthly['delta']))} | {group['resources']} |")
        else:
            out.append(f"| {key} | {dollars(money(monthly['after']))} | {group['resources']} |")
    return out + [""]

