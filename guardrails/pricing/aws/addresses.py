"""Elastic IP addresses: public IPv4 address-hours.

Since 1 February 2024 AWS bills every public IPv4 address by the hour, attached or idle, so an
Elastic IP costs the same whatever it is associated with. An address from a pool of your own
(BYOIP, `public_ipv4_pool` other than "amazon") is not charged.

Catalog key: `eip hour` (per address-hour).
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import PricingContext, hours, text


def eip(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    pool = text(resource.attrs.get("public_ipv4_pool"), "public_ipv4_pool")
    if pool is not None and pool != "amazon":
        ctx.notes.append(f"address from the pool {pool} (BYOIP): no public IPv4 charge")
        return []
    components: list[CostComponent] = []
    with ctx.part("Public IPv4 address"):
        components.append(hours("Public IPv4 address", ctx.price("aws", "eip", region, "hour",
                                                                 what="public IPv4 address-hours")))
    ctx.notes.append("AWS bills public IPv4 addresses in use and idle alike (since February 2024)")
    return components
