"""Azure Cache for Redis (`azurerm_redis_cache`), billed per node-hour.

Catalog key: `azure redis <sku>_<family><capacity>` (node-hour: `Basic_C0`, `Standard_C3`,
`Premium_P1`). Nodes: Basic 1; Standard 2 (primary and replica); Premium `shard_count`
shards (1 when unset or 0) of 1 + `replicas_per_primary` nodes (1 replica when unset;
`replicas_per_master` is its older name). Enterprise tiers are a different resource.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing import azure_references
from guardrails.pricing.base import PricingContext, Unpriced, count, hours, required_text


def redis_cache(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = azure_references.region(ctx, resource)
    sku = required_text(attrs.get("sku_name"), "sku_name")
    family = required_text(attrs.get("family"), "family")
    capacity = count(attrs.get("capacity"), "capacity")
    if sku not in ("Basic", "Standard", "Premium"):
        raise Unpriced(f"sku_name {sku} is unknown")
    if sku == "Basic":
        nodes = 1
    elif sku == "Standard":
        nodes = 2
    else:
        shards = count(attrs.get("shard_count"), "shard_count", 0) or 1
        replicas_value = attrs.get("replicas_per_primary")
        what = "replicas_per_primary"
        if replicas_value is None:
            replicas_value, what = attrs.get("replicas_per_master"), "replicas_per_master"
        nodes = shards * (1 + count(replicas_value, what, 1))
    key = f"{sku}_{family}{capacity}"
    name = f"Cache usage ({key}, {nodes} nodes)"
    with ctx.part(name):
        price = ctx.price("azure", "redis", region, key, what=f"Redis cache {key}")
        return [hours(name, price, 730 * nodes)]
    return []


MODELS = {"azurerm_redis_cache": redis_cache}
