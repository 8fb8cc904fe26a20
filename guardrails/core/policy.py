"""A loaded, validated policy: what rules run, where, and with which settings."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from guardrails.core.limits import DEFAULT_LIMITS, Limits


# The findings guardrails makes itself carry these rule ids; a policy may not use them, and an
# inline suppression or an exemption may name them.
UNINSPECTED_RULE = "module-not-inspected"  # a module call whose resources could not be read
UNINSPECTED_FIX = ("run terraform init (guardrails reads .terraform/modules) or guardrails modules fetch, vendor "
                   "the module, or check a plan (terraform show -json)")

@dataclass(frozen=True)
class Match:
    """Which resources a rule looks at. Empty tuples match everything."""

    resources: tuple[str, ...] = ()  # globs over resource types (aws_*, Deployment)
    paths: tuple[str, ...] = ()  # globs over file paths relative to the scan root
    namespaces: tuple[str, ...] = ()  # globs over Kubernetes namespaces
    exclude_resources: tuple[str, ...] = ()  # globs over addresses


@dataclass(frozen=True)
class RuleConfig:
    id: str
    type: str
    severity: str = "fail"
    match: Match = field(default_factory=Match)
    options: Mapping[str, Any] = field(default_factory=dict)  # every other key of the rule
    description: str = ""
    file: str = ""  # the policy file that defined it, for error messages
    line: int = 0
    # The rule type's typed options (its module's Options), built and checked at policy load.
    parsed: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Exemption:
    rule: str  # rule id, rule type or *
    resource: str  # address glob
    reason: str
    expires: str | None = None  # ISO date
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class Settings:
    region: str | None = None
    unknown: str = "warn"  # ignore | warn | fail
    # allow | deny: whether `guardrails:ignore` comments and annotations in the files are
    # honoured. deny leaves suppressing to the policy's exemptions (which --policy-from base
    # keeps out of a pull request's reach).
    inline_suppressions: str = "allow"
    kubernetes: Mapping[str, Any] = field(default_factory=dict)
    limits: Limits = DEFAULT_LIMITS  # how much input a run reads (settings.limits)
    other: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Policy:
    rules: tuple[RuleConfig, ...]
    settings: Settings = field(default_factory=Settings)
    exemptions: tuple[Exemption, ...] = ()
    sources: tuple[str, ...] = ()  # files it was read from, in order (builtin:NAME for packs)


def group_by_tag(value: str) -> str | None:
    """The tag of a `tag:NAME` grouping (`--group-by`, a cost rule's `group_by`); None when the
    value is not spelt so."""
    kind, sep, name = value.partition(":")
    return name.strip() if kind == "tag" and sep and name.strip() else None
