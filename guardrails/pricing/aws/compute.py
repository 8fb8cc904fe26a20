"""EC2 compute: instances, the launch templates and configurations they are made from, and Auto
Scaling groups.

They live together because a template prices nothing by itself: an instance or a group that names
one is priced with the template's instance type, tenancy and volumes. So the template is resolved
here, through `ctx.resources`, for both. Usage key: `monthly_cpu_credit_hrs` (vCPU-hours of
surplus credits of a burstable instance in unlimited mode).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.aws.common import times
from guardrails.pricing.aws.fees_common import referenced
from guardrails.pricing.aws.ebs import Volume, instance_volumes, note_ami_volumes, template_volumes, volume_components
from guardrails.pricing.base import (
    HOURS_PER_MONTH,
    PricingContext,
    Unpriced,
    block,
    blocks,
    count,
    flag,
    hours,
    number,
    per_month,
    text,
)
from guardrails.providers import disks

# CloudWatch bills detailed monitoring as 7 custom metrics per instance (AWS CloudWatch pricing).
DETAILED_MONITORING_METRICS = 7
# Burstable families and their documented credit mode when `cpu_credits` is unset (AWS provider
# docs for aws_instance: "T3 instances are launched as unlimited by default. T2 instances are
# launched as standard by default."; T3a and T4g behave like T3 per the EC2 User Guide).
BURSTABLE_DEFAULT_MODE = {"t2": "standard", "t3": "unlimited", "t3a": "unlimited", "t4g": "unlimited"}


def instance_usage(ctx: PricingContext, region: str, instance_type: str, tenancy: str = "default",
                   number_of: int = 1) -> CostComponent:
    """Linux on-demand hours of `number_of` instances of a type."""
    if tenancy == "host":
        raise Unpriced("dedicated hosts are not modelled")
    if tenancy == "dedicated":
        key, detail = f"{instance_type}/dedicated", f"dedicated, {instance_type}"
    elif tenancy == "default":
        key, detail = instance_type, instance_type
    else:
        raise Unpriced(f"tenancy {tenancy!r} is not modelled")
    price = ctx.price("aws", "ec2", region, key, what=f"instance type {instance_type}"
                      + (" with dedicated tenancy" if tenancy == "dedicated" else ""))
    return hours(f"Instance usage (Linux, on-demand, {detail}){times(number_of)}", price, HOURS_PER_MONTH * number_of)


def instance(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "aws")
    template: Machine | None = None
    if attrs.get("instance_type") is None and block(attrs.get("launch_template"), "launch_template") is not None:
        template = template_machine(ctx, resource, template_reference(block(attrs.get("launch_template"), "launch_template")),
                                    "aws_launch_template", "launch_template")
    instance_type = text(attrs.get("instance_type"), "instance_type") or (template.instance_type if template else None)
    if instance_type is None:
        raise Unpriced("instance_type is not set")
    tenancy = text(attrs.get("tenancy"), "tenancy") or (template.tenancy if template else "default")
    if attrs.get("host_id") is not None or attrs.get("host_resource_group_arn") is not None:
        tenancy = "host"
    components: list[CostComponent] = []
    with ctx.part():
        components.append(instance_usage(ctx, region, instance_type, tenancy))

    found = disks.instance_volumes(attrs)
    volumes = instance_volumes(found)
    if template is not None and found[0].settings is None:
        volumes = list(template.volumes) + volumes[1:]  # no root_block_device: the template's volumes
    for vol in volumes:
        components.extend(volume_components(ctx, region, vol))
    note_ami_volumes(ctx, volumes)

    # Older families bill EBS optimisation by the hour; the catalog lists exactly those types.
    if ctx.catalog.get("aws", "ec2", region, f"ebs-optimized/{instance_type}") is not None:
        if flag(attrs.get("ebs_optimized"), "ebs_optimized"):
            price = ctx.price("aws", "ec2", region, f"ebs-optimized/{instance_type}")
            components.append(hours(f"EBS-optimized surcharge ({instance_type})", price))

    if flag(attrs.get("monitoring"), "monitoring"):
        with ctx.part():
            price = ctx.price("aws", "ec2", region, "detailed-monitoring/metric", what="detailed monitoring")
            components.append(per_month(f"Detailed monitoring ({DETAILED_MONITORING_METRICS} metrics)",
                                        DETAILED_MONITORING_METRICS, "metric-months", price))

    family = instance_type.split(".", 1)[0]
    if family in BURSTABLE_DEFAULT_MODE:
        credit = block(attrs.get("credit_specification"), "credit_specification")
        mode = text(credit.get("cpu_credits"), "credit_specification.cpu_credits") if credit else None
        if (mode or BURSTABLE_DEFAULT_MODE[family]) == "unlimited":
            with ctx.part():
                price = ctx.price("aws", "ec2", region, "cpu-credits", what="CPU credits")
                components.append(per_month("CPU credits (unlimited mode)",
                                            ctx.usage_value(resource, "monthly_cpu_credit_hrs"),
                                            "vCPU-hours", price, usage_based=True))

    market = block(attrs.get("instance_market_options"), "instance_market_options")
    if market is not None and text(market.get("market_type"), "instance_market_options.market_type") == "spot":
        ctx.notes.append("spot instance: priced at the on-demand list price (an upper bound)")
    return components


# --- launch templates and configurations, resolved through ctx.resources -------------------------

@dataclass(frozen=True)
class Machine:
    """What a launch template or configuration says about the instances made from it."""

    address: str
    instance_type: str | None
    tenancy: str
    volumes: tuple[Volume, ...]
    # Detailed (1-minute) monitoring, billed as CloudWatch metrics: on by default for a launch
    # configuration (`enable_monitoring`, AWS provider docs), off for a launch template.
    monitoring: bool = False


def template_reference(settings: Mapping[str, Any] | None, id_key: str = "id", name_key: str = "name") -> Any:
    if settings is None:
        return None
    value = settings.get(id_key)
    return value if value is not None else settings.get(name_key)


def _find_templates(ctx: PricingContext, resource: Resource, value: Any, rtype: str, what: str) -> list[Resource]:
    """The template resources a reference can mean (several when it indexes a counted template);
    a literal id or name matches the template that carries it."""
    return referenced(ctx, resource, value, rtype, what, names=("id", "name"))


def template_machine(ctx: PricingContext, resource: Resource, value: Any, rtype: str, what: str) -> Machine:
    """The machine the template or configuration `value` refers to describes."""
    machines = [_machine(t) for t in _find_templates(ctx, resource, value, rtype, what)]
    first = machines[0]
    if any((m.instance_type, m.tenancy, m.volumes) != (first.instance_type, first.tenancy, first.volumes) for m in machines):
        base = re.sub(r"\[[^\]]*\]$", "", first.address)
        raise Unpriced(f"{what} is one of the instances of {base}, which differ; which one cannot be evaluated")
    return first


def _machine(template: Resource) -> Machine:
    attrs = template.attrs
    where = template.address
    instance_type = text(attrs.get("instance_type"), f"{where} instance_type")
    if template.type == "aws_launch_configuration":
        tenancy = text(attrs.get("placement_tenancy"), f"{where} placement_tenancy") or "default"
        monitoring = attrs.get("enable_monitoring")
        detailed = True if monitoring is None else flag(monitoring, f"{where} enable_monitoring")
        return Machine(where, instance_type, tenancy, tuple(instance_volumes(disks.instance_volumes(attrs))), detailed)
    placement = block(attrs.get("placement"), f"{where} placement")
    tenancy = (text(placement.get("tenancy"), f"{where} placement.tenancy") if placement else None) or "default"
    watched = block(attrs.get("monitoring"), f"{where} monitoring")
    detailed = bool(watched) and flag(watched.get("enabled"), f"{where} monitoring.enabled")
    return Machine(where, instance_type, tenancy, tuple(template_volumes(disks.template_volumes(attrs), where)), detailed)


# --- Auto Scaling groups -----------------------------------------------------------------------

def autoscaling_group(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "aws")
    desired = attrs.get("desired_capacity")
    instances = count(desired, "desired_capacity") if desired is not None else count(attrs.get("min_size"), "min_size")
    # The worst case runs the group at max_size, what its scaling policies may reach.
    instances = int(ctx.scaled(instances, attrs.get("max_size"), "max_size"))
    override_type: str | None = None
    mixed = block(attrs.get("mixed_instances_policy"), "mixed_instances_policy")
    if mixed is not None:
        policy_template = block(mixed.get("launch_template"), "mixed_instances_policy.launch_template")
        if policy_template is None:
            raise Unpriced("mixed_instances_policy has no launch_template")
        spec = block(policy_template.get("launch_template_specification"),
                     "mixed_instances_policy launch_template_specification")
        reference = template_reference(spec, "launch_template_id", "launch_template_name")
        machine = template_machine(ctx, resource, reference, "aws_launch_template", "the mixed instances launch template")
        overrides = blocks(policy_template.get("override"), "mixed_instances_policy override")
        if overrides:
            override_type = text(overrides[0].get("instance_type"), "mixed_instances_policy override[0].instance_type")
            if len(overrides) > 1:
                ctx.notes.append(f"mixed instances: priced as {override_type}, the first override")
        distribution = block(mixed.get("instances_distribution"), "mixed_instances_policy.instances_distribution")
        if distribution is not None:
            share = distribution.get("on_demand_percentage_above_base_capacity")
            if share is not None and number(share, "on_demand_percentage_above_base_capacity") < 100:
                ctx.notes.append("part of the group may run on spot: priced at the on-demand list price (an upper bound)")
    elif block(attrs.get("launch_template"), "launch_template") is not None:
        machine = template_machine(ctx, resource, template_reference(block(attrs.get("launch_template"), "launch_template")),
                                   "aws_launch_template", "launch_template")
    elif attrs.get("launch_configuration") is not None:
        machine = template_machine(ctx, resource, attrs.get("launch_configuration"),
                                   "aws_launch_configuration", "launch_configuration")
    else:
        raise Unpriced("the group names no launch template or launch configuration")
    instance_type = override_type or machine.instance_type
    if instance_type is None:
        raise Unpriced(f"{machine.address} sets no instance_type (attribute-based selection is not modelled)")
    components: list[CostComponent] = []
    with ctx.part():
        components.append(instance_usage(ctx, region, instance_type, machine.tenancy, instances))
    for vol in machine.volumes:
        components.extend(volume_components(ctx, region, vol, instances))
    if machine.monitoring:
        name = f"Detailed monitoring ({DETAILED_MONITORING_METRICS} metrics){times(instances)}"
        with ctx.part(name):
            price = ctx.price("aws", "ec2", region, "detailed-monitoring/metric", what="detailed monitoring")
            components.append(per_month(name, DETAILED_MONITORING_METRICS * instances, "metric-months", price))
        if "aws_launch_configuration." in machine.address:
            ctx.notes.append("detailed monitoring: on by default for a launch configuration (enable_monitoring)")
    return components
