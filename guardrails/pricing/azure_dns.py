"""Azure DNS: `azurerm_dns_zone` and `azurerm_private_dns_zone`, billed per hosted zone-month.

Catalog keys: `azure dns zone` and `azure dns private-zone` (month per zone, the price of the
first 25 zones). DNS zones are global
resources without a `location`; Azure prices them by the billing zone of their resource
group's region, so the region is the location of the `azurerm_resource_group` the zone names
(`resource_group_name`) when it is among the scanned resources, else the provider's or the
policy's. Queries are usage and not modelled (a note says so).
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.azure_references import region_of, resource_group
from guardrails.pricing.base import PricingContext, known, per_month


def dns_zone(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    return _zone(resource, ctx, "zone")


def private_dns_zone(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    return _zone(resource, ctx, "private-zone")


def _zone(resource: Resource, ctx: PricingContext, key: str) -> list[CostComponent]:
    name = resource.attrs.get("resource_group_name")
    group = resource_group(ctx, resource, name)
    if group is None:
        known(name, "resource_group_name")
    region = region_of(ctx, resource, group, "its resource group (resource_group_name)")
    ctx.notes.append("DNS queries (billed per million) are not modelled")
    with ctx.part("Hosted zone"):
        price = ctx.price("azure", "dns", region, key, what=f"a DNS hosted {key}")
        return [per_month("Hosted zone", 1, "months", price)]
    return []


MODELS = {"azurerm_dns_zone": dns_zone, "azurerm_private_dns_zone": private_dns_zone}
