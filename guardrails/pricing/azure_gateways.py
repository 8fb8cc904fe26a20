"""Azure gateways billed per deployment-hour: Application Gateway v2, Azure Firewall, VPN
gateways (`azurerm_virtual_network_gateway`), Azure Bastion.

Catalog keys:
- `azure appgw <sku>/hour` (`waf_v2/hour`, `standard_v2/hour`) and `<sku>/capacity-unit`
  (CU-hour).
- `azure firewall <tier>/hour` (`standard`, `premium`, `basic`) and `<tier>/data-processed` (GB).
- `azure vpn-gateway <sku>/hour` (`VpnGw1`, `VpnGw2AZ`, `Basic`, ...), `p2s-tunnel` (a tunnel
  beyond the 128 included, per month), `data-transfer` (GB).
- `azure bastion <sku>/hour` (`basic`, `standard`, `premium`), and outbound data tiers
  `outbound-data/first-10tb`, `outbound-data/next-40tb`, `outbound-data/next-100tb` (GB).

The choices made here:
- Application Gateway v2 bills a fixed price per gateway-hour plus capacity units. The
  instances it keeps (`sku.capacity`, or `autoscale_configuration.min_capacity`) are reserved
  capacity, about 10 CUs each (Microsoft's "Scaling Application Gateway v2 and WAF v2"), priced
  as such; units used above them are usage (`capacity_units`, CU-hours a month). v1 SKUs
  (Standard_Small, WAF_Medium, ...) are unpriced: retired by Azure.
- Data through a firewall (`monthly_data_processed_gb`), VPN P2S tunnels (`p2s_connection`, the
  total, the first 128 included) and VPN data (`monthly_data_transfer_gb`), and Bastion's
  outbound data (`monthly_outbound_data_gb`) are usage, Infracost's keys.
- A Bastion host without `sku` is Basic, the azurerm default.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing import azure_references, azure_usage
from guardrails.pricing.base import (
    HOURS_PER_MONTH,
    PricingContext,
    Unpriced,
    block,
    count,
    first_block,
    hours,
    per_month,
    required_text,
)

CUS_PER_INSTANCE = 10
P2S_INCLUDED = 128
_TB = 1000.0  # GB in a TB, as Infracost tiers Bastion's data


def application_gateway(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = azure_references.region(ctx, resource)
    sku = first_block(resource, "sku")
    if sku is None:
        raise Unpriced("sku is not set")
    tier = required_text(sku.get("tier"), "sku.tier")
    if tier.lower() not in ("standard_v2", "waf_v2"):
        raise Unpriced(f"sku.tier {tier} is not modelled (v1 gateways are retired; v2 only)")
    key = tier.lower()
    autoscale = block(resource.attrs.get("autoscale_configuration"), "autoscale_configuration")
    if autoscale is not None:
        instances = count(autoscale.get("min_capacity"), "autoscale_configuration.min_capacity", 0)
    else:
        instances = count(sku.get("capacity"), "sku.capacity")
    components: list[CostComponent] = []
    name = f"Gateway usage ({tier})"
    with ctx.part(name):
        components.append(hours(name, ctx.price("azure", "appgw", region, f"{key}/hour", what=f"{tier} gateway hours")))
    reserved = f"Reserved capacity units ({instances} instances x {CUS_PER_INSTANCE})"
    with ctx.part(reserved):
        price = ctx.price("azure", "appgw", region, f"{key}/capacity-unit", what=f"{tier} capacity units")
        if instances:
            components.append(per_month(reserved, instances * CUS_PER_INSTANCE * HOURS_PER_MONTH, "CU-hours", price))
        components.append(per_month("Capacity units above the reserved", ctx.usage_value(resource, "capacity_units"),
                                    "CU-hours", price, usage_based=True))
    return components


def firewall(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = azure_references.region(ctx, resource)
    tier = required_text(resource.attrs.get("sku_tier"), "sku_tier").lower()
    if tier not in ("basic", "standard", "premium"):
        raise Unpriced(f"sku_tier {resource.attrs.get('sku_tier')} is unknown")
    components: list[CostComponent] = []
    name = f"Deployment ({tier.capitalize()})"
    with ctx.part(name):
        components.append(hours(name, ctx.price("azure", "firewall", region, f"{tier}/hour",
                                                what=f"{tier.capitalize()} firewall hours")))
    components.extend(azure_usage.flat(ctx, resource, region, "firewall", f"{tier}/data-processed",
                                       "monthly_data_processed_gb", "Data processed"))
    return components


def virtual_network_gateway(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = azure_references.region(ctx, resource)
    kind = required_text(attrs.get("type"), "type")
    if kind.lower() != "vpn":
        raise Unpriced(f"type {kind} gateways (ExpressRoute) are not modelled")
    sku = required_text(attrs.get("sku"), "sku")
    components: list[CostComponent] = []
    name = f"VPN gateway ({sku})"
    with ctx.part(name):
        components.append(hours(name, ctx.price("azure", "vpn-gateway", region, f"{sku}/hour", what=f"VPN gateway {sku}")))
    tunnels = max(0.0, ctx.usage_value(resource, "p2s_connection") - P2S_INCLUDED)
    with ctx.part("P2S tunnels (over 128)"):
        price = ctx.price("azure", "vpn-gateway", region, "p2s-tunnel", what="P2S tunnels")
        components.append(per_month("P2S tunnels (over 128)", tunnels, "tunnels", price, usage_based=True))
    components.extend(azure_usage.flat(ctx, resource, region, "vpn-gateway", "data-transfer",
                                       "monthly_data_transfer_gb", "Data transfer"))
    return components


def bastion_host(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = azure_references.region(ctx, resource)
    if resource.attrs.get("sku") is None:
        ctx.notes.append("sku not set: Basic, the azurerm default")
    sku = required_text(resource.attrs.get("sku"), "sku", "Basic").lower()
    if sku == "developer":
        ctx.notes.append("Developer SKU: no charge")
        return []
    components: list[CostComponent] = []
    name = f"Bastion host ({sku.capitalize()})"
    with ctx.part(name):
        components.append(hours(name, ctx.price("azure", "bastion", region, f"{sku}/hour", what=f"{sku} Bastion hours")))
    tiers = (("outbound-data/first-10tb", 10 * _TB, "first 10 TB"), ("outbound-data/next-40tb", 40 * _TB, "next 40 TB"),
             ("outbound-data/next-100tb", None, "next 100 TB"))
    components.extend(azure_usage.tiered(ctx, resource, region, "bastion", "monthly_outbound_data_gb",
                                         "Outbound data transfer", tiers))
    return components


MODELS = {
    "azurerm_application_gateway": application_gateway,
    "azurerm_firewall": firewall,
    "azurerm_virtual_network_gateway": virtual_network_gateway,
    "azurerm_bastion_host": bastion_host,
}
