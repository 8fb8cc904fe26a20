"""EKS: the cluster's hourly fee and managed node groups.

A node group is priced like an Auto Scaling group of its instances: the desired size, with the
instance type and disks from its launch template when it names one, else the EKS defaults.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.providers.instances import EKS_DEFAULT_INSTANCE_TYPE
from guardrails.pricing.aws.compute import instance_usage, template_machine, template_reference
from guardrails.pricing.aws.ebs import Volume, volume_components
from guardrails.pricing.base import PricingContext, Unpriced, block, count, hours, known, number, text

# EKS managed node group defaults (AWS provider docs for aws_eks_node_group).
EKS_DEFAULT_DISK_GB = 20.0
EKS_DISK_TYPE = "gp2"


def eks_node_group(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "aws")
    scaling = block(attrs.get("scaling_config"), "scaling_config")
    if scaling is None:
        raise Unpriced("scaling_config is not set")
    nodes = count(scaling.get("desired_size"), "scaling_config.desired_size")
    nodes = int(ctx.scaled(nodes, scaling.get("max_size"), "scaling_config.max_size"))
    ami_type = text(attrs.get("ami_type"), "ami_type") or ""
    if "WINDOWS" in ami_type.upper():
        raise Unpriced("Windows node groups are not modelled (the catalog holds Linux prices)")
    types = known(attrs.get("instance_types"), "instance_types")
    if isinstance(types, list) and types:
        instance_type = text(types[0], "instance_types[0]")
        if len(types) > 1:
            ctx.notes.append(f"several instance types: priced as {instance_type}, the first")
    else:
        instance_type = None
    volumes: tuple[Volume, ...]
    tenancy = "default"
    template_block = block(attrs.get("launch_template"), "launch_template")
    if template_block is not None:
        machine = template_machine(ctx, resource, template_reference(template_block), "aws_launch_template", "launch_template")
        instance_type = instance_type or machine.instance_type or EKS_DEFAULT_INSTANCE_TYPE
        tenancy = machine.tenancy
        volumes = machine.volumes
    else:
        instance_type = instance_type or EKS_DEFAULT_INSTANCE_TYPE
        size = number(attrs.get("disk_size"), "disk_size", EKS_DEFAULT_DISK_GB)
        volumes = (Volume("Node disk", EKS_DISK_TYPE, size),)
    if (text(attrs.get("capacity_type"), "capacity_type") or "ON_DEMAND") == "SPOT":
        ctx.notes.append("spot capacity: priced at the on-demand list price (an upper bound)")
    components: list[CostComponent] = []
    with ctx.part():
        components.append(instance_usage(ctx, region, instance_type, tenancy, nodes))
    for vol in volumes:
        components.extend(volume_components(ctx, region, vol, nodes))
    return components


def eks_cluster(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    price = ctx.price("aws", "eks", region, "cluster/hour", what="EKS cluster")
    policy = block(resource.attrs.get("upgrade_policy"), "upgrade_policy")
    support = text(policy.get("support_type"), "upgrade_policy.support_type") if policy else None
    if support != "STANDARD":
        ctx.notes.append("standard support price: a Kubernetes version in extended support costs more, "
                         "and which versions are in it cannot be known offline")
    return [hours("EKS cluster", price)]
