"""Cloud DNS: `google_dns_managed_zone`, billed per zone-month, and queries (usage).

Catalog keys, service `dns`: `managed-zone` (month; the rate of a billing account's first 25
zones), `queries` (per million). Usage key: `monthly_queries` (as Infracost names it). Cloud DNS
is global: the rate is read in the region the configuration prices in.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import PricingContext, per_month


def dns_managed_zone(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "gcp")
    components: list[CostComponent] = []
    with ctx.part("Managed zone"):
        price = ctx.price("gcp", "dns", region, "managed-zone", what="the managed zone")
        components.append(per_month("Managed zone", 1, "months", price))
    with ctx.part("Queries"):
        price = ctx.price("gcp", "dns", region, "queries", what="DNS queries")
        components.append(per_month("Queries", ctx.usage_value(resource, "monthly_queries") / 1_000_000,
                                    "1M queries", price, usage_based=True))
    return components
