"""ElastiCache clusters and replication groups: node hours, however many nodes the settings imply.

The node count is where the provider versions differ: 3.x wrote shard settings in a
`cluster_mode` block and named `number_cache_clusters`, later versions use attributes.
"""
from __future__ import annotations

from typing import Any, Mapping

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import HOURS_PER_MONTH, PricingContext, Unpriced, block, blocks, count, hours, known, text


def _cache_nodes(ctx: PricingContext, resource: Resource, region: str, node_type: str, nodes: int) -> CostComponent:
    engine = text(resource.attrs.get("engine"), "engine")
    if engine == "valkey":
        ctx.notes.append("valkey: priced at the catalog's node price, which AWS lists lower for Valkey")
    price = ctx.price("aws", "elasticache", region, node_type, what=f"ElastiCache node type {node_type}")
    shown = f"{nodes} node" + ("s" if nodes != 1 else "")
    return hours(f"Cache nodes ({node_type}, {shown})", price, HOURS_PER_MONTH * nodes)


def elasticache_cluster(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "aws")
    node_type = text(attrs.get("node_type"), "node_type")
    if node_type is None:
        grouped = attrs.get("replication_group_id") is not None
        raise Unpriced("node_type is not set" + (": it comes from the replication group" if grouped else ""))
    nodes = count(attrs.get("num_cache_nodes"), "num_cache_nodes", 1)
    return [_cache_nodes(ctx, resource, region, node_type, nodes)]


def elasticache_replication_group(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "aws")
    node_type = text(attrs.get("node_type"), "node_type")
    if node_type is None:
        global_group = attrs.get("global_replication_group_id") is not None
        raise Unpriced("node_type is not set" + (": it comes from the global replication group" if global_group else ""))
    # Provider 3.x wrote the shard settings in a cluster_mode block; later ones as attributes.
    settings: Mapping[str, Any] = attrs
    legacy = known(attrs.get("cluster_mode"), "cluster_mode")
    if isinstance(legacy, (list, Mapping)):
        settings = block(attrs.get("cluster_mode"), "cluster_mode") or {}
    shards = settings.get("num_node_groups")
    if shards is not None:
        groups = count(shards, "num_node_groups")
        replicas = settings.get("replicas_per_node_group")
        if replicas is not None:
            nodes = groups * (count(replicas, "replicas_per_node_group") + 1)
        else:
            configured = blocks(attrs.get("node_group_configuration"), "node_group_configuration")
            if len(configured) != groups or any(c.get("replica_count") is None for c in configured):
                raise Unpriced("replicas_per_node_group is not set: the number of replicas cannot be evaluated")
            nodes = sum(count(c.get("replica_count"), "node_group_configuration.replica_count") + 1 for c in configured)
    else:
        clusters = attrs.get("num_cache_clusters")
        if clusters is None:
            clusters = attrs.get("number_cache_clusters")  # provider 3.x name
        nodes = count(clusters, "num_cache_clusters", 1)  # provider docs: defaults to 1
    return [_cache_nodes(ctx, resource, region, node_type, nodes)]
