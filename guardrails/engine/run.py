"""Run a policy's rules over resources: scoping, unknown modules, suppressions, statuses."""
from __future__ import annotations

import datetime as _dt
from dataclasses import replace
from fnmatch import fnmatchcase
from typing import Iterable, Sequence

from guardrails.core.model import Finding, Resource
from guardrails.core.policy import UNINSPECTED_FIX, UNINSPECTED_RULE as UNINSPECTED, Match, Policy
from guardrails.rules.registry import find
from guardrails.rules.base import Context

class RuleConfigError(Exception):
    """A rule's options cannot be used; the user must fix the policy."""



def matches(match: Match, resource: Resource) -> bool:
    if match.resources and not any(fnmatchcase(resource.type, glob) for glob in match.resources):
        return False
    if match.paths and not path_matches(match.paths, resource.location.file):
        return False
    if match.namespaces:
        if resource.kind != "kubernetes" or not any(fnmatchcase(resource.namespace, g) for g in match.namespaces):
            return False
    if match.exclude_resources and any(fnmatchcase(resource.address, g) for g in match.exclude_resources):
        return False
    return True


def path_matches(globs: Iterable[str], file: str) -> bool:
    # fnmatch's `*` crosses `/`, so `envs/prod/**` and `**/*.tf` both mean what users expect.
    return any(fnmatchcase(file, glob) or fnmatchcase(file, glob.rstrip("/") + "/*") for glob in globs)


def check(policy: Policy, resources: Sequence[Resource], today: _dt.date | None = None,
          extra: Sequence[Finding] = ()) -> list[Finding]:
    """Every finding of every rule, with suppressions and exemptions applied, sorted.

    `extra` are findings made elsewhere (the cost rules, which need prices) that suppressions and
    exemptions apply to all the same.
    """
    from guardrails.engine import suppress

    today = today or _dt.date.today()
    ctx = Context(settings=policy.settings, today=today, all_resources=resources)
    checkable = [r for r in resources if r.mode == "managed" and not r.unknown]
    uninspected = [r for r in resources if r.unknown]
    findings: list[Finding] = []
    for rule in policy.rules:
        kind = find(rule.type)
        if kind is None or kind.needs_cost:
            continue  # cost rules run where prices are known (app/), on the priced change
        scoped = [r for r in checkable if matches(rule.match, r)]
        try:
            findings.extend(kind.check(rule, scoped, ctx))
        except ValueError as exc:
            # Options the schema cannot judge (a size name, a quantity) are checked by the rule.
            raise RuleConfigError(f"{rule.file}:{rule.line}: {exc}") from None
    findings.extend(_uninspected(policy, uninspected, ctx))
    findings.extend(extra)
    by_address = {r.address: r for r in resources}
    rendered = frozenset(r.address for r in resources if r.kind == "kubernetes" and r.root
                         and "terraform_type" not in r.meta)  # objects kustomizations render
    findings = [_status(f, by_address.get(f.resource)) for f in _unique(findings, rendered)]
    findings = suppress.apply(findings, by_address, policy, today)
    return sorted(_unique(findings, rendered), key=Finding.sort_key)


def _uninspected(policy: Policy, resources: Sequence[Resource], ctx: Context) -> Iterable[Finding]:
    """A module we could not read may hide anything: one finding per call, when a rule that judges
    Terraform covers its path (once per call, not once per rule: the reason and the fix are the same)."""
    if ctx.settings.unknown == "ignore":
        return
    rules = [(rule, kind) for rule in policy.rules if (kind := find(rule.type)) is not None and not kind.needs_cost
             and kind.judges("terraform") and not rule.match.namespaces]  # no Kubernetes objects in a module
    for resource in resources:
        if not any(not rule.match.paths or path_matches(rule.match.paths, resource.location.file) for rule, _ in rules):
            continue
        yield Finding(rule=UNINSPECTED, type="module", severity=ctx.settings.unknown, resource=resource.address,
                      path="", file=resource.location.file, line=resource.location.line,
                      message=f"not checked: {resource.unknown}", fix=UNINSPECTED_FIX, root=resource.root)


def _status(finding: Finding, resource: Resource | None) -> Finding:
    if resource is not None and resource.action == "no-op" and finding.status == "new":
        return replace(finding, status="existing")
    return finding


def _unique(findings: Iterable[Finding], rendered: frozenset[str] = frozenset()) -> list[Finding]:
    # The place is part of the key: sibling root modules (examples/*) reuse one address, and
    # each root's finding must survive. A Kubernetes object that several kustomizations render
    # unchanged (the installs of one base) is one finding at its place: fixing it there fixes all.
    seen: dict[tuple, Finding] = {}
    for finding in findings:
        root = "" if finding.resource in rendered else finding.root
        key = (finding.rule, finding.resource, finding.path, finding.message, finding.status,
               finding.file, finding.line, root)
        seen.setdefault(key, finding)
    return list(seen.values())


def verdict(findings: Sequence[Finding], fail_on: str = "fail", errors: Sequence[object] = ()) -> str:
    """fail when a new finding is at or above `fail_on`; incomplete when an input could not be
    read (what was not read may hold anything, so it is never a pass); warn when anything else
    is shown."""
    blocking = {"fail"} if fail_on == "fail" else {"fail", "warn"}
    active = [f for f in findings if f.status != "suppressed"]
    if any(f.status == "new" and f.severity in blocking for f in active):
        return "fail"
    if errors:
        return "incomplete"
    if any(f.severity in ("fail", "warn") for f in active):
        return "warn"
    return "pass"
