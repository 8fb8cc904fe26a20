"""The cost of a change: each resource's monthly cost before and after, paired by address."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

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

    @property
    def delta(self) -> float | None:
        """After minus before, a missing side counting 0; None when a present side is unpriced."""
        sides = []
        for line in (self.before, self.after):
            if line is None:
                sides.append(Decimal(0))
            elif line.monthly is None:
                return None
            else:
                sides.append(Decimal(repr(line.monthly)))
        return float(sides[1] - sides[0])

    def worst(self, side: str) -> float | None:
        """A side's cost with every cap at its maximum (its monthly cost when it does not scale);
        None where the resource is absent, unpriced, or its cap cannot be evaluated."""
        line = self.before if side == "before" else self.after
        return None if line is None else line.worst

    @property
    def worst_delta(self) -> float | None:
        """How much the change raises the worst case; None when a present side's is unknown."""
        sides = []
        for side, line in (("before", self.before), ("after", self.after)):
            if line is None:
                sides.append(Decimal(0))
            elif self.worst(side) is None:
                return None
            else:
                sides.append(Decimal(repr(self.worst(side))))
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

    @property
    def delta(self) -> float:
        return round_cents(float(Decimal(repr(self.after)) - Decimal(repr(self.before))))


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

    def _grouped(self, key_of: Any) -> list[Group]:
        sums: dict[str | None, list[Any]] = {}
        for item in self.resources:
            for side, line in (("before", item.before), ("after", item.after)):
                if line is None:
                    continue
                key, unknown = key_of(side, item)
                entry = sums.setdefault(key, [Decimal(0), Decimal(0), 0, None, 0, Decimal(0), Decimal(0)])
                if line.monthly is not None:
                    entry[0 if side == "before" else 1] += Decimal(repr(line.monthly))
                    worst = line.worst if line.worst is not None else line.monthly
                    entry[5 if side == "before" else 6] += Decimal(repr(worst))
                counted = side == "after" or item.after is None
                if counted:
                    entry[2] += 1
                    entry[4] += unknown
                    largest = entry[3]
                    cost = line.monthly or 0
                    if largest is None or cost > ((largest.after or largest.before).monthly or 0):
                        entry[3] = item
        groups = [Group(key, round_cents(float(v[0])), round_cents(float(v[1])), v[2], v[3], v[4],
                        round_cents(float(v[5])), round_cents(float(v[6])))
                  for key, v in sums.items()]
        return sorted(groups, key=lambda g: (-g.after, g.key is None, g.key or ""))

    def _total(self, side: str, only: frozenset[str] | None = None) -> float:
        total = Decimal(0)
        for item in self.resources:
            if only is not None and item.address not in only:
                continue
            value = item.monthly_before if side == "before" else item.monthly_after
            if value is not None:
                total += Decimal(repr(value))
        return round_cents(float(total))

    def worst_case(self, side: str) -> float:
        """A side's total with every scalable resource at its cap; a resource whose cap cannot be
        evaluated counts at its monthly cost (a lower bound, as its worst_case_unknown says)."""
        total = Decimal(0)
        for item in self.resources:
            line = item.before if side == "before" else item.after
            if line is None or line.monthly is None:
                continue
            worst = line.worst if line.worst is not None else line.monthly
            total += Decimal(repr(worst))
        return round_cents(float(total))

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
