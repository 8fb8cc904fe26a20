"""Private endpoints (`azurerm_private_endpoint`): hours, and the data they process.

Catalog keys: `azure private-link endpoint/hour`; `inbound/first-1pb`, `inbound/next-4pb`,
`inbound/over-5pb` and the same for `outbound/` (GB). Inbound and outbound data are usage
(`monthly_inbound_data_processed_gb`, `monthly_outbound_data_processed_gb`, Infracost's keys),
tiered at 1 PB and 5 PB (taken as 1,000,000 and 5,000,000 GB, as Infracost does).
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing import azure_references, azure_usage
from guardrails.pricing.base import PricingContext, hours

_PB = 1_000_000.0


def private_endpoint(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = azure_references.region(ctx, resource)
    components: list[CostComponent] = []
    with ctx.part("Private endpoint"):
        components.append(hours("Private endpoint", ctx.price("azure", "private-link", region, "endpoint/hour",
                                                              what="private endpoint hours")))
    for way in ("inbound", "outbound"):
        tiers = ((f"{way}/first-1pb", _PB, "first 1 PB"), (f"{way}/next-4pb", 4 * _PB, "next 4 PB"),
                 (f"{way}/over-5pb", None, "over 5 PB"))
        components.extend(azure_usage.tiered(ctx, resource, region, "private-link",
                                             f"monthly_{way}_data_processed_gb",
                                             f"{way.capitalize()} data processed", tiers))
    return components


MODELS = {"azurerm_private_endpoint": private_endpoint}
