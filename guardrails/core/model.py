"""The values every stage passes on: resources in, findings and reports out.

Loaders build `Resource`s, rules turn them into `Finding`s, the CLI wraps both in a `Report`.
All of them are immutable so that a stage cannot change what another stage sees.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

SEVERITIES = ("fail", "warn", "info")
STATUSES = ("new", "existing", "suppressed")


class Unknown:
    """A value that cannot be known before apply (or that we cannot evaluate).

    Never a guess: rules see it and report it with `settings.unknown`.
    """

    __slots__ = ("reason",)

    def __init__(self, reason: str = "cannot be evaluated") -> None:
        self.reason = reason

    def __repr__(self) -> str:
        return f"Unknown({self.reason!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unknown)

    def __hash__(self) -> int:
        return hash("guardrails.Unknown")

    def __bool__(self) -> bool:
        # Truthiness of an unknown is itself unknown; refusing it catches code that forgets to check.
        raise TypeError("the truth of an Unknown value is unknown; test is_unknown() first")


def is_unknown(value: Any) -> bool:
    return isinstance(value, Unknown)


@dataclass(frozen=True, order=True)
class Location:
    file: str  # relative to the scan root, forward slashes ("-" for stdin)
    line: int  # first line, 1-based (0 when the format has no lines)
    end_line: int = 0


@dataclass(frozen=True)
class Suppression:
    """An inline `guardrails:ignore` found next to a resource."""

    rules: tuple[str, ...]
    reason: str
    until: str | None  # ISO date or None
    line: int
    problem: str | None = None  # why it cannot suppress anything (bad date, no reason, ...)


@dataclass(frozen=True)
class Resource:
    """One thing a rule can judge and the pricer can price.

    `attrs` holds plain evaluated values: dicts, lists, str, int, float, bool, None or `Unknown`.
    Terraform nested blocks are lists of dicts under the block type, as in a plan's JSON.
    `lines` maps an attribute path (`tags.owner`, `root_block_device[0].volume_type`,
    `spec.template.spec.containers[api].resources.limits.cpu`) to its line.
    """

    address: str
    type: str
    kind: str  # "terraform" or "kubernetes"
    location: Location
    attrs: Mapping[str, Any] = field(default_factory=dict)
    lines: Mapping[str, int] = field(default_factory=dict)
    provider: str = ""  # aws, google, azurerm, kubernetes, ...
    provider_config: Mapping[str, Any] = field(default_factory=dict)  # evaluated provider block
    namespace: str = ""  # Kubernetes namespace
    module: str = ""  # "module.app" for resources of a module call, "" at the root
    root: str = ""  # Terraform: the root module's directory ("." at the top); "" elsewhere
    mode: str = "managed"  # managed | data
    action: str = ""  # plan action: create, update, replace, no-op, read; "" from source files
    suppressions: tuple[Suppression, ...] = ()
    unknown: str = ""  # non-empty: the whole resource could not be inspected, and why
    meta: Mapping[str, Any] = field(default_factory=dict)  # loader extras (e.g. count_unknown)
    # Values written in another file than `location.file` (a Kustomize patch): path -> (file, line).
    origins: Mapping[str, tuple[str, int]] = field(default_factory=dict)

    def place_of(self, path: str) -> tuple[str, int]:
        """The file and line where `path` (or its closest enclosing attribute) was written."""
        probe = path
        while probe:
            if probe in self.origins:
                return self.origins[probe]
            if probe in self.lines:
                return self.location.file, self.lines[probe]
            probe = _parent_path(probe)
        return self.location.file, self.location.line

    def line_of(self, path: str) -> int:
        """The line of `path`, else of its closest enclosing attribute, else of the resource."""
        probe = path
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = _parent_path(probe)
        return self.location.line


_LAST_STEP = re.compile(r"(\.[^.\[\]]+|\[[^\]]*\])$")


def _parent_path(path: str) -> str:
    match = _LAST_STEP.search(path)
    if not match or match.start() == 0:
        return ""
    return path[: match.start()]


@dataclass(frozen=True)
class Finding:
    rule: str  # the policy rule id
    type: str  # the rule type
    severity: str  # fail | warn | info
    resource: str
    path: str
    file: str
    line: int
    message: str
    fix: str = ""
    status: str = "new"
    root: str = ""  # the Terraform root module the resource was evaluated in; "" elsewhere

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.resource, self.rule, self.path, self.message, self.root)


@dataclass(frozen=True)
class InputError:
    """A file, policy or argument that could not be used; the rest of the run goes on."""

    file: str
    line: int
    message: str

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.message)


@dataclass(frozen=True)
class Note:
    """Something the user should know that is not a problem: a skipped file, a module not inspected."""

    file: str
    message: str


@dataclass(frozen=True)
class AddedSuppression:
    """A suppression the change adds: an inline `guardrails:ignore`, or a policy exemption."""

    file: str
    line: int
    resource: str  # the address it sits on, or the exemption's address glob
    rules: tuple[str, ...]
    reason: str
    kind: str  # inline | exemption
    honoured: bool = True  # False: settings.inline_suppressions is deny, or the policy in force lacks it

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.resource, self.rules)


@dataclass(frozen=True)
class Report:
    """Everything a reporter formats; reporters never compute, they only read this."""

    verdict: str  # pass | warn | fail | incomplete (input errors and nothing failed)
    findings: tuple[Finding, ...] = ()
    errors: tuple[InputError, ...] = ()
    notes: tuple[Note, ...] = ()
    cost: Mapping[str, Any] | None = None  # the JSON report's cost block, when priced
    sources: Mapping[str, Mapping[int, str]] = field(default_factory=dict)  # file -> line -> text
    policy_sources: tuple[str, ...] = ()
    resources_checked: int = 0
    fail_on: str = "fail"
    change: Mapping[str, str] = field(default_factory=dict)  # diff: {"base": ..., "head": ...}
    # The policy's rules by id: {"type", "severity", "description", "help"} for reports that
    # describe rules (SARIF); "help" is the rule type's documentation.
    rules: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # diff: the suppressions and exemptions the change adds (None outside diff)
    suppressions_added: tuple[AddedSuppression, ...] | None = None


@dataclass(frozen=True)
class CostComponent:
    """One priced part of a resource: quantity x unit price per month, unrounded."""

    name: str
    unit: str  # hours, GB-months, IOPS-months, GB, requests, ...
    quantity: float
    unit_price: float
    usage_based: bool = False  # priced from the usage file; 0 when it gives no quantity

    @property
    def monthly(self) -> float:
        return self.quantity * self.unit_price


@dataclass(frozen=True)
class MissingComponent:
    """A part of a resource that has no price (a region's EBS row is missing): never counted as $0."""

    name: str
    reason: str


@dataclass(frozen=True)
class CostLine:
    """A resource's monthly cost, or why it could not be priced (never a silent $0)."""

    address: str
    type: str
    file: str
    line: int
    components: tuple[CostComponent, ...] = ()
    unpriced: str | None = None  # the reason, when the resource could not be priced
    notes: tuple[str, ...] = ()  # e.g. "sustained-use discount applied", "region from provider"
    # Parts with no price while the others are priced: the monthly figure is then a lower bound.
    missing: tuple[MissingComponent, ...] = ()
    usage_keys: tuple[str, ...] = ()  # the usage-file keys its cost model reads
    # The monthly cost with every autoscaler at its cap, for a resource that scales (None when it
    # does not: its worst case is its monthly cost); worst_case_unknown says why a cap that
    # exists could not be evaluated.
    worst_case: float | None = None
    worst_case_unknown: str | None = None

    @property
    def worst(self) -> float | None:
        """The worst case shown: at the cap when the resource scales, else its monthly cost;
        None when unpriced or when the cap cannot be evaluated."""
        if self.unpriced is not None or self.worst_case_unknown is not None:
            return None
        return self.worst_case if self.worst_case is not None else self.monthly

    @property
    def worst_counted(self) -> float | None:
        """What a worst-case total counts for it: its worst case, or its monthly cost where the cap
        cannot be evaluated (the total is then a lower bound); None when unpriced."""
        return self.worst if self.worst is not None else self.monthly

    @property
    def incomplete(self) -> bool:
        return self.unpriced is None and bool(self.missing)

    @property
    def monthly(self) -> float | None:
        """The sum of unrounded components, rounded half-up to cents; None when unpriced."""
        if self.unpriced is not None:
            return None
        return round_cents(sum(c.monthly for c in self.components))


def round_cents(value: float) -> float:
    from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

    try:
        return float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    except InvalidOperation:
        # Past 28 digits (a limit of 1e24 CPUs) a float holds no cents to round, and quantize raises.
        return value
