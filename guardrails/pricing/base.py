"""What every cost model shares: the pricing context, regions, usage and components.

A cost model module declares `PROVIDER` and `MODELS`, a dict from resource type to a function
`(resource, ctx) -> list[CostComponent]`. The function raises `Unpriced(reason)` when it cannot
price the resource (a type it cannot read, an instance type or region the catalog lacks, an
Unknown size). It never prints and never rounds: estimate.py sums and rounds.

Attribute values are read with the readers of providers/attributes.py (re-exported here), the
same conventions the rules read by: an Unknown is never guessed, and a zero value is no setting.

A price missing from the catalog raises `MissingPrice`. A model that prices several parts wraps
each in `with ctx.part():`, so that a missing part is listed with its reason and the others are
still priced (the resource is then incomplete, its figure a lower bound); a model that does not
wrap a part leaves the whole resource unpriced.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Mapping

from guardrails.core.model import CostComponent, MissingComponent, Resource, Unknown, is_unknown
from guardrails.core.policy import Settings
from guardrails.core.regions import ENVIRONMENT_REGION_VARIABLES
from guardrails.core.usage import Usage
from guardrails.pricing.catalog import Catalog, Price
# The readers every cost model uses, re-exported so that a model imports its tools from one place.
from guardrails.providers.attributes import (
    Unreadable,
    block,
    blocks,
    count,
    flag,
    known,
    not_a_string,
    number,
    required_text,
    text,
)
from guardrails.providers.disks import Disk

__all__ = [
    "CATALOG_PROVIDER", "HOURS_PER_MONTH", "MissingPrice", "PricingContext", "Unpriced", "WorstCaseUnknown",
    "block", "blocks",
    "count", "first_block", "flag", "hours", "known", "not_a_string", "number", "per_month", "readable",
    "required_text", "text",
]

HOURS_PER_MONTH = 730
_REGION_SHAPES = {
    "aws": re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-\d$"),
    "gcp": re.compile(r"^[a-z]+-[a-z]+\d+$"),
    "azure": re.compile(r"^[a-z]+[a-z0-9]*$"),
}
CATALOG_PROVIDER = {"aws": "aws", "google": "gcp", "azurerm": "azure"}


# A resource that cannot be priced raises Unpriced, whose message is the reason shown to the
# user. The attribute readers of providers/attributes.py raise the same exception for a value
# they cannot read, so that value's reason becomes the resource's unpriced reason unchanged.
Unpriced = Unreadable


class MissingPrice(Unreadable):
    """A price the catalog lacks (an item, or a whole region of a service); `what` names the part."""

    def __init__(self, reason: str, what: str) -> None:
        super().__init__(reason)
        self.what = what


class WorstCaseUnknown(Exception):
    """The cap a resource scales to cannot be evaluated: its worst case is unknown, never guessed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# What each cloud's Terraform provider is called in its messages.
_PROVIDER_NAMES = {"aws": "aws", "gcp": "google", "azure": "azurerm"}


@dataclass
class PricingContext:
    catalog: Catalog
    settings: Settings = field(default_factory=Settings)
    usage: Usage = field(default_factory=Usage)
    resources: Mapping[str, Resource] = field(default_factory=dict)  # every resource, by address
    used: set[tuple[str, str, str, str]] = field(default_factory=set)  # catalog keys read
    notes: list[str] = field(default_factory=list)  # notes on the resource being priced
    missing: list[MissingComponent] = field(default_factory=list)  # parts of it without a price
    # The region each cloud's provider falls back to from the environment ({"aws": "eu-west-1"}),
    # read by the CLI (core/regions.py).
    environment_regions: Mapping[str, str] = field(default_factory=dict)
    _by_type: dict[str, list[Resource]] | None = field(default=None, repr=False, compare=False)
    # The worst-case pass (estimate.py prices a resource that scales a second time, at its cap):
    # `at_max` while it runs; `scales` set by `scaled` when the resource has a cap at all.
    at_max: bool = False
    scales: bool = False

    def scaled(self, expected: float, maximum: Any, what: str) -> float:
        """How many to price: `expected`, or in the worst-case pass `maximum`, the cap the
        configuration allows (an autoscaler's maximum); `maximum` None means no cap."""
        if maximum is None:
            return expected
        self.scales = True
        if not self.at_max:
            return expected
        if is_unknown(maximum):
            raise WorstCaseUnknown(f"{what} cannot be evaluated: {maximum.reason}")
        try:
            cap = number(maximum, what)
        except Unreadable as exc:
            raise WorstCaseUnknown(str(exc)) from None
        return max(expected, cap)

    def of_type(self, *types: str) -> list[Resource]:
        """The scanned resources of these types, by address. Indexed once per estimate, so that a
        model that looks for a template or a cluster does not scan every resource each time
        (that would grow with the square of a monorepo's size)."""
        if self._by_type is None:
            index: dict[str, list[Resource]] = {}
            for address in sorted(self.resources):
                resource = self.resources[address]
                index.setdefault(resource.type, []).append(resource)
            self._by_type = index
        if len(types) == 1:
            return self._by_type.get(types[0], [])
        return sorted((r for t in set(types) for r in self._by_type.get(t, [])), key=lambda r: r.address)

    def price(self, provider: str, service: str, region: str, key: str, what: str = "") -> Price:
        """The catalog price, or MissingPrice saying whether the region or the item is missing."""
        found = self.catalog.get(provider, service, region, key)
        if found is not None:
            self.used.add((provider, service, region, key))
            return found
        what = what or key
        if region not in self.catalog.regions(provider, service):
            known = self.catalog.provider_regions(provider)
            if region in known:
                raise MissingPrice(f"region {region} has no {provider} {service} prices in the price catalog "
                                   f"(guardrails prices update --region {region} fetches them)", what)
            # A typo or a region too new for the catalog: say which names it does know nearby.
            close = difflib.get_close_matches(region, sorted(known), n=3, cutoff=0.6)
            hint = f"; the closest it knows: {', '.join(close)}" if close else ""
            raise MissingPrice(f"region {region} is not among the {_PROVIDER_NAMES.get(provider, provider)} "
                               f"regions of the price catalog{hint}", what)
        raise MissingPrice(f"{what} is not in the price catalog ({provider} {service}, {region})", what)

    @contextmanager
    def part(self, name: str = "") -> Iterator[None]:
        """Price one part of a resource; a missing price lists the part, the others are still priced."""
        try:
            yield
        except MissingPrice as exc:
            self.missing.append(MissingComponent(name or exc.what, exc.reason))

    def maybe_price(self, provider: str, service: str, region: str, key: str) -> Price | None:
        found = self.catalog.get(provider, service, region, key)
        if found is not None:
            self.used.add((provider, service, region, key))
        return found

    def usage_value(self, resource: Resource, key: str) -> float:
        """A usage quantity from the usage file, 0 when it gives none."""
        value = self.usage.get(resource, key)
        if value is None:
            return 0.0
        return float(value)

    def region(self, resource: Resource, provider: str) -> str:
        """The resource's own region, else its provider block's, else the environment's (as the
        provider reads it), else the policy's; Unpriced when none says."""
        own = _own_region(resource, provider)
        if own:
            return own
        # Not `a or b`: an Unknown has no truth value (it raises), and must be reported as such.
        configured = resource.provider_config.get("region")
        if configured is None:
            configured = resource.provider_config.get("location")
        if configured is None and provider == "gcp":
            configured = resource.provider_config.get("zone")
        if isinstance(configured, str) and configured:
            return _normalise(configured, provider)
        if is_unknown(configured):
            raise Unpriced(f"the provider's region cannot be evaluated: {configured.reason}")
        from_environment = self.environment_regions.get(provider)
        if from_environment:
            return _normalise(from_environment, provider)
        setting = self.settings.region
        if setting and _REGION_SHAPES[provider].match(setting):
            return setting
        if provider == "azure":
            raise Unpriced("location is not set")
        variables = " or ".join(ENVIRONMENT_REGION_VARIABLES.get(provider, ()))
        raise Unpriced(f"no region: the {_PROVIDER_NAMES[provider]} provider block sets none"
                       + (f", nor does {variables}" if variables else "")
                       + ", and the policy has no settings.region")


def _own_region(resource: Resource, provider: str) -> str | None:
    attrs = resource.attrs
    for key in ("region", "location"):
        value = attrs.get(key)
        if isinstance(value, Unknown):
            raise Unpriced(f"{key} cannot be evaluated: {value.reason}")
        if isinstance(value, str) and value:
            return _normalise(value, provider)
    zone = attrs.get("availability_zone") if provider == "aws" else attrs.get("zone")
    if isinstance(zone, str) and zone:
        return zone[:-1] if provider == "aws" else zone.rsplit("-", 1)[0]
    return None


def _normalise(region: str, provider: str) -> str:
    if provider == "azure":
        return region.replace(" ", "").lower()
    if provider == "gcp" and re.match(r"^[a-z]+-[a-z]+\d+-[a-z]$", region):
        return region.rsplit("-", 1)[0]  # a zone
    return region


def hours(name: str, price: Price, quantity: float = HOURS_PER_MONTH) -> CostComponent:
    return CostComponent(name=name, unit="hours", quantity=quantity, unit_price=price.value)


def per_month(name: str, quantity: float, unit: str, price: Price, usage_based: bool = False) -> CostComponent:
    return CostComponent(name=name, unit=unit, quantity=quantity, unit_price=price.value, usage_based=usage_based)


def first_block(resource: Resource, name: str) -> Mapping[str, Any] | None:
    """The first nested block of that name, or None; Unpriced when it cannot be evaluated."""
    return block(resource.attrs.get(name), name)


def readable(disk: Disk, where: str = "") -> Disk:
    """The disk, or Unpriced when the block it is written in cannot be evaluated.

    `where` is prefixed to the block's name, for a block read on another resource (a launch
    template an instance uses).
    """
    if disk.unreadable:
        name = f"{where} {disk.name}" if where else disk.name
        raise Unpriced(f"{name} cannot be evaluated: {disk.type.reason}")
    return disk
