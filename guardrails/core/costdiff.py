"""The cost of a change: each resource's monthly cost before and after, paired by address."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable

from guardrails.core.model import CostLine, is_unknown, round_cents

CHANGES = ("added", "removed", "changed", "unchanged")


@dataclass(frozen=True)
class ResourceDelta:
    address: str
    type: str
    change: str  # added | removed | changed | unchanged
    file: str  # where it is now (where it was, when removed)
    line: int
    before: CostLine | None  # None when the resource did not exist on that side
    after: CostLine | None
    summary: str = ""  # what changed that matters for cost: "m5.large -> m5.4xlarge"

    @property
    def monthly_before(self) -> float | None:
        return self.before.monthly if self.before is not None else None

    @property
    def monthly_after(self) -> float | None:
        return self.after.monthly if self.after is not None else None

    def side_line(self, side: str) -> CostLine | None:
        return self.before if side == "before" else self.after

    @property
    def delta(self) -> float | None:
        """After minus before, a missing side counting 0; None when a present side is unpriced."""
        return self._difference(lambda line: line.monthly)

    def worst(self, side: str) -> float | None:
        """A side's cost with every cap at its maximum (its monthly cost when it does not scale);
        None where the resource is absent, unpriced, or its cap cannot be evaluated."""
        line = self.side_line(side)
        return None if line is None else line.worst

    @property
    def worst_delta(self) -> float | None:
        """How much the change raises the worst case; None when a present side's is unknown."""
        return self._difference(lambda line: line.worst)

    def _difference(self, figure: Callable[[CostLine], float | None]) -> float | None:
        sides = []
        for line in (self.before, self.after):
            if line is None:  # the resource does not exist on that side: it costs nothing there
                sides.append(Decimal(0))
                continue
            value = figure(line)
            if value is None:
                return None
            sides.append(Decimal(repr(value)))
        return float(sides[1] - sides[0])

    @property
    def unpriced(self) -> str | None:
        for line in (self.after, self.before):
            if line is not None and line.unpriced is not None:
                return line.unpriced
        return None

    @property
    def incomplete(self) -> bool:
        """Whether a side is priced in part: its figure, and so the delta, is then a bound, not exact."""
        return any(line is not None and line.incomplete for line in (self.before, self.after))


@dataclass(frozen=True)
class Untagged:
    """The resources of one side that lack a tag the policy's required-tags rules ask for."""

    tags: tuple[str, ...]  # the keys those rules ask for
    addresses: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Group:
    """The resources that share one value of a tag (showback): key None for those without it."""

    key: str | None
    before: float
    after: float
    resources: int  # in the report on the head's side (the base's for a removed one)
    largest: ResourceDelta | None  # its costliest resource after the change, where findings point
    unknown: int = 0  # resources in the None group because the tag's value cannot be evaluated
    worst_before: float = 0.0  # the group at full scale (a resource whose cap is unknown at its monthly)
    worst_after: float = 0.0
    largest_cost: float = 0.0  # the monthly cost of `largest`

    @property
    def delta(self) -> float:
        return round_cents(float(Decimal(repr(self.after)) - Decimal(repr(self.before))))


@dataclass
class _Sums:
    """One group's running totals while CostDiff._grouped adds its resources up."""

    monthly: dict[str, Decimal] = field(default_factory=lambda: {"before": Decimal(0), "after": Decimal(0)})
    worst: dict[str, Decimal] = field(default_factory=lambda: {"before": Decimal(0), "after": Decimal(0)})
    resources: int = 0
    unknown: int = 0
    largest: ResourceDelta | None = None
    largest_cost: float = 0.0

    def add(self, side: str, line: CostLine) -> None:
        if line.monthly is not None:
            self.monthly[side] += Decimal(repr(line.monthly))
            self.worst[side] += Decimal(repr(line.worst_counted))

    def count(self, item: ResourceDelta, line: CostLine, unknown: bool) -> None:
        self.resources += 1
        self.unknown += unknown
        if self.largest is None or (line.monthly or 0) > self.largest_cost:
            self.largest, self.largest_cost = item, line.monthly or 0

    def group(self, key: str | None) -> Group:
        cents = {side: round_cents(float(value)) for side, value in self.monthly.items()}
        worst = {side: round_cents(float(value)) for side, value in self.worst.items()}
        return Group(key, cents["before"], cents["after"], self.resources, self.largest, self.unknown,
                     worst["before"], worst["after"], self.largest_cost)


@dataclass(frozen=True)
class CostDiff:
    resources: tuple[ResourceDelta, ...] = ()
    catalog: tuple[Any, ...] = ()  # the price sources used (catalog.Source)
    notes: tuple[str, ...] = field(default_factory=tuple)
    # Each side's untagged resources; None when the policy has no required-tags rule (or, for
    # `before`, outside diff).
    untagged_before: Untagged | None = None
    untagged_after: Untagged | None = None
    # Each side's tags (labels) by address, as the cloud resource carries them, for showback;
    # a value is a mapping, Unknown, or None for a resource without tags.
    tags_before: Any = field(default_factory=dict)
    tags_after: Any = field(default_factory=dict)

    def group_key(self, side: str, address: str, tag: str) -> tuple[str | None, bool]:
        """(the value of `tag` on a side's resource, or None without it; whether it is unknown)."""
        tags = (self.tags_before if side == "before" else self.tags_after).get(address)
        if is_unknown(tags):
            return None, True
        value = tags.get(tag) if hasattr(tags, "get") else None
        if is_unknown(value):
            return None, True
        if value is None or value == "":
            return None, False
        return (str(value).lower() if isinstance(value, bool) else str(value)), False

    def groups(self, tag: str) -> list[Group]:
        """The report's resources totalled per value of `tag`, each side by its own tags (a resource
        whose team changed leaves one group and joins another), costliest after the change first."""
        return self._grouped(lambda side, item: self.group_key(side, item.address, tag))

    def by_type(self) -> list[Group]:
        """The report's resources totalled per resource type, costliest after the change first."""
        return self._grouped(lambda side, item: (item.type, False))

    def _grouped(self, key_of: Callable[[str, ResourceDelta], tuple[str | None, bool]]) -> list[Group]:
        sums: dict[str | None, _Sums] = {}
        for item in self.resources:
            for side in ("before", "after"):
                line = item.side_line(side)
                if line is None:
                    continue
                key, unknown = key_of(side, item)
                entry = sums.setdefault(key, _Sums())
                entry.add(side, line)
                if side == "after" or item.after is None:  # counted once, where it is now
                    entry.count(item, line, unknown)
        groups = [entry.group(key) for key, entry in sums.items()]
        return sorted(groups, key=lambda g: (-g.after, g.key is None, g.key or ""))

    def _total(self, side: str, only: frozenset[str] | None = None,
               figure: Callable[[CostLine], float | None] = lambda line: line.monthly) -> float:
        total = Decimal(0)
        for item in self.resources:
            line = item.side_line(side)
            if line is None or (only is not None and item.address not in only):
                continue
            value = figure(line)
            if value is not None:
                total += Decimal(repr(value))
        return round_cents(float(total))

    def worst_case(self, side: str) -> float:
        """A side's total with every scalable resource at its cap; a resource whose cap cannot be
        evaluated counts at its monthly cost (a lower bound, as its worst_case_unknown says)."""
        return self._total(side, figure=lambda line: line.worst_counted)

    @property
    def worst_case_delta(self) -> float:
        return round_cents(float(Decimal(repr(self.worst_case("after"))) - Decimal(repr(self.worst_case("before")))))

    def untagged_monthly(self, side: str) -> float | None:
        """The monthly cost of a side's untagged resources; None when that side was not judged."""
        untagged = self.untagged_before if side == "before" else self.untagged_after
        return None if untagged is None else self._total(side, untagged.addresses)

    def untagged_percent(self, side: str) -> float | None:
        """That cost as a percentage of the side's total; None when the total is 0 or not judged."""
        monthly = self.untagged_monthly(side)
        total = self.before if side == "before" else self.after
        return None if monthly is None or total <= 0 else monthly / total * 100

    def untagged_resources(self) -> list[ResourceDelta]:
        """The head's untagged resources that cost something, costliest first."""
        if self.untagged_after is None:
            return []
        found = [item for item in self.resources
                 if item.address in self.untagged_after.addresses and (item.monthly_after or 0) > 0]
        return sorted(found, key=lambda item: (-(item.monthly_after or 0), item.address))

    @property
    def before(self) -> float:
        return self._total("before")

    @property
    def after(self) -> float:
        return self._total("after")

    @property
    def delta(self) -> float:
        return round_cents(float(Decimal(repr(self.after)) - Decimal(repr(self.before))))

    def drivers(self) -> list[ResourceDelta]:
        """Resources whose cost moved, largest absolute delta first."""
        moved = [r for r in self.resources if r.delta not in (None, 0.0)]
        return sorted(moved, key=lambda r: (-abs(r.delta or 0), r.address))
