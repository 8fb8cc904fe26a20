"""Amazon MQ brokers (ActiveMQ, RabbitMQ): broker hours for each broker the deployment mode runs,
and storage by use.

Catalog keys, service `mq`: `<engine>/<host instance type>` (hour; engine `activemq` or
`rabbitmq`), `storage/<efs|ebs>` (GB-month). Usage key, Infracost's name: `storage_size_gb` (per
broker).
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import HOURS_PER_MONTH, PricingContext, Unpriced, hours, per_month, text

# How many brokers each deployment mode runs (AWS bills each).
BROKERS = {"SINGLE_INSTANCE": 1, "ACTIVE_STANDBY_MULTI_AZ": 2, "CLUSTER_MULTI_AZ": 3}


def mq_broker(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "aws")
    engine_type = text(attrs.get("engine_type"), "engine_type")
    if engine_type is None:
        raise Unpriced("engine_type is not set")
    engine = engine_type.lower()
    if engine not in ("activemq", "rabbitmq"):
        raise Unpriced(f"engine_type {engine_type!r} is neither ActiveMQ nor RabbitMQ")
    instance_type = text(attrs.get("host_instance_type"), "host_instance_type")
    if instance_type is None:
        raise Unpriced("host_instance_type is not set")
    mode = (text(attrs.get("deployment_mode"), "deployment_mode") or "SINGLE_INSTANCE").upper()
    if mode not in BROKERS:
        raise Unpriced(f"deployment_mode {mode!r} is not one Amazon MQ offers")
    brokers = BROKERS[mode]
    storage_type = text(attrs.get("storage_type"), "storage_type")
    if storage_type is None:
        storage_type = "efs" if engine == "activemq" else "ebs"  # AWS's defaults
        ctx.notes.append(f"storage_type not set: {storage_type}, the {engine_type} default")
    storage_type = storage_type.lower()
    shown = f"Brokers ({engine_type}, {instance_type}, {mode.lower()}, {brokers})"
    components: list[CostComponent] = []
    with ctx.part(shown):
        price = ctx.price("aws", "mq", region, f"{engine}/{instance_type}", what=f"{engine_type} broker {instance_type}")
        components.append(hours(shown, price, HOURS_PER_MONTH * brokers))
    name = f"Storage ({storage_type.upper()})"
    with ctx.part(name):
        price = ctx.price("aws", "mq", region, f"storage/{storage_type}", what=f"Amazon MQ {storage_type} storage")
        components.append(per_month(name, ctx.usage_value(resource, "storage_size_gb") * brokers, "GB-months", price,
                                    usage_based=True))
    return components
