"""Inline suppressions (`guardrails:ignore`) and policy exemptions, with their expiry dates.

One grammar everywhere: `guardrails:ignore <rule-id>[,<rule-id>...] [until=YYYY-MM-DD] <reason>`,
where an id is a rule's `id`, a rule type, or `*` (the grammar is core/ignores). The front ends
attach the directives to resources; `apply` runs after the rules and marks what they suppress.

A suppression or exemption that cannot be honoured (no reason, bad or past date, naming no rule of
the policy) suppresses nothing and is reported itself as a warning of rule `suppression`, so that
an ignore never silently outlives its purpose. Findings of rule `suppression` are never suppressed.
"""
from __future__ import annotations

import datetime as _dt
import fnmatch
from dataclasses import replace
from typing import Mapping, Sequence

from guardrails.core.ignores import MARKER, parse_date
from guardrails.core.model import AddedSuppression, Finding, Note, Resource, Suppression
from guardrails.core.policy import UNINSPECTED_RULE, Exemption, Policy, Settings

RULE_ID = "suppression"


def apply(
    findings: Sequence[Finding],
    resources: Mapping[str, Resource],
    policy: Policy,
    today: _dt.date,
) -> list[Finding]:
    """Mark suppressed findings and add a `suppression` warning for each unusable directive.

    A directive naming several ids where some are unknown to the policy still suppresses for
    the known ones; the unknown ones are reported.
    """
    known = {rule.id for rule in policy.rules} | {rule.type for rule in policy.rules} | {UNINSPECTED_RULE}
    live: dict[str, list[tuple[str, ...]]] = {}
    result: list[Finding] = []
    honoured = policy.settings.inline_suppressions != "deny"
    for address in sorted(resources) if honoured else ():
        resource = resources[address]
        for directive in resource.suppressions:
            problem, usable = _check_directive(directive, known, today)
            if problem:
                result.append(_problem_finding(resource, directive, problem))
            if usable:
                live.setdefault(address, []).append(usable)
    exemptions: list[Exemption] = []
    for exemption in policy.exemptions:
        expired = _exemption_problem(exemption, today)
        if expired:
            result.append(_exemption_finding(exemption, expired))
        else:
            exemptions.append(exemption)
    for finding in findings:
        if finding.rule != RULE_ID and (
            any(_names(ids, finding) for ids in live.get(finding.resource, ()))
            or any(_exempts(exemption, finding) for exemption in exemptions)
        ):
            finding = replace(finding, status="suppressed")
        result.append(finding)
    return sorted(result, key=Finding.sort_key)


def denied_notes(resources: Sequence[Resource], settings: Settings) -> list[Note]:
    """With settings.inline_suppressions: deny, a note for each directive that is not honoured."""
    if settings.inline_suppressions != "deny":
        return []
    return sorted({
        Note(resource.location.file, f"line {directive.line}: {MARKER} {','.join(directive.rules) or '(no rule)'} "
                                     "is not honoured (settings.inline_suppressions: deny)")
        for resource in resources for directive in resource.suppressions
    }, key=lambda note: (note.file, note.message))


def added(base: Sequence[Resource], head: Sequence[Resource], base_exemptions: Sequence[Exemption],
          head_exemptions: Sequence[Exemption], policy: Policy) -> tuple[AddedSuppression, ...]:
    """What the change adds to what silences findings: directives on head resources that the same
    resource in the base lacks, and exemptions of the head's policy files the base's lack.

    `policy` is the one in force: an exemption it does not hold (--policy-from base) and every
    directive under inline_suppressions: deny are listed as not honoured.
    """
    before: dict[str, set[tuple]] = {}
    for resource in base:
        before.setdefault(resource.address, set()).update(_directive_key(d) for d in resource.suppressions)
    inline = policy.settings.inline_suppressions != "deny"
    out: set[AddedSuppression] = set()
    seen: set[tuple] = set()  # the instances of a count or for_each share their directives
    for resource in sorted(head, key=lambda r: r.address):
        for directive in resource.suppressions:
            line = directive.line or resource.location.line
            if _directive_key(directive) in before.get(resource.address, set()):
                continue
            if (resource.location.file, line) in seen:
                continue
            seen.add((resource.location.file, line))
            out.add(AddedSuppression(resource.location.file, line, resource.address, directive.rules,
                                     directive.reason, "inline", inline))
    old = {_exemption_key(e) for e in base_exemptions}
    in_force = {_exemption_key(e) for e in policy.exemptions}
    for exemption in head_exemptions:
        key = _exemption_key(exemption)
        if key not in old:
            out.add(AddedSuppression(exemption.file, exemption.line, exemption.resource, (exemption.rule,),
                                     exemption.reason, "exemption", key in in_force))
    return tuple(sorted(out, key=AddedSuppression.sort_key))


def _directive_key(directive: Suppression) -> tuple:
    return (directive.rules, directive.reason, directive.until)


def _exemption_key(exemption: Exemption) -> tuple:
    return (exemption.rule, exemption.resource, exemption.reason, exemption.expires)


def _check_directive(
    directive: Suppression, known: set[str], today: _dt.date
) -> tuple[str, tuple[str, ...]]:
    """(problem or "", the ids it may suppress)."""
    if directive.problem:
        return directive.problem, ()
    if directive.until is not None:
        until = parse_date(directive.until)
        if until is None:
            return f"until={directive.until} is not a date (YYYY-MM-DD)", ()
        if until < today:
            return f"expired on {directive.until}", ()
    unknown = [rule for rule in directive.rules if rule != "*" and rule not in known]
    usable = tuple(rule for rule in directive.rules if rule not in unknown)
    if unknown:
        names = ", ".join(repr(rule) for rule in unknown)
        return f"{names} names no rule id or rule type of the policy", usable
    return "", usable


def _names(ids: tuple[str, ...], finding: Finding) -> bool:
    return any(rule in ("*", finding.rule, finding.type) for rule in ids)


def _exempts(exemption: Exemption, finding: Finding) -> bool:
    return exemption.rule in ("*", finding.rule, finding.type) and address_matches(
        finding.resource, exemption.resource
    )


def address_matches(address: str, pattern: str) -> bool:
    """Glob match of a resource address where only `*` and `?` are wildcards.

    Addresses are full of brackets (`aws_instance.web[0]`), which fnmatch would read as a
    character class; here they match themselves.
    """
    return fnmatch.fnmatchcase(address, pattern.replace("[", "[[]"))


def _exemption_problem(exemption: Exemption, today: _dt.date) -> str:
    if exemption.expires is None:
        return ""
    expires = parse_date(str(exemption.expires))
    if expires is None:
        return f"exemption has an invalid expires date {exemption.expires!r}"
    if expires < today:
        return f"exemption of {exemption.resource} from {exemption.rule} expired on {expires}"
    return ""


def _problem_finding(resource: Resource, directive: Suppression, problem: str) -> Finding:
    return Finding(
        rule=RULE_ID,
        type=RULE_ID,
        severity="warn",
        resource=resource.address,
        path="",
        file=resource.location.file,
        line=directive.line or resource.location.line,
        message=f"suppression ignored: {problem}",
        fix="write `guardrails:ignore <rule-id>[,<rule-id>] [until=YYYY-MM-DD] <reason>` "
        "naming a rule id or type of the policy, or remove it",
    )


def _exemption_finding(exemption: Exemption, problem: str) -> Finding:
    return Finding(
        rule=RULE_ID,
        type=RULE_ID,
        severity="warn",
        resource=exemption.resource,
        path="",
        file=exemption.file,
        line=exemption.line,
        message=f"{problem}; it suppresses nothing",
        fix="fix the resource and remove the exemption, or renew its expires date",
    )
