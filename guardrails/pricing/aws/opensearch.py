"""OpenSearch Service domains (aws_opensearch_domain, and aws_elasticsearch_domain, its older
name): data, dedicated master and UltraWarm node hours, and the EBS storage of every data node.

Catalog keys, service `opensearch`: `<instance type>.search` (hour; an `.elasticsearch` type is
the same instance and price), `storage/<volume type>` (GB-month), `storage/io1/iops`,
`storage/gp3/iops` (IOPS-month above the baseline), `storage/gp3/throughput` (MBps-month above the
baseline). `volume_size` is per data node, so storage is priced for each of them.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.aws.common import size_text
from guardrails.pricing.base import (
    HOURS_PER_MONTH,
    PricingContext,
    first_block,
    flag,
    hours,
    number,
    count,
    per_month,
    text,
)

# gp3 includes 3,000 IOPS and 125 MiBps for a volume below 3 TiB (OpenSearch Service developer
# guide, "EBS volume size quotas"); larger volumes have a higher baseline, not modelled here.
GP3_IOPS, GP3_MBPS, GP3_LARGE_GB = 3000.0, 125.0, 3072.0


def _type_key(instance_type: str) -> str:
    return instance_type[: -len(".elasticsearch")] + ".search" if instance_type.endswith(".elasticsearch") \
        else instance_type


def _nodes(ctx: PricingContext, region: str, label: str, instance_type: str, nodes: int) -> list[CostComponent]:
    shown = f"{label} ({instance_type}, {nodes})"
    with ctx.part(shown):
        price = ctx.price("aws", "opensearch", region, _type_key(instance_type),
                          what=f"OpenSearch instance type {instance_type}")
        return [hours(shown, price, HOURS_PER_MONTH * nodes)]
    return []


def opensearch_domain(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    suffix = ".elasticsearch" if resource.type == "aws_elasticsearch_domain" else ".search"
    config = first_block(resource, "cluster_config") or {}
    instance_type = text(config.get("instance_type"), "cluster_config.instance_type")
    if instance_type is None:
        instance_type = "m4.large" + suffix  # the provider's default
        ctx.notes.append(f"cluster_config.instance_type not set: {instance_type}, the provider's default")
    data_nodes = count(config.get("instance_count"), "cluster_config.instance_count", 1)
    components = _nodes(ctx, region, "Data nodes", instance_type, data_nodes)
    if flag(config.get("dedicated_master_enabled"), "cluster_config.dedicated_master_enabled"):
        master_type = text(config.get("dedicated_master_type"), "cluster_config.dedicated_master_type") or instance_type
        masters = count(config.get("dedicated_master_count"), "cluster_config.dedicated_master_count", 3)
        components += _nodes(ctx, region, "Dedicated masters", master_type, masters)
    if flag(config.get("warm_enabled"), "cluster_config.warm_enabled"):
        warm_type = text(config.get("warm_type"), "cluster_config.warm_type")
        if warm_type is not None:
            components += _nodes(ctx, region, "UltraWarm nodes", warm_type,
                                 count(config.get("warm_count"), "cluster_config.warm_count"))
            ctx.notes.append("UltraWarm managed storage is not modelled")
    ebs = first_block(resource, "ebs_options")
    if ebs is None or not flag(ebs.get("ebs_enabled"), "ebs_options.ebs_enabled"):
        return components
    size = number(ebs.get("volume_size"), "ebs_options.volume_size")
    volume_type = text(ebs.get("volume_type"), "ebs_options.volume_type")
    if volume_type is None:
        volume_type = "gp2"
        ctx.notes.append("ebs_options.volume_type not set: priced as gp2, the API's default")
    name = f"Storage ({volume_type}, {size_text(size)} x {data_nodes})"
    with ctx.part(name):
        price = ctx.price("aws", "opensearch", region, f"storage/{volume_type}", what=f"OpenSearch {volume_type} storage")
        components.append(per_month(name, size * data_nodes, "GB-months", price))
    iops = number(ebs.get("iops"), "ebs_options.iops", 0.0)
    if volume_type == "io1" and iops:
        with ctx.part("Provisioned IOPS (io1)"):
            price = ctx.price("aws", "opensearch", region, "storage/io1/iops", what="OpenSearch io1 IOPS")
            components.append(per_month("Provisioned IOPS (io1)", iops * data_nodes, "IOPS-months", price))
    if volume_type == "gp3":
        if size >= GP3_LARGE_GB:
            ctx.notes.append("gp3 IOPS and throughput of a volume of 3 TiB or more are not modelled")
            return components
        throughput = number(ebs.get("throughput"), "ebs_options.throughput", 0.0)
        if throughput > GP3_MBPS:
            with ctx.part(f"Provisioned throughput (gp3, above {GP3_MBPS:g} MBps)"):
                price = ctx.price("aws", "opensearch", region, "storage/gp3/throughput", what="OpenSearch gp3 throughput")
                components.append(per_month(f"Provisioned throughput (gp3, above {GP3_MBPS:g} MBps)",
                                            (throughput - GP3_MBPS) * data_nodes, "MBps-months", price))
        if iops > GP3_IOPS:
            with ctx.part(f"Provisioned IOPS (gp3, above {GP3_IOPS:g})"):
                price = ctx.price("aws", "opensearch", region, "storage/gp3/iops", what="OpenSearch gp3 IOPS")
                components.append(per_month(f"Provisioned IOPS (gp3, above {GP3_IOPS:g})",
                                            (iops - GP3_IOPS) * data_nodes, "IOPS-months", price))
    return components
