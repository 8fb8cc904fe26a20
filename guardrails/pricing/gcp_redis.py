"""Memorystore for Redis: `google_redis_instance`.

Billed per GB-hour of provisioned memory, at a rate set by the tier (BASIC, STANDARD_HA) and the
capacity tier the size falls in: M1 1-4 GB, M2 5-10, M3 11-35, M4 36-100, M5 over 100. Catalog
keys, service `redis`: `<basic|standard>/<M1..M5>` (GB-hour).
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import HOURS_PER_MONTH, PricingContext, Unpriced, number, per_month, text
from guardrails.pricing.gcp_compute import n

CAPACITY_TIERS = ((4, "M1"), (10, "M2"), (35, "M3"), (100, "M4"))  # upper bound in GB, inclusive
TIERS = {"BASIC": "basic", "STANDARD_HA": "standard"}


def redis_instance(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "gcp")
    tier = (text(resource.attrs.get("tier"), "tier") or "BASIC").upper()
    if tier not in TIERS:
        raise Unpriced(f"tier {tier!r} is not BASIC or STANDARD_HA")
    gb = number(resource.attrs.get("memory_size_gb"), "memory_size_gb")
    if gb <= 0:
        raise Unpriced("memory_size_gb is not set")
    capacity = next((name for bound, name in CAPACITY_TIERS if gb <= bound), "M5")
    if tier == "STANDARD_HA" and number(resource.attrs.get("replica_count"), "replica_count", 1) > 1:
        ctx.notes.append("read replicas beyond the first are billed as well: not modelled")
    price = ctx.price("gcp", "redis", region, f"{TIERS[tier]}/{capacity}",
                      what=f"Redis {TIERS[tier]} tier, capacity {capacity}")
    return [per_month(f"Redis instance ({TIERS[tier]}, {capacity}, {n(gb)} GB)", gb * HOURS_PER_MONTH, "GB-hours",
                      price)]
