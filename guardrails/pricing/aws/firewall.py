"""AWS Network Firewall: firewall endpoint-hours and traffic processed.

A firewall has one endpoint in each subnet of its `subnet_mapping` blocks, each billed by the hour.

Catalog keys (service `network-firewall`): `endpoint/hour`, `data-processed` (per GB).
Usage key: `monthly_data_processed_gb`.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.aws.common import times
from guardrails.pricing.base import PricingContext, Unpriced, blocks, hours, per_month


def networkfirewall_firewall(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    endpoints = len(blocks(resource.attrs.get("subnet_mapping"), "subnet_mapping"))
    if endpoints == 0:
        raise Unpriced("subnet_mapping is not set, so the number of firewall endpoints is unknown")
    components: list[CostComponent] = []
    label = f"Network Firewall endpoint{times(endpoints)}"
    with ctx.part(label):
        components.append(hours(label, ctx.price("aws", "network-firewall", region, "endpoint/hour",
                                                 what="Network Firewall endpoint-hours"), 730 * endpoints))
    with ctx.part("Data processed"):
        price = ctx.price("aws", "network-firewall", region, "data-processed", what="Network Firewall data processed")
        components.append(per_month("Data processed", ctx.usage_value(resource, "monthly_data_processed_gb"), "GB",
                                    price, usage_based=True))
    ctx.notes.append("the firewall's NAT gateway hours and data processed (charged offset) are not modelled")
    return components
