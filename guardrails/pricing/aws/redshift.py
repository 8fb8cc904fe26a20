"""Redshift provisioned clusters: node hours for every node, and what is billed by use.

Catalog keys, service `redshift`: `<node type>` (node-hour), `managed-storage` (GB-month, RA3
nodes), `spectrum` (TB scanned), `backup-storage` (GB-month, first 50 TB). Usage keys,
Infracost's names: `managed_storage_gb`, `spectrum_data_scanned_tb`, `backup_storage_gb`.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import HOURS_PER_MONTH, PricingContext, Unpriced, count, hours, per_month, text


def redshift_cluster(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "aws")
    node_type = text(attrs.get("node_type"), "node_type")
    if node_type is None:
        raise Unpriced("node_type is not set")
    cluster_type = text(attrs.get("cluster_type"), "cluster_type")
    # The provider sends number_of_nodes (default 1) and AWS ignores it for a single-node cluster.
    nodes = 1 if cluster_type == "single-node" else count(attrs.get("number_of_nodes"), "number_of_nodes", 1)
    shown = f"Cluster nodes ({node_type}, {nodes} node" + ("s)" if nodes != 1 else ")")
    components: list[CostComponent] = []
    with ctx.part(shown):
        price = ctx.price("aws", "redshift", region, node_type, what=f"Redshift node type {node_type}")
        components.append(hours(shown, price, HOURS_PER_MONTH * nodes))
    if node_type.startswith("ra3."):
        with ctx.part("Managed storage"):
            price = ctx.price("aws", "redshift", region, "managed-storage", what="Redshift managed storage")
            components.append(per_month("Managed storage", ctx.usage_value(resource, "managed_storage_gb"),
                                        "GB-months", price, usage_based=True))
    with ctx.part("Spectrum"):
        price = ctx.price("aws", "redshift", region, "spectrum", what="Redshift Spectrum")
        components.append(per_month("Spectrum", ctx.usage_value(resource, "spectrum_data_scanned_tb"), "TB",
                                    price, usage_based=True))
    with ctx.part("Backup storage"):
        price = ctx.price("aws", "redshift", region, "backup-storage", what="Redshift backup storage")
        components.append(per_month("Backup storage", ctx.usage_value(resource, "backup_storage_gb"), "GB-months",
                                    price, usage_based=True))
    ctx.notes.append("backup storage at the first-50-TB price; concurrency scaling beyond the free credits is not modelled")
    return components
