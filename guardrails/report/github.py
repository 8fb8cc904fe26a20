"""GitHub Actions workflow commands: findings as annotations on the pull request's files.

`::error` is what fails the run (a new finding at or above `--fail-on`, an input error),
`::warning` what is shown but does not block (warnings, and every existing finding), `::notice`
an info finding. GitHub shows at most 10 annotations of each kind per step and drops the rest
silently, so the most important ones are chosen here (input errors, then new before existing,
fail before warn, the larger cost move, then by file and line), one `::notice` says how many are
left over, and those follow as plain log lines.

All user text is escaped as the runner expects, so a message cannot end its command early or
start another one: in data `%`, CR and LF; in properties also `:` and `,`.
"""
from __future__ import annotations

from typing import Any, Mapping, NamedTuple

from guardrails.core.model import Finding, Report
from guardrails.report.added import TITLE, describe

PER_KIND = 10  # annotations of one kind GitHub shows per step
_SEVERITY_ORDER = {"fail": 0, "warn": 1, "info": 2}


def data(value: str) -> str:
    """Escape the message of a workflow command."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def prop(value: str) -> str:
    """Escape a property value (file, title) of a workflow command."""
    return data(value).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, file: str = "", line: int = 0, title: str = "") -> str:
    properties = []
    if file and file != "-":
        properties.append(f"file={prop(file)}")
        if line > 0:
            properties.append(f"line={line}")
    if title:
        properties.append(f"title={prop(title)}")
    return f"::{kind} {','.join(properties)}::{data(message)}" if properties else f"::{kind}::{data(message)}"


def kind_of(finding: Finding, fail_on: str) -> str:
    """error when it decides the verdict, notice for info, else warning."""
    blocking = ("fail",) if fail_on == "fail" else ("fail", "warn")
    if finding.status == "new" and finding.severity in blocking:
        return "error"
    return "notice" if finding.severity == "info" else "warning"


class _Entry(NamedTuple):
    """One annotation before it is written, so that the cut can count kinds."""

    kind: str
    message: str
    file: str
    line: int
    title: str


def render(report: Report, color: bool = False) -> str:
    impact = _cost_impact(report.cost)
    active = sorted((f for f in report.findings if f.status != "suppressed"),
                    key=lambda f: (f.status != "new", _SEVERITY_ORDER.get(f.severity, 3),
                                   -impact.get(f.resource, 0.0), f.sort_key()))
    entries: dict[str, list[_Entry]] = {"error": [], "warning": [], "notice": []}
    for error in report.errors:
        entries["error"].append(_Entry("error", error.message, error.file, error.line, "guardrails: input error"))
    # What the change adds to silence findings comes first among the warnings: the reviewer must
    # see it even when the findings it hides are not shown.
    for added in report.suppressions_added or ():
        entries["warning"].append(_Entry("warning", describe(added), added.file, added.line, TITLE))
    for finding in active:
        entries[kind_of(finding, report.fail_on)].append(_finding_entry(finding, report.fail_on))
    # The summary notice needs one of the notice slots.
    caps = {"error": PER_KIND, "warning": PER_KIND, "notice": PER_KIND - 1}
    shown = [entry for kind in entries for entry in entries[kind][: caps[kind]]]
    rest = [entry for kind in entries for entry in entries[kind][caps[kind]:]]
    out = [command(e.kind, e.message, e.file, e.line, e.title) for e in shown]
    if rest:
        counts = {kind: len(entries[kind][caps[kind]:]) for kind in entries}
        what = ", ".join(f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in counts.items() if n)
        out.append(command(
            "notice",
            f"{len(rest)} more problem{'s' if len(rest) != 1 else ''} not annotated ({what}): GitHub shows at most "
            f"{PER_KIND} annotations of each kind per step. They are listed in this step's log below; the step "
            "summary (--format markdown) and the SARIF report (--format sarif) have them all.",
            title="guardrails: more findings"))
        out += [_log_line(e) for e in rest]
    return "\n".join(out) + "\n" if out else ""


def _finding_entry(finding: Finding, fail_on: str) -> _Entry:
    message = f"{finding.resource}: {finding.message}" if finding.resource else finding.message
    if finding.fix:
        message += f" Fix: {finding.fix}"
    title = f"guardrails: {finding.rule}"
    if finding.status == "existing":
        title += " (existing, not blocking)"
    return _Entry(kind_of(finding, fail_on), message, finding.file, finding.line, title)


def _log_line(entry: _Entry) -> str:
    # Plain text, never a command: it starts with a word, and line breaks are escaped like data.
    where = entry.file if entry.line <= 0 else f"{entry.file}:{entry.line}"
    return data(f"guardrails: {entry.kind}: {where}: {entry.title.removeprefix('guardrails: ')}: {entry.message}")


def _cost_impact(cost: Mapping[str, Any] | None) -> dict[str, float]:
    """Each priced resource's monthly move (or cost, outside a diff), by address."""
    impact: dict[str, float] = {}
    for resource in (cost or {}).get("resources", []) or []:
        monthly = resource.get("monthly") or {}
        value = monthly.get("delta") if monthly.get("delta") is not None else monthly.get("after")
        address = resource.get("address", "")
        impact[address] = max(impact.get(address, 0.0), abs(value or 0.0))
    return impact
