"""Azure Container Registry (`azurerm_container_registry`): the registry by the day, each
geo-replication, and usage.

Catalog keys: `azure acr <sku>/day` (`basic`, `standard`, `premium`), `geo-replication/day`
(a replica location, Premium), `storage` (GB-month beyond the SKU's included storage),
`build-vcpu` (vCPU-second). A month is 730 / 24 days (DESIGN's 730 hours). Included storage:
Basic 10 GB, Standard 100 GB, Premium 500 GB (Azure Container Registry pricing). Storage
(`storage_gb`) and builds (`monthly_build_vcpu_hrs`) are usage, Infracost's keys.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing import azure_references
from guardrails.pricing.base import HOURS_PER_MONTH, PricingContext, Unpriced, blocks, per_month, required_text

DAYS_PER_MONTH = HOURS_PER_MONTH / 24
_INCLUDED_GB = {"basic": 10.0, "standard": 100.0, "premium": 500.0}


def container_registry(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = azure_references.region(ctx, resource)
    sku = required_text(attrs.get("sku"), "sku").lower()
    if sku not in _INCLUDED_GB:
        raise Unpriced(f"sku {attrs.get('sku')} is unknown")
    components: list[CostComponent] = []
    name = f"Registry usage ({sku.capitalize()})"
    with ctx.part(name):
        price = ctx.price("azure", "acr", region, f"{sku}/day", what=f"{sku.capitalize()} registry")
        components.append(per_month(name, DAYS_PER_MONTH, "days", price))
    replicas = len(blocks(attrs.get("georeplications"), "georeplications"))
    if replicas:
        name = f"Geo replication ({replicas} locations)"
        with ctx.part(name):
            price = ctx.price("azure", "acr", region, "geo-replication/day", what="geo-replication")
            components.append(per_month(name, replicas * DAYS_PER_MONTH, "days", price))
    stored = ctx.usage_value(resource, "storage_gb")
    name = f"Storage (over {_INCLUDED_GB[sku]:g} GB)"
    with ctx.part(name):
        price = ctx.price("azure", "acr", region, "storage", what="registry storage")
        components.append(per_month(name, max(0.0, stored - _INCLUDED_GB[sku]), "GB-months", price, usage_based=True))
    with ctx.part("Build vCPU"):
        price = ctx.price("azure", "acr", region, "build-vcpu", what="build vCPU-seconds")
        seconds = ctx.usage_value(resource, "monthly_build_vcpu_hrs") * 3600
        components.append(per_month("Build vCPU", seconds, "vCPU-seconds", price, usage_based=True))
    return components


MODELS = {"azurerm_container_registry": container_registry}
