"""On-Demand Capacity Reservations (`aws_ec2_capacity_reservation`).

AWS bills a reservation at the equivalent On-Demand rate of its instance type, for every
reserved instance, whether instances run in it or not (EC2 User Guide, "Capacity Reservation
pricing and billing"); instances that do run in it are not billed again. So the reservation
is priced as `instance_count` instances of `instance_type` for the month, from the same ec2
catalog rows as an instance, and a note says that instances using it cost nothing more.
Only Linux/UNIX on shared or dedicated tenancy is priced (the catalog's prices).
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.aws.compute import instance_usage
from guardrails.pricing.base import PricingContext, Unpriced, count, required_text, text

_LINUX = "Linux/UNIX"


def capacity_reservation(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "aws")
    instance_type = required_text(attrs.get("instance_type"), "instance_type")
    platform = required_text(attrs.get("instance_platform"), "instance_platform")
    if platform != _LINUX:
        raise Unpriced(f"instance_platform {platform} is not modelled (the catalog holds {_LINUX} prices)")
    tenancy = text(attrs.get("tenancy"), "tenancy") or "default"
    reserved = count(attrs.get("instance_count"), "instance_count")
    components: list[CostComponent] = []
    with ctx.part():
        components.append(instance_usage(ctx, region, instance_type, tenancy, reserved))
    ctx.notes.append("billed whether or not instances run in it; instances that do are not billed again")
    return components
