"""Untagged spend: which resources lack a tag the policy's tag rules (required-tags) ask for.

The rules' own scoping (`match`) applies, as when they are checked. Exemptions and suppressions
do not: they silence a finding, not the fact that nobody's tag is on the spend, and the FinOps
figure is about the spend. A tag whose value cannot be evaluated is not counted as missing.
"""
from __future__ import annotations

from typing import Sequence

from guardrails.core.costdiff import Untagged
from guardrails.core.model import Resource
from guardrails.core.policy import Policy
from guardrails.engine.run import matches
from guardrails.rules.registry import ownership_rules


def untagged(policy: Policy, resources: Sequence[Resource]) -> Untagged | None:
    """The untagged resources of one side; None when the policy has no required-tags rule."""
    rules = ownership_rules(policy.rules)
    if not rules:
        return None
    tags = tuple(dict.fromkeys(tag for rule, kind in rules for tag in kind.owner_tags(rule)))
    checkable = [r for r in resources if r.mode == "managed" and not r.unknown]
    found = {resource.address for rule, kind in rules for resource in checkable
             if matches(rule.match, resource) and kind.untagged_keys(rule, resource)}
    return Untagged(tags, frozenset(found))
