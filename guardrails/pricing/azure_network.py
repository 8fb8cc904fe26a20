"""Azure networking billed by the hour: public IP addresses, NAT gateways, load balancers.

Catalog keys:
- `azure public-ip <sku>/<allocation>` (hour): `standard/static`, `standard/static/global`
  (a Global tier address), `basic/static`, `basic/dynamic`.
- `azure nat hour`, `azure nat data-processed` (GB).
- `azure lb data-processed` (GB, Standard load balancers).

The choices made here:
- A public IP without `sku` is Standard: the azurerm 4.x default, and Basic addresses were
  retired by Azure in September 2025 (a note says so). A Standard address is always Static.
- Data processed by a NAT gateway or a Standard load balancer is usage
  (`monthly_data_processed_gb`, Infracost's key), 0 without a usage file. A Basic load balancer
  is free. Load balancer rules are billed on `azurerm_lb_rule` / `azurerm_lb_outbound_rule`,
  which are not modelled here.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing import azure_references, azure_usage
from guardrails.pricing.base import PricingContext, Unpriced, hours, required_text


def public_ip(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    """One address for the month, by SKU, allocation and tier."""
    attrs = resource.attrs
    region = azure_references.region(ctx, resource)
    if attrs.get("sku") is None:
        ctx.notes.append("sku not set: Standard (the azurerm 4.x default; Basic addresses are retired)")
    sku = required_text(attrs.get("sku"), "sku", "Standard").lower()
    allocation = required_text(attrs.get("allocation_method"), "allocation_method").lower()
    tier = required_text(attrs.get("sku_tier"), "sku_tier", "Regional").lower()
    if sku not in ("basic", "standard") or allocation not in ("static", "dynamic") \
            or tier not in ("regional", "global"):
        raise Unpriced(f"public IP {attrs.get('sku')}/{attrs.get('allocation_method')}/"
                       f"{attrs.get('sku_tier')} is unknown")
    key = f"{sku}/{allocation}" + ("/global" if tier == "global" else "")
    name = f"IP address ({sku.capitalize()}, {allocation}, {tier})"
    with ctx.part(name):
        return [hours(name, ctx.price("azure", "public-ip", region, key, what=f"public IP {key}"))]
    return []


def nat_gateway(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    """The gateway's hours, and the data it processes (usage)."""
    region = azure_references.region(ctx, resource)
    components: list[CostComponent] = []
    with ctx.part("NAT gateway"):
        components.append(hours("NAT gateway", ctx.price("azure", "nat", region, "hour", what="NAT gateway hours")))
    components.extend(azure_usage.flat(ctx, resource, region, "nat", "data-processed",
                                       "monthly_data_processed_gb", "Data processed"))
    return components


def load_balancer(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    """A Standard load balancer's data processed (usage); a Basic one is free."""
    region = azure_references.region(ctx, resource)
    sku = required_text(resource.attrs.get("sku"), "sku", "Basic")
    if sku.lower() == "basic":
        ctx.notes.append("Basic load balancer: no charge")
        return []
    if sku.lower() == "gateway":
        raise Unpriced("Gateway load balancers are not modelled")
    if sku.lower() != "standard":
        raise Unpriced(f"sku {sku} is unknown")
    ctx.notes.append("rules are billed on azurerm_lb_rule and azurerm_lb_outbound_rule (not modelled)")
    return azure_usage.flat(ctx, resource, region, "lb", "data-processed", "monthly_data_processed_gb",
                            "Data processed")


MODELS = {
    "azurerm_public_ip": public_ip,
    "azurerm_nat_gateway": nat_gateway,
    "azurerm_lb": load_balancer,
}
