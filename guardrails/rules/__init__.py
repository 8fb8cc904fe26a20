"""The rule types a policy can name, each a module imported only when a policy uses it."""
from __future__ import annotations

import importlib
from types import ModuleType

# type -> module; explicit, so nothing registers itself by being imported.
RULES: dict[str, str] = {
    "required-tags": "guardrails.rules.required_tags",
    "k8s-resources": "guardrails.rules.k8s_resources",
    "instance-size": "guardrails.rules.instance_size",
    "storage-tier": "guardrails.rules.storage_tier",
    "attribute": "guardrails.rules.attribute",
    "cost": "guardrails.rules.cost",
}


class UnknownRuleType(KeyError):
    def __str__(self) -> str:
        return f"unknown rule type {self.args[0]!r}; known types: {', '.join(sorted(RULES))}"


def rule_module(rule_type: str) -> ModuleType:
    if rule_type not in RULES:
        raise UnknownRuleType(rule_type)
    return importlib.import_module(RULES[rule_type])
