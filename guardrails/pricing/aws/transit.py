"""Transit gateway VPC attachments: attachment-hours and data processed.

The transit gateway itself is not billed; each attachment is, by the hour, and each GB it sends
through the gateway.

Catalog keys (service `transit-gateway`): `attachment/hour`, `data-processed` (per GB).
Usage key: `monthly_data_processed_gb`.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import PricingContext, hours, per_month


def attachment(resource: Resource, ctx: PricingContext, region: str) -> list[CostComponent]:
    """The hours and data processed of one attachment (VPC or VPN)."""
    components: list[CostComponent] = []
    with ctx.part("Transit gateway attachment"):
        components.append(hours("Transit gateway attachment",
                                ctx.price("aws", "transit-gateway", region, "attachment/hour",
                                          what="transit gateway attachment-hours")))
    with ctx.part("Data processed"):
        price = ctx.price("aws", "transit-gateway", region, "data-processed", what="transit gateway data processed")
        components.append(per_month("Data processed", ctx.usage_value(resource, "monthly_data_processed_gb"), "GB",
                                    price, usage_based=True))
    return components


def vpc_attachment(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    return attachment(resource, ctx, ctx.region(resource, "aws"))
