"""The rule types a policy can name: a typed registry, each type's module imported only when used.

A rule module declares, at its top:

- `TYPE`: the policy's `type:`;
- `TARGETS`: what it judges, a subset of {"terraform", "kubernetes"};
- `NEEDS_COST`: whether it judges priced cost (it then runs where prices are known, on the
  cost of the whole change, not on single resources);
- `Options`: a frozen dataclass of its options, and `options(rule)` that builds it, raising
  ValueError naming the rule and option for a value the schema cannot judge;
- `validate(raw, path)`: the problems of the raw rule mapping the schema cannot say (a pattern
  RE2 refuses, thresholds in the wrong order), as (path, message) pairs;
- `check(rule, resources, ctx)`: a generator of findings (never prints, never prices);
- a docstring in the sections What it does / Why is this bad? / Example / Use instead;
- optionally `owner_tags(rule)` and `untagged_keys(rule, resource)`: a rule that says which tags
  make a resource's spend owned declares them, and untagged spend is counted by its judgment.

The policy loader calls `validate` and `options` at load, so a policy with a bad option is a
policy error at its file and line before anything is scanned, and the rules read their typed
options from `rule.parsed`. Nothing outside this module names a rule type to decide what to do.
"""
from __future__ import annotations

import functools
import importlib
from types import ModuleType
from typing import Any, Iterable, Iterator, Mapping, NamedTuple

from guardrails.core.policy import RuleConfig

# type -> module; explicit, so nothing registers itself by being imported.
RULE_MODULES: dict[str, str] = {
    "required-tags": "guardrails.rules.required_tags",
    "k8s-resources": "guardrails.rules.k8s_resources",
    "instance-size": "guardrails.rules.instance_size",
    "storage-tier": "guardrails.rules.storage_tier",
    "attribute": "guardrails.rules.attribute",
    "cost": "guardrails.rules.cost",
    "used-by": "guardrails.rules.used_by",
}

TARGET_NAMES = frozenset({"terraform", "kubernetes"})


class UnknownRuleType(KeyError):
    def __str__(self) -> str:
        return f"unknown rule type {self.args[0]!r}; known types: {', '.join(sorted(RULE_MODULES))}"


class RuleType(NamedTuple):
    """One rule type, as its module declares it."""

    name: str
    targets: frozenset[str]
    needs_cost: bool
    module: ModuleType

    @property
    def doc(self) -> str:
        return (self.module.__doc__ or "").strip()

    def judges(self, kind: str) -> bool:
        """Whether resources of this kind ("terraform", "kubernetes") can have findings of this type."""
        return kind in self.targets

    def validate(self, raw: Mapping[str, Any], path: list[Any]) -> Iterable[tuple[list[Any], str]]:
        return self.module.validate(raw, path)

    def options(self, rule: RuleConfig) -> Any:
        return self.module.options(rule)

    def check(self, rule: RuleConfig, resources: Any, ctx: Any) -> Iterator[Any]:
        return self.module.check(rule, resources, ctx)

    @property
    def judges_ownership(self) -> bool:
        """Whether the type says which tags make spend owned (owner_tags, untagged_keys)."""
        return callable(getattr(self.module, "untagged_keys", None))

    def owner_tags(self, rule: RuleConfig) -> tuple[str, ...]:
        return tuple(self.module.owner_tags(rule))

    def untagged_keys(self, rule: RuleConfig, resource: Any) -> tuple[str, ...]:
        return tuple(self.module.untagged_keys(rule, resource))


@functools.cache
def rule_type(name: str) -> RuleType:
    """The registered type `name` (its module imported now); UnknownRuleType if there is none."""
    if name not in RULE_MODULES:
        raise UnknownRuleType(name)
    module = importlib.import_module(RULE_MODULES[name])
    targets = frozenset(module.TARGETS)
    # A module that does not declare itself fully is our bug: say so at once, not mid-run.
    if module.TYPE != name or not targets or targets - TARGET_NAMES or not isinstance(module.NEEDS_COST, bool):
        raise RuntimeError(f"{module.__name__} does not declare rule type {name!r} correctly")
    for function in ("options", "validate", "check"):
        if not callable(getattr(module, function, None)):
            raise RuntimeError(f"{module.__name__} has no {function}()")
    return RuleType(name, targets, module.NEEDS_COST, module)


def names() -> list[str]:
    """Every rule type, sorted."""
    return sorted(RULE_MODULES)


def options_of(rule: RuleConfig) -> Any:
    """The rule's typed options: parsed at policy load, or now for a rule built another way."""
    if rule.parsed is not None:
        return rule.parsed
    return rule_type(rule.type).options(rule)


def find(name: str) -> RuleType | None:
    """The registered type `name`, or None (a policy built in code may name anything)."""
    return rule_type(name) if name in RULE_MODULES else None


def ownership_rules(rules: Iterable[RuleConfig]) -> list[tuple[RuleConfig, RuleType]]:
    """The rules that say which tags make a resource's spend owned, with their types."""
    return [(rule, kind) for rule in rules if (kind := find(rule.type)) is not None and kind.judges_ownership]


def cost_rules(rules: Iterable[RuleConfig]) -> list[RuleConfig]:
    """The rules that judge priced cost: they run where prices are known, not with the others."""
    return [rule for rule in rules if (kind := find(rule.type)) is not None and kind.needs_cost]
