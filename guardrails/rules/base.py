"""What every rule module shares: the context it runs in and how it makes findings.

What a rule module declares is listed in rules/registry; its docstring (What it does / Why is
this bad? / Example / Use instead) is printed by `guardrails explain`. A rule never prints and
never prices.
The engine has already applied `match`, dropped data sources and resources that could not
be inspected, and applies suppressions and exemptions afterwards.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any, Sequence

from guardrails.core.model import Finding, Resource, Unknown, is_unknown
from guardrails.core.re2 import PatternError, policy_pattern
from guardrails.core.policy import RuleConfig, Settings


@dataclass(frozen=True)
class Context:
    settings: Settings = field(default_factory=Settings)
    today: _dt.date = field(default_factory=_dt.date.today)
    all_resources: Sequence[Resource] = ()  # every scanned resource, for rules that look around

    def finding(
        self,
        rule: RuleConfig,
        resource: Resource,
        path: str,
        message: str,
        fix: str = "",
        severity: str | None = None,
    ) -> Finding:
        place = resource.place_of(path)
        return Finding(
            rule=rule.id,
            type=rule.type,
            severity=severity or rule.severity,
            resource=resource.address,
            path=path,
            file=place[0],
            line=place[1],
            message=message,
            fix=fix,
            root=resource.root,
        )

    def unknown(
        self, rule: RuleConfig, resource: Resource, path: str, value: Any, what: str
    ) -> Finding | None:
        """The finding for a value that cannot be evaluated, graded by `settings.unknown`."""
        level = self.settings.unknown
        if level == "ignore":
            return None
        reason = value.reason if isinstance(value, Unknown) else "cannot be evaluated"
        return self.finding(
            rule,
            resource,
            path,
            f"{what} cannot be checked: {reason}",
            fix="make the value known in the configuration, or set settings.unknown: ignore",
            severity=level,
        )


def string_list(rule: RuleConfig, key: str, what: str = "strings") -> tuple[str, ...] | None:
    """A rule option that must be a list of strings; None when absent, ValueError when wrong."""
    value = rule.options.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"rule {rule.id}: {key} must be a list of {what}")
    return tuple(value)


def pattern_problem(text: str) -> str:
    """Why a policy pattern is refused ("" when it is fine): patterns are RE2, as Terraform's regex()."""
    try:
        policy_pattern(text)
    except PatternError as error:
        return f"{text!r} is not a valid regex: {error}"
    return ""


def describe_value(value: Any) -> str:
    """A policy value's kind for a message; a number is shown, a string never (it may be a secret)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    if isinstance(value, (int, float)):
        # A number is its own best description and cannot carry a secret.
        return repr(value)
    # The kind, never the content: the file may not be a policy at all (a link, a wrong path),
    # and the message goes to a CI log.
    return "a string" if isinstance(value, str) else "a value"


def is_number_text(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# An attribute path reached nothing: not set (distinct from None, which a plan may hold).
MISSING = object()
_STEP = re.compile(r"([^.\[\]]+)|\[(\*|\d+)\]")


def resolve(attrs: Any, path: str) -> list[tuple[str, Any]]:
    """(concrete path, value) for each place a dotted `path` reaches (`[n]` picks a list item,
    `[*]` every item, a list met without an index is walked item by item); MISSING where it stops
    early. The attribute rule judges these; used-by follows them to references."""
    steps = [(m.group(1), m.group(2)) for m in _STEP.finditer(path)]
    results: list[tuple[str, Any]] = []

    def walk(value: Any, index: int, where: str) -> None:
        if index == len(steps):
            results.append((where, value))
            return
        if is_unknown(value):
            results.append((where, value))
            return
        name, item = steps[index]
        if item is not None:
            if not isinstance(value, list):
                results.append((where, MISSING))
                return
            positions = range(len(value)) if item == "*" else [int(item)]
            if item != "*" and int(item) >= len(value):
                results.append((f"{where}[{item}]", MISSING))
            for position in positions:
                if position < len(value):
                    walk(value[position], index + 1, f"{where}[{position}]")
            return
        if isinstance(value, list):
            if not value:
                results.append((f"{where}.{name}" if where else name, MISSING))
            for position, element in enumerate(value):
                walk(element, index, f"{where}[{position}]")
            return
        child = value.get(name, MISSING) if isinstance(value, dict) else MISSING
        here = f"{where}.{name}" if where else name
        if child is MISSING or child is None:
            results.append((here, MISSING))
            return
        walk(child, index + 1, here)

    walk(attrs, 0, "")
    return results
