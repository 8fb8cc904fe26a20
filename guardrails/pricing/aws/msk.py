"""MSK (Managed Streaming for Apache Kafka) provisioned clusters: broker hours and broker storage.

Catalog keys, service `kafka`: `<broker instance type>` (hour), `storage` (GB-month, provisioned
per broker). Provider 3.x wrote the volume size as `broker_node_group_info.ebs_volume_size`.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, MissingComponent, Resource
from guardrails.pricing.aws.common import size_text
from guardrails.pricing.base import HOURS_PER_MONTH, PricingContext, Unpriced, block, count, hours, number, per_month, text


def msk_cluster(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "aws")
    brokers = count(attrs.get("number_of_broker_nodes"), "number_of_broker_nodes")
    group = block(attrs.get("broker_node_group_info"), "broker_node_group_info")
    if group is None:
        raise Unpriced("broker_node_group_info is not set")
    instance_type = text(group.get("instance_type"), "broker_node_group_info.instance_type")
    if instance_type is None:
        raise Unpriced("broker_node_group_info.instance_type is not set")
    shown = f"Brokers ({instance_type}, {brokers})"
    components: list[CostComponent] = []
    with ctx.part(shown):
        price = ctx.price("aws", "kafka", region, instance_type, what=f"MSK broker type {instance_type}")
        components.append(hours(shown, price, HOURS_PER_MONTH * brokers))
    storage = block(group.get("storage_info"), "broker_node_group_info.storage_info")
    ebs = block(storage.get("ebs_storage_info"), "storage_info.ebs_storage_info") if storage else None
    size_value = ebs.get("volume_size") if ebs else group.get("ebs_volume_size")
    if size_value is None:
        ctx.missing.append(MissingComponent("Broker storage", "the broker volume_size is not set"))
        return components
    size = number(size_value, "ebs_storage_info.volume_size")
    name = f"Broker storage ({size_text(size)} x {brokers})"
    with ctx.part(name):
        price = ctx.price("aws", "kafka", region, "storage", what="MSK broker storage")
        components.append(per_month(name, size * brokers, "GB-months", price))
    throughput = block(ebs.get("provisioned_throughput"), "provisioned_throughput") if ebs else None
    if throughput is not None and throughput.get("enabled") is True:
        ctx.notes.append("provisioned storage throughput is not modelled")
    ctx.notes.append("storage auto scaling beyond volume_size is not priced")
    return components
