"""EC2 Dedicated Hosts: the on-demand hourly price of a host of its instance family.

A host is billed by the hour whatever runs on it (the instances on it are not billed again). Its
family is `instance_family`, or the family of `instance_type` (the text before the first dot).
Reservations and Savings Plans are not applied (on-demand list prices).

Catalog key (service `ec2-host`): the family, e.g. `c5`, `mac1` (per host-hour).
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import PricingContext, Unpriced, hours, text


def ec2_host(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    family = text(attrs.get("instance_family"), "instance_family")
    if family is None:
        instance_type = text(attrs.get("instance_type"), "instance_type")
        if instance_type is None:
            raise Unpriced("neither instance_family nor instance_type is set")
        family = instance_type.split(".", 1)[0]
    region = ctx.region(resource, "aws")
    name = f"Dedicated host (on-demand, {family})"
    components: list[CostComponent] = []
    with ctx.part(name):
        components.append(hours(name, ctx.price("aws", "ec2-host", region, family, what=f"{family} dedicated host")))
    return components
