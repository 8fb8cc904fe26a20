"""VPC endpoints (PrivateLink): endpoint-hours per Availability Zone and data processed.

An Interface or GatewayLoadBalancer endpoint is billed for each Availability Zone it is in, one
per subnet in `subnet_ids` (AWS needs at least one; an endpoint that names none is priced for one,
with a note). A Gateway endpoint (S3, DynamoDB) costs nothing. A `vpc_endpoint_type` left unset
is Gateway, the provider's default.

Catalog keys (service `vpc-endpoint`): `interface/hour`, `interface/data-processed/first-1pb`,
`.../next-4pb`, `.../over-5pb`, `gatewayloadbalancer/hour`, `gatewayloadbalancer/data-processed`.
Usage key: `monthly_data_processed_gb`.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.aws.common import times
from guardrails.pricing.aws.fees_common import list_length, tiered
from guardrails.pricing.base import PricingContext, Unpriced, hours, per_month, text

_PB = 1_000_000.0  # GB, as AWS counts its tiers
_INTERFACE_TIERS = (("Data processed (first 1 PB)", "interface/data-processed/first-1pb", _PB),
                    ("Data processed (next 4 PB)", "interface/data-processed/next-4pb", 4 * _PB),
                    ("Data processed (over 5 PB)", "interface/data-processed/over-5pb", None))


def vpc_endpoint(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    kind = text(resource.attrs.get("vpc_endpoint_type"), "vpc_endpoint_type") or "Gateway"
    if kind == "Gateway":
        ctx.notes.append("Gateway endpoints are free")
        return []
    if kind not in ("Interface", "GatewayLoadBalancer"):
        raise Unpriced(f"vpc_endpoint_type {kind} is not modelled")
    region = ctx.region(resource, "aws")
    zones = list_length(resource.attrs.get("subnet_ids"), "subnet_ids")
    if zones == 0:
        ctx.notes.append("subnet_ids is not set: priced for one Availability Zone")
        zones = 1
    key = kind.lower()
    components: list[CostComponent] = []
    label = f"Endpoint ({kind}){times(zones)}"
    with ctx.part(label):
        components.append(hours(label, ctx.price("aws", "vpc-endpoint", region, f"{key}/hour",
                                                 what=f"{kind} endpoint-hours"), 730 * zones))
    if kind == "Interface":
        components += tiered(ctx, resource, "vpc-endpoint", region, "monthly_data_processed_gb", _INTERFACE_TIERS, "GB")
    else:
        with ctx.part("Data processed"):
            price = ctx.price("aws", "vpc-endpoint", region, f"{key}/data-processed", what=f"{kind} data processed")
            components.append(per_month("Data processed", ctx.usage_value(resource, "monthly_data_processed_gb"),
                                        "GB", price, usage_based=True))
    return components
