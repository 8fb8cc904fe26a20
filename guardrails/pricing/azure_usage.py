"""Usage-based parts of Azure models: a quantity from the usage file, priced flat or by tiers."""
from __future__ import annotations

from typing import Sequence

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import PricingContext, per_month


def flat(ctx: PricingContext, resource: Resource, region: str, service: str, key: str, usage_key: str,
         name: str, unit: str = "GB") -> list[CostComponent]:
    """One usage-based part at one price, 0 without a usage file (listed all the same)."""
    with ctx.part(name):
        price = ctx.price("azure", service, region, key, what=name)
        return [per_month(name, ctx.usage_value(resource, usage_key), unit, price, usage_based=True)]
    return []


def tiered(ctx: PricingContext, resource: Resource, region: str, service: str, usage_key: str, name: str,
           tiers: Sequence[tuple[str, float | None, str]], unit: str = "GB") -> list[CostComponent]:
    """A usage quantity split over tiers `(key, size or None for the rest, label)`, in order.

    Without usage the first tier is listed at 0, so the part and its key still show."""
    left = ctx.usage_value(resource, usage_key)
    components: list[CostComponent] = []
    for index, (key, size, label) in enumerate(tiers):
        quantity = left if size is None else min(left, size)
        if quantity <= 0 and index > 0:
            break
        part = f"{name} ({label})"
        with ctx.part(part):
            price = ctx.price("azure", service, region, key, what=part)
            components.append(per_month(part, quantity, unit, price, usage_based=True))
        left -= quantity
    return components
