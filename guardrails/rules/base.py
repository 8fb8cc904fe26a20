"""What every rule module shares: the context it runs in and how it makes findings.

What a rule module declares is listed in rules/registry; its docstring (What it does / Why is
this bad? / Example / Use instead) is printed by `guardrails explain`. A rule never prints and
never prices.
The engine has already applied `match`, dropped data sources and resources that could not
be inspected, and applies suppressions and exemptions afterwards.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Sequence

from guardrails.core.model import Finding, Resource, Unknown
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
        return Finding(
            rule=rule.id,
            type=rule.type,
            severity=severity or rule.severity,
            resource=resource.address,
            path=path,
            file=resource.location.file,
            line=resource.line_of(path),
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
