"""AWS cost models: EC2, EBS, RDS, Auto Scaling, EKS, NAT gateways, load balancers, ElastiCache,
S3 and Lambda, priced from the catalog keys that catalog.py documents.

Implied parts are priced as DESIGN's cost conventions say: an instance's root volume (8 GB gp2
when the configuration leaves it to the AMI, and the component name says "assumed"), the
instances of an Auto Scaling group, EKS node disks, Multi-AZ doubling, gp3 IOPS and throughput
above the free baseline. Usage-based components are always listed, at 0 unless the usage file
gives a quantity. Usage keys read, per type:

- aws_instance: `monthly_cpu_credit_hrs` (vCPU-hours of surplus credits; burstable, unlimited)
- aws_ebs_volume: `monthly_standard_io_requests` (requests; magnetic volumes)
- aws_db_instance: `backup_storage_gb` (GB-months of backups beyond the free allowance)
- aws_nat_gateway, aws_elb: `monthly_data_processed_gb`
- aws_lb, aws_alb: `monthly_lcu_hours` (LCU-hours a month; NLCU-hours for a network LB)
- aws_s3_bucket: `storage_gb` ({standard: GB, standard-ia: GB, ...}; a bare number is standard)
- aws_lambda_function: `monthly_requests`, `average_duration_ms`
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from guardrails.core.model import CostComponent, Resource, is_unknown
from guardrails.pricing.base import (
    HOURS_PER_MONTH,
    PricingContext,
    Unpriced,
    not_a_string,
    hours,
    known,
    number,
    per_month,
)

PROVIDER = "aws"

# DESIGN: "an EC2 instance's root volume (8 GB gp2 when unset)"; the real default is the AMI's.
ASSUMED_ROOT_TYPE = "gp2"
ASSUMED_ROOT_GB = 8.0
ROOT_DEVICE_NAMES = ("/dev/xvda", "/dev/sda1")

# EBS gp3 includes 3,000 IOPS and 125 MBps in the GB price (AWS EBS pricing page).
GP3_FREE_IOPS = 3000.0
GP3_FREE_MBPS = 125.0
# io2 IOPS are tiered (up to 32,000 / 32,001-64,000 / above); the catalog holds the first tier.
IO2_FIRST_TIER_IOPS = 32000.0

# CloudWatch bills detailed monitoring as 7 custom metrics per instance (AWS CloudWatch pricing).
DETAILED_MONITORING_METRICS = 7
# Burstable families and their documented credit mode when `cpu_credits` is unset (AWS provider
# docs for aws_instance: "T3 instances are launched as unlimited by default. T2 instances are
# launched as standard by default."; T3a and T4g behave like T3 per the EC2 User Guide).
BURSTABLE_DEFAULT_MODE = {"t2": "standard", "t3": "unlimited", "t3a": "unlimited", "t4g": "unlimited"}

# EKS managed node group defaults (AWS provider docs for aws_eks_node_group).
EKS_DEFAULT_INSTANCE_TYPE = "t3.medium"
EKS_DEFAULT_DISK_GB = 20.0
EKS_DISK_TYPE = "gp2"

S3_STORAGE_CLASSES = ("standard", "standard-ia", "onezone-ia", "glacier-flexible", "glacier-deep-archive")
LAMBDA_DEFAULT_MEMORY_MB = 128.0

# Types that cost nothing by themselves, so estimate.py counts them as free rather than unpriced.
# Only types AWS does not bill for; anything with an hourly, per-request or storage price is absent.
FREE_NOTES: dict[str, str] = {
    "aws_launch_template": "priced where used (the instance or Auto Scaling group)",
    "aws_launch_configuration": "priced where used (the Auto Scaling group)",
    "aws_s3_bucket_versioning": "older versions count towards the bucket's storage",
}
FREE_TYPES: frozenset[str] = frozenset({
    *FREE_NOTES,
    "aws_security_group", "aws_security_group_rule", "aws_default_security_group",
    "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule",
    "aws_iam_role", "aws_iam_policy", "aws_iam_role_policy", "aws_iam_role_policy_attachment",
    "aws_iam_policy_attachment", "aws_iam_instance_profile", "aws_iam_user", "aws_iam_user_policy",
    "aws_iam_user_policy_attachment", "aws_iam_group", "aws_iam_group_policy",
    "aws_iam_group_policy_attachment", "aws_iam_group_membership", "aws_iam_openid_connect_provider",
    "aws_iam_service_linked_role", "aws_iam_access_key",
    "aws_vpc", "aws_subnet", "aws_route_table", "aws_route", "aws_route_table_association",
    "aws_main_route_table_association", "aws_default_route_table", "aws_internet_gateway",
    "aws_egress_only_internet_gateway", "aws_network_acl", "aws_network_acl_rule",
    "aws_default_network_acl", "aws_vpc_dhcp_options", "aws_vpc_dhcp_options_association",
    "aws_s3_bucket_policy", "aws_s3_bucket_public_access_block", "aws_s3_bucket_ownership_controls",
    "aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_acl",
    "aws_s3_bucket_cors_configuration",
    "aws_db_subnet_group", "aws_db_parameter_group", "aws_db_option_group",
    "aws_elasticache_subnet_group", "aws_elasticache_parameter_group",
    "aws_lb_target_group", "aws_lb_listener", "aws_lb_listener_rule", "aws_lb_target_group_attachment",
    "aws_alb_target_group", "aws_alb_listener", "aws_alb_listener_rule", "aws_alb_target_group_attachment",
    "aws_autoscaling_policy", "aws_autoscaling_attachment", "aws_autoscaling_schedule",
    "aws_key_pair", "aws_placement_group", "aws_volume_attachment", "aws_lambda_permission",
    "aws_ec2_tag", "aws_default_vpc", "aws_vpc_ipv4_cidr_block_association",
    "aws_vpc_ipv6_cidr_block_association", "aws_vpc_block_public_access_options",
    "aws_vpc_block_public_access_exclusion", "aws_redshift_subnet_group", "aws_customer_gateway",
    "aws_eks_access_entry", "aws_eks_access_policy_association", "aws_eks_pod_identity_association",
    "aws_db_instance_role_association",
})


# --- reading attributes -----------------------------------------------------------------------

def _text(value: Any, what: str) -> str | None:
    value = known(value, what)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise not_a_string(value, what)
    return value


def _flag(value: Any, what: str, default: bool = False) -> bool:
    value = known(value, what)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    # Launch templates spell booleans as strings ("true").
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise Unpriced(f"{what} is not a boolean: {value!r}")


def _count(value: Any, what: str, default: int | None = None) -> int:
    result = number(value, what, None if default is None else float(default))
    if result != int(result):
        raise Unpriced(f"{what} is not a whole number: {value!r}")
    return int(result)


def _blocks(container: Mapping[str, Any], name: str, what: str = "") -> list[Mapping[str, Any]]:
    """Nested blocks of that name (a list of dicts; a single dict reads as one block)."""
    value = known(container.get(name), what or name)
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    blocks = []
    for item in items:
        item = known(item, what or name)
        if isinstance(item, Mapping):
            blocks.append(item)
    return blocks


def _block(container: Mapping[str, Any], name: str, what: str = "") -> Mapping[str, Any] | None:
    blocks = _blocks(container, name, what)
    return blocks[0] if blocks else None


def _size_text(gb: float) -> str:
    return f"{gb:g} GB"


def _times(count: int) -> str:
    return f" x {count}" if count != 1 else ""


# --- EBS volumes, shared by instances, templates, node groups and aws_ebs_volume ----------------

@dataclass(frozen=True)
class _Disk:
    """One EBS volume as a configuration describes it, defaults applied."""

    label: str  # "Root volume", "EBS volume /dev/sdf"; "" for an aws_ebs_volume itself
    type: str
    size_gb: float
    iops: float | None = None
    throughput: float | None = None
    type_assumed: bool = False  # the type (or size) comes from the AMI: DESIGN's assumption used
    size_assumed: bool = False

    def storage_name(self, count: int = 1) -> str:
        label = self.label or "Storage"
        if self.type_assumed and self.size_assumed:
            inside = f"{self.type}, {_size_text(self.size_gb)}, assumed"
        else:
            kind = f"{self.type} assumed" if self.type_assumed else self.type
            size = _size_text(self.size_gb) + (" assumed" if self.size_assumed else "")
            inside = f"{kind}, {size}"
        return f"{label} ({inside}){_times(count)}"

    def extra_name(self, what: str, count: int = 1) -> str:
        """`what` ("provisioned IOPS (...)") under the volume's label, capitalised when alone."""
        text = f"{self.label}: {what}" if self.label else what[:1].upper() + what[1:]
        return f"{text}{_times(count)}"


def _disk_from_block(block: Mapping[str, Any], label: str, what: str, *, root: bool,
                     default_type: str | None) -> _Disk:
    """A volume from a root_block_device / ebs_block_device / launch template `ebs` block.

    `default_type` is the provider's documented default when the block names no type; None means
    the AMI decides, and DESIGN's gp2 assumption is used and said. A missing size is assumed
    (8 GB) for a root volume only: another volume without a size is unpriced.
    """
    volume_type = _text(block.get("volume_type"), f"{what}.volume_type")
    type_assumed = False
    if volume_type is None:
        type_assumed = default_type is None
        volume_type = default_type or ASSUMED_ROOT_TYPE
    size_value = known(block.get("volume_size"), f"{what}.volume_size")
    size_assumed = False
    if size_value is None:
        if not root:
            snapshot = block.get("snapshot_id")
            source = "the snapshot" if snapshot is not None else "the AMI"
            raise Unpriced(f"{what}.volume_size is not set: the size comes from {source}")
        size, size_assumed = ASSUMED_ROOT_GB, True
    else:
        size = number(size_value, f"{what}.volume_size")
    iops = block.get("iops")
    throughput = block.get("throughput")
    return _Disk(
        label=label, type=volume_type, size_gb=size,
        iops=None if iops is None else number(iops, f"{what}.iops"),
        throughput=None if throughput is None else number(throughput, f"{what}.throughput"),
        type_assumed=type_assumed, size_assumed=size_assumed,
    )


def _note_ami_volumes(ctx: PricingContext, disks: list[_Disk]) -> None:
    """Say where the AMI, which the configuration cannot show, decides a volume we priced."""
    for disk in disks:
        if disk.type_assumed or disk.size_assumed:
            parts = [p for p, assumed in (("type", disk.type_assumed), ("size", disk.size_assumed)) if assumed]
            ctx.notes.append(f"{(disk.label or 'volume').lower()}: the AMI decides its {' and '.join(parts)}; "
                             f"priced as {disk.type}, {_size_text(disk.size_gb)}")


def _assumed_root() -> _Disk:
    return _Disk("Root volume", ASSUMED_ROOT_TYPE, ASSUMED_ROOT_GB, type_assumed=True, size_assumed=True)


def _disk_components(ctx: PricingContext, region: str, disk: _Disk, count: int = 1) -> list[CostComponent]:
    """Storage plus the IOPS and throughput a volume pays for, for `count` identical volumes."""
    storage = ctx.price("aws", "ebs", region, disk.type, what=f"EBS volume type {disk.type}")
    components = [per_month(disk.storage_name(count), disk.size_gb * count, "GB-months", storage)]
    if disk.type == "gp3":
        iops = disk.iops if disk.iops is not None else GP3_FREE_IOPS
        if iops > GP3_FREE_IOPS:
            price = ctx.price("aws", "ebs", region, "gp3/iops", what="gp3 IOPS")
            components.append(per_month(disk.extra_name(f"provisioned IOPS (gp3, above {GP3_FREE_IOPS:g})", count),
                                        (iops - GP3_FREE_IOPS) * count, "IOPS-months", price))
        throughput = disk.throughput if disk.throughput is not None else GP3_FREE_MBPS
        if throughput > GP3_FREE_MBPS:
            price = ctx.price("aws", "ebs", region, "gp3/throughput", what="gp3 throughput")
            components.append(per_month(disk.extra_name(f"provisioned throughput (gp3, above {GP3_FREE_MBPS:g} MBps)", count),
                                        (throughput - GP3_FREE_MBPS) * count, "MBps-months", price))
    elif disk.type in ("io1", "io2"):
        if disk.iops is None:
            where = f"{disk.label.lower()} " if disk.label else ""
            raise Unpriced(f"{where}iops is not set (required for {disk.type})")
        price = ctx.price("aws", "ebs", region, f"{disk.type}/iops", what=f"{disk.type} IOPS")
        detail = disk.type
        if disk.type == "io2" and disk.iops > IO2_FIRST_TIER_IOPS:
            # Higher tiers cost less; the catalog has only the first, so this is an upper bound.
            detail = f"io2, first-tier price also above {IO2_FIRST_TIER_IOPS:g}"
        components.append(per_month(disk.extra_name(f"provisioned IOPS ({detail})", count),
                                    disk.iops * count, "IOPS-months", price))
    return components


# --- EC2 instances -----------------------------------------------------------------------------

def _instance_usage(ctx: PricingContext, region: str, instance_type: str, tenancy: str = "default",
                   count: int = 1) -> CostComponent:
    """Linux on-demand hours of `count` instances of a type."""
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
    return hours(f"Instance usage (Linux, on-demand, {detail}){_times(count)}", price, HOURS_PER_MONTH * count)


def _instance(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "aws")
    template: _Machine | None = None
    if attrs.get("instance_type") is None and _block(attrs, "launch_template") is not None:
        template = _template_machine(ctx, resource, _template_reference(_block(attrs, "launch_template")),
                                     "aws_launch_template", "launch_template")
    instance_type = _text(attrs.get("instance_type"), "instance_type") or (template.instance_type if template else None)
    if instance_type is None:
        raise Unpriced("instance_type is not set")
    tenancy = _text(attrs.get("tenancy"), "tenancy") or (template.tenancy if template else "default")
    if attrs.get("host_id") is not None or attrs.get("host_resource_group_arn") is not None:
        tenancy = "host"
    components = [_instance_usage(ctx, region, instance_type, tenancy)]

    disks = _instance_disks(attrs)
    if template is not None and not _blocks(attrs, "root_block_device"):
        disks = list(template.disks) + disks[1:]
    for disk in disks:
        components.extend(_disk_components(ctx, region, disk))
    _note_ami_volumes(ctx, disks)

    # Older families bill EBS optimisation by the hour; the catalog lists exactly those types.
    if ctx.catalog.get("aws", "ec2", region, f"ebs-optimized/{instance_type}") is not None:
        if _flag(attrs.get("ebs_optimized"), "ebs_optimized"):
            price = ctx.price("aws", "ec2", region, f"ebs-optimized/{instance_type}")
            components.append(hours(f"EBS-optimized surcharge ({instance_type})", price))

    if _flag(attrs.get("monitoring"), "monitoring"):
        price = ctx.price("aws", "ec2", region, "detailed-monitoring/metric", what="detailed monitoring")
        components.append(per_month(f"Detailed monitoring ({DETAILED_MONITORING_METRICS} metrics)",
                                    DETAILED_MONITORING_METRICS, "metric-months", price))

    family = instance_type.split(".", 1)[0]
    if family in BURSTABLE_DEFAULT_MODE:
        credit = _block(attrs, "credit_specification")
        mode = _text(credit.get("cpu_credits"), "credit_specification.cpu_credits") if credit else None
        if (mode or BURSTABLE_DEFAULT_MODE[family]) == "unlimited":
            price = ctx.price("aws", "ec2", region, "cpu-credits", what="CPU credits")
            components.append(per_month("CPU credits (unlimited mode)", ctx.usage_value(resource, "monthly_cpu_credit_hrs"),
                                        "vCPU-hours", price, usage_based=True))

    market = _block(attrs, "instance_market_options")
    if market is not None and _text(market.get("market_type"), "instance_market_options.market_type") == "spot":
        ctx.notes.append("spot instance: priced at the on-demand list price (an upper bound)")
    return components


def _instance_disks(attrs: Mapping[str, Any]) -> list[_Disk]:
    """The root volume (always first) and the ebs_block_device volumes of an instance or launch configuration."""
    root_block = _block(attrs, "root_block_device")
    # The root volume's type and size default to the AMI's (provider docs): DESIGN's assumption.
    disks = [_disk_from_block(root_block, "Root volume", "root_block_device", root=True, default_type=None)
             if root_block is not None else _assumed_root()]
    for index, block in enumerate(_blocks(attrs, "ebs_block_device")):
        device = _text(block.get("device_name"), f"ebs_block_device[{index}].device_name")
        label = f"EBS volume {device}" if device else f"EBS volume {index + 1}"
        # ebs_block_device volume_type defaults to gp2 (provider docs), like the EC2 API.
        disks.append(_disk_from_block(block, label, f"ebs_block_device[{index}]", root=False, default_type="gp2"))
    return disks


# --- launch templates and configurations, resolved through ctx.resources -------------------------

@dataclass(frozen=True)
class _Machine:
    """What a launch template or configuration says about the instances made from it."""

    address: str
    instance_type: str | None
    tenancy: str
    disks: tuple[_Disk, ...]


def _template_reference(block: Mapping[str, Any] | None, id_key: str = "id", name_key: str = "name") -> Any:
    if block is None:
        return None
    value = block.get(id_key)
    return value if value is not None else block.get(name_key)


_REFERENCE = re.compile(r"^(?P<type>aws_launch_template|aws_launch_configuration)\.(?P<name>[A-Za-z_][A-Za-z0-9_-]*)"
                        r"(?P<index>\[[^\]]*\])?(?:\.|$)")


def _find_templates(ctx: PricingContext, resource: Resource, value: Any, rtype: str, what: str) -> list[Resource]:
    """The template resources a reference can mean (several when it indexes a counted template)."""
    resources: Mapping[str, Resource] = getattr(ctx, "resources", None) or {}
    if is_unknown(value):
        # The Terraform loader writes "depends on aws_launch_template.web.id" (index as [...]).
        reason = value.reason
        references = reason[len("depends on "):].split(", ") if reason.startswith("depends on ") else []
        prefix = f"{resource.module}." if resource.module else ""
        for reference in references:
            match = _REFERENCE.match(reference.strip())
            if not match or match.group("type") != rtype:
                continue
            base = f"{prefix}{rtype}.{match.group('name')}"
            index = match.group("index")
            if index == "[...]":
                found = [r for address, r in sorted(resources.items()) if address.startswith(base + "[")]
            else:
                found = [resources[base + (index or "")]] if base + (index or "") in resources else []
            if not found:
                raise Unpriced(f"{what} refers to {base}{index or ''}, which is not among the scanned resources")
            return found
        raise Unpriced(f"{what} cannot be evaluated: {reason}")
    if isinstance(value, str) and value:
        # A literal id or name: match the template that carries it.
        found = [r for address, r in sorted(resources.items())
                 if r.type == rtype and any(r.attrs.get(k) == value for k in ("id", "name"))]
        if not found:
            raise Unpriced(f"{what} {value!r} is not among the scanned resources")
        return found
    raise Unpriced(f"{what} is not set")


def _template_machine(ctx: PricingContext, resource: Resource, value: Any, rtype: str, what: str) -> _Machine:
    machines = [_machine(t) for t in _find_templates(ctx, resource, value, rtype, what)]
    first = machines[0]
    if any((m.instance_type, m.tenancy, m.disks) != (first.instance_type, first.tenancy, first.disks) for m in machines):
        base = re.sub(r"\[[^\]]*\]$", "", first.address)
        raise Unpriced(f"{what} is one of the instances of {base}, which differ; which one cannot be evaluated")
    return first


def _machine(template: Resource) -> _Machine:
    attrs = template.attrs
    where = template.address
    instance_type = _text(attrs.get("instance_type"), f"{where} instance_type")
    if template.type == "aws_launch_configuration":
        tenancy = _text(attrs.get("placement_tenancy"), f"{where} placement_tenancy") or "default"
        return _Machine(where, instance_type, tenancy, tuple(_instance_disks(attrs)))
    placement = _block(attrs, "placement", f"{where} placement")
    tenancy = (_text(placement.get("tenancy"), f"{where} placement.tenancy") if placement else None) or "default"
    disks: list[_Disk] = []
    has_root = False
    for index, mapping in enumerate(_blocks(attrs, "block_device_mappings", f"{where} block_device_mappings")):
        ebs = _block(mapping, "ebs", f"{where} block_device_mappings[{index}].ebs")
        if ebs is None:
            continue  # an instance store or a suppressed device costs nothing extra
        device = _text(mapping.get("device_name"), f"{where} block_device_mappings[{index}].device_name")
        root = device in ROOT_DEVICE_NAMES
        has_root = has_root or root
        label = "Root volume" if root else f"EBS volume {device or index + 1}"
        # A mapping without a type or size takes the AMI's: DESIGN's assumption, said in the name.
        disks.append(_disk_from_block(ebs, label, f"{where} block_device_mappings[{index}].ebs", root=root, default_type=None))
    if not has_root:
        disks.insert(0, _assumed_root())
    return _Machine(where, instance_type, tenancy, tuple(disks))


# --- Auto Scaling groups and EKS node groups -----------------------------------------------------

def _autoscaling_group(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "aws")
    desired = attrs.get("desired_capacity")
    count = _count(desired, "desired_capacity") if desired is not None else _count(attrs.get("min_size"), "min_size")
    override_type: str | None = None
    mixed = _block(attrs, "mixed_instances_policy")
    if mixed is not None:
        policy_template = _block(mixed, "launch_template", "mixed_instances_policy.launch_template")
        if policy_template is None:
            raise Unpriced("mixed_instances_policy has no launch_template")
        spec = _block(policy_template, "launch_template_specification", "mixed_instances_policy launch_template_specification")
        reference = _template_reference(spec, "launch_template_id", "launch_template_name")
        machine = _template_machine(ctx, resource, reference, "aws_launch_template", "the mixed instances launch template")
        overrides = _blocks(policy_template, "override", "mixed_instances_policy override")
        if overrides:
            override_type = _text(overrides[0].get("instance_type"), "mixed_instances_policy override[0].instance_type")
            if len(overrides) > 1:
                ctx.notes.append(f"mixed instances: priced as {override_type}, the first override")
        distribution = _block(mixed, "instances_distribution", "mixed_instances_policy.instances_distribution")
        if distribution is not None:
            share = distribution.get("on_demand_percentage_above_base_capacity")
            if share is not None and number(share, "on_demand_percentage_above_base_capacity") < 100:
                ctx.notes.append("part of the group may run on spot: priced at the on-demand list price (an upper bound)")
    elif _block(attrs, "launch_template") is not None:
        machine = _template_machine(ctx, resource, _template_reference(_block(attrs, "launch_template")),
                                    "aws_launch_template", "launch_template")
    elif attrs.get("launch_configuration") is not None:
        machine = _template_machine(ctx, resource, attrs.get("launch_configuration"),
                                    "aws_launch_configuration", "launch_configuration")
    else:
        raise Unpriced("the group names no launch template or launch configuration")
    instance_type = override_type or machine.instance_type
    if instance_type is None:
        raise Unpriced(f"{machine.address} sets no instance_type (attribute-based selection is not modelled)")
    components = [_instance_usage(ctx, region, instance_type, machine.tenancy, count)]
    for disk in machine.disks:
        components.extend(_disk_components(ctx, region, disk, count))
    return components


def _eks_node_group(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "aws")
    scaling = _block(attrs, "scaling_config")
    if scaling is None:
        raise Unpriced("scaling_config is not set")
    count = _count(scaling.get("desired_size"), "scaling_config.desired_size")
    ami_type = _text(attrs.get("ami_type"), "ami_type") or ""
    if "WINDOWS" in ami_type.upper():
        raise Unpriced("Windows node groups are not modelled (the catalog holds Linux prices)")
    types = known(attrs.get("instance_types"), "instance_types")
    if isinstance(types, list) and types:
        instance_type = _text(types[0], "instance_types[0]")
        if len(types) > 1:
            ctx.notes.append(f"several instance types: priced as {instance_type}, the first")
    else:
        instance_type = None
    disks: tuple[_Disk, ...]
    tenancy = "default"
    template_block = _block(attrs, "launch_template")
    if template_block is not None:
        machine = _template_machine(ctx, resource, _template_reference(template_block), "aws_launch_template", "launch_template")
        instance_type = instance_type or machine.instance_type or EKS_DEFAULT_INSTANCE_TYPE
        tenancy = machine.tenancy
        disks = machine.disks
    else:
        instance_type = instance_type or EKS_DEFAULT_INSTANCE_TYPE
        size = number(attrs.get("disk_size"), "disk_size", EKS_DEFAULT_DISK_GB)
        disks = (_Disk("Node disk", EKS_DISK_TYPE, size),)
    if (_text(attrs.get("capacity_type"), "capacity_type") or "ON_DEMAND") == "SPOT":
        ctx.notes.append("spot capacity: priced at the on-demand list price (an upper bound)")
    components = [_instance_usage(ctx, region, instance_type, tenancy, count)]
    for disk in disks:
        components.extend(_disk_components(ctx, region, disk, count))
    return components


def _eks_cluster(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    price = ctx.price("aws", "eks", region, "cluster/hour", what="EKS cluster")
    policy = _block(resource.attrs, "upgrade_policy")
    support = _text(policy.get("support_type"), "upgrade_policy.support_type") if policy else None
    if support != "STANDARD":
        ctx.notes.append("standard support price: a Kubernetes version in extended support costs more, "
                         "and which versions are in it cannot be known offline")
    return [hours("EKS cluster", price)]


# --- EBS volumes -------------------------------------------------------------------------------

def _ebs_volume(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "aws")
    if attrs.get("size") is None and attrs.get("snapshot_id") is not None:
        raise Unpriced("size is not set: the size comes from the snapshot")
    volume_type = _text(attrs.get("type"), "type") or "gp2"  # provider docs: gp2 when unset
    disk = _Disk("", volume_type, number(attrs.get("size"), "size"),
                iops=None if attrs.get("iops") is None else number(attrs.get("iops"), "iops"),
                throughput=None if attrs.get("throughput") is None else number(attrs.get("throughput"), "throughput"))
    components = _disk_components(ctx, region, disk)
    if volume_type == "standard":
        requests = ctx.usage_value(resource, "monthly_standard_io_requests")
        price = ctx.maybe_price("aws", "ebs", region, "standard/io")
        if price is None:
            ctx.notes.append("I/O requests of magnetic volumes are not in the price catalog (aws ebs standard/io): "
                             f"not priced ({requests:g} requests from the usage file)")
        else:
            components.append(per_month("I/O requests", requests / 1_000_000, "requests (1M)", price, usage_based=True))
    return components


# --- RDS -----------------------------------------------------------------------------------------

def _rds_gp3_baseline(engine: str, size_gb: float) -> tuple[float, float]:
    """Included gp3 IOPS and MBps of an RDS instance.

    Source: AWS RDS User Guide, "Amazon RDS DB instance storage", gp3 storage: 3,000 IOPS and
    125 MiBps below the striping threshold, 12,000 IOPS and 500 MiBps at or above it; the
    threshold is 400 GiB for MariaDB, MySQL, PostgreSQL and Db2, 200 GiB for Oracle, and SQL Server
    does not stripe (always 3,000 / 125).
    """
    if engine.startswith("sqlserver"):
        return 3000.0, 125.0
    threshold = 200.0 if engine.startswith("oracle") else 400.0
    return (12000.0, 500.0) if size_gb >= threshold else (3000.0, 125.0)


def _rds_instance_key(attrs: Mapping[str, Any], instance_class: str, engine: str) -> tuple[str, str]:
    """The catalog key and the name's engine text; the catalog's prices include the licence."""
    license_model = _text(attrs.get("license_model"), "license_model")
    if engine.startswith("oracle"):
        if engine.startswith("oracle-ee") and license_model is None:
            license_model = "bring-your-own-license"  # the only licence model Oracle EE offers on RDS
        if license_model is None:
            raise Unpriced(f"license_model is not set: {engine} is license-included or bring-your-own-license")
        if license_model == "bring-your-own-license":
            return f"{instance_class}/{engine}/byol", f"{engine}, bring-your-own-license"
    return f"{instance_class}/{engine}", engine


def _db_instance(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "aws")
    copied = attrs.get("replicate_source_db") is not None or attrs.get("snapshot_identifier") is not None
    engine = _text(attrs.get("engine"), "engine")
    if engine is None:
        raise Unpriced("engine is not set: it comes from the source database" if copied else "engine is not set")
    if engine.startswith("aurora"):
        raise Unpriced("Aurora is priced per cluster instance: not modelled")
    instance_class = _text(attrs.get("instance_class"), "instance_class")
    if instance_class is None:
        raise Unpriced("instance_class is not set")
    key, engine_text = _rds_instance_key(attrs, instance_class, engine)
    multi_az = _flag(attrs.get("multi_az"), "multi_az")
    factor = 2 if multi_az else 1
    az = "Multi-AZ" if multi_az else "Single-AZ"
    price = ctx.price("aws", "rds", region, key, what=f"RDS instance class {instance_class} for {engine_text}")
    components = [hours(f"Database instance ({instance_class}, {engine_text}, {az})", price, HOURS_PER_MONTH * factor)]

    iops_value = known(attrs.get("iops"), "iops")
    # DESIGN and the provider docs: io1 when iops is set, else gp2.
    storage_type = _text(attrs.get("storage_type"), "storage_type") or ("io1" if iops_value is not None else "gp2")
    if attrs.get("allocated_storage") is None:
        raise Unpriced("allocated_storage is not set" + (": it comes from the source database" if copied else ""))
    size = number(attrs.get("allocated_storage"), "allocated_storage")
    storage_price = ctx.price("aws", "rds", region, f"storage/{storage_type}", what=f"RDS storage type {storage_type}")
    suffix = ", Multi-AZ" if multi_az else ""
    components.append(per_month(f"Storage ({storage_type}, {_size_text(size)}{suffix})", size * factor, "GB-months", storage_price))
    iops = None if iops_value is None else number(iops_value, "iops")
    if storage_type == "gp3":
        free_iops, free_mbps = _rds_gp3_baseline(engine, size)
        if iops is not None and iops > free_iops:
            iops_price = ctx.price("aws", "rds", region, "storage/gp3/iops", what="RDS gp3 IOPS")
            components.append(per_month(f"Provisioned IOPS (gp3, above {free_iops:g}{suffix})",
                                        (iops - free_iops) * factor, "IOPS-months", iops_price))
        throughput = attrs.get("storage_throughput")
        if throughput is not None and number(throughput, "storage_throughput") > free_mbps:
            mbps_price = ctx.price("aws", "rds", region, "storage/gp3/throughput", what="RDS gp3 throughput")
            components.append(per_month(f"Provisioned throughput (gp3, above {free_mbps:g} MBps{suffix})",
                                        (number(throughput, "storage_throughput") - free_mbps) * factor,
                                        "MBps-months", mbps_price))
    elif storage_type in ("io1", "io2"):
        if iops is None:
            raise Unpriced(f"iops is not set (required for {storage_type})")
        iops_price = ctx.price("aws", "rds", region, f"storage/{storage_type}/iops", what=f"RDS {storage_type} IOPS")
        components.append(per_month(f"Provisioned IOPS ({storage_type}{suffix})", iops * factor, "IOPS-months", iops_price))
    elif storage_type == "standard":
        ctx.notes.append("I/O requests of magnetic storage are not modelled")
    if attrs.get("max_allocated_storage") not in (None, 0):
        ctx.notes.append("storage autoscaling: priced at allocated_storage; growth is not priced")
    backup = ctx.price("aws", "rds", region, "backup-storage", what="RDS backup storage")
    components.append(per_month("Backup storage", ctx.usage_value(resource, "backup_storage_gb"), "GB-months",
                                backup, usage_based=True))
    return components


# --- networking --------------------------------------------------------------------------------

def _nat_gateway(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    hour = ctx.price("aws", "natgateway", region, "hour", what="NAT gateway")
    data = ctx.price("aws", "natgateway", region, "data-processed", what="NAT gateway data processed")
    return [hours("NAT gateway", hour),
            per_month("Data processed", ctx.usage_value(resource, "monthly_data_processed_gb"), "GB", data, usage_based=True)]


def _load_balancer(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    kind = _text(resource.attrs.get("load_balancer_type"), "load_balancer_type") or "application"
    if kind not in ("application", "network"):
        raise Unpriced(f"{kind} load balancers are not modelled")
    hour = ctx.price("aws", "elb", region, f"{kind}/hour", what=f"{kind} load balancer")
    lcu = ctx.price("aws", "elb", region, f"{kind}/lcu", what=f"{kind} load balancer capacity units")
    label = "Application" if kind == "application" else "Network"
    return [hours(f"{label} load balancer", hour),
            per_month("Load balancer capacity units", ctx.usage_value(resource, "monthly_lcu_hours"), "LCU-hours",
                      lcu, usage_based=True)]


def _classic_elb(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    hour = ctx.price("aws", "elb", region, "classic/hour", what="classic load balancer")
    data = ctx.price("aws", "elb", region, "classic/data", what="classic load balancer data processed")
    return [hours("Classic load balancer", hour),
            per_month("Data processed", ctx.usage_value(resource, "monthly_data_processed_gb"), "GB", data, usage_based=True)]


# --- ElastiCache -------------------------------------------------------------------------------

def _cache_nodes(ctx: PricingContext, resource: Resource, region: str, node_type: str, count: int) -> CostComponent:
    engine = _text(resource.attrs.get("engine"), "engine")
    if engine == "valkey":
        ctx.notes.append("valkey: priced at the catalog's node price, which AWS lists lower for Valkey")
    price = ctx.price("aws", "elasticache", region, node_type, what=f"ElastiCache node type {node_type}")
    nodes = f"{count} node" + ("s" if count != 1 else "")
    return hours(f"Cache nodes ({node_type}, {nodes})", price, HOURS_PER_MONTH * count)


def _elasticache_cluster(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "aws")
    node_type = _text(attrs.get("node_type"), "node_type")
    if node_type is None:
        grouped = attrs.get("replication_group_id") is not None
        raise Unpriced("node_type is not set" + (": it comes from the replication group" if grouped else ""))
    count = _count(attrs.get("num_cache_nodes"), "num_cache_nodes", 1)
    return [_cache_nodes(ctx, resource, region, node_type, count)]


def _elasticache_replication_group(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "aws")
    node_type = _text(attrs.get("node_type"), "node_type")
    if node_type is None:
        global_group = attrs.get("global_replication_group_id") is not None
        raise Unpriced("node_type is not set" + (": it comes from the global replication group" if global_group else ""))
    # Provider 3.x wrote the shard settings in a cluster_mode block; later ones as attributes.
    settings: Mapping[str, Any] = attrs
    legacy = known(attrs.get("cluster_mode"), "cluster_mode")
    if isinstance(legacy, (list, Mapping)):
        settings = _block(attrs, "cluster_mode") or {}
    shards = settings.get("num_node_groups")
    if shards is not None:
        groups = _count(shards, "num_node_groups")
        replicas = settings.get("replicas_per_node_group")
        if replicas is not None:
            count = groups * (_count(replicas, "replicas_per_node_group") + 1)
        else:
            configured = _blocks(attrs, "node_group_configuration")
            if len(configured) != groups or any(c.get("replica_count") is None for c in configured):
                raise Unpriced("replicas_per_node_group is not set: the number of replicas cannot be evaluated")
            count = sum(_count(c.get("replica_count"), "node_group_configuration.replica_count") + 1 for c in configured)
    else:
        clusters = attrs.get("num_cache_clusters")
        if clusters is None:
            clusters = attrs.get("number_cache_clusters")  # provider 3.x name
        count = _count(clusters, "num_cache_clusters", 1)  # provider docs: defaults to 1
    return [_cache_nodes(ctx, resource, region, node_type, count)]


# --- S3 and Lambda: usage-based only ----------------------------------------------------------

def _s3_bucket(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    given = ctx.usage.get(resource, "storage_gb")
    if given is None:
        by_class: Mapping[str, Any] = {}
    elif isinstance(given, Mapping):
        by_class = given
    else:
        by_class = {"standard": given}  # one number: all of it in S3 Standard
    classes = list(S3_STORAGE_CLASSES) + sorted(c for c in by_class if c not in S3_STORAGE_CLASSES)
    components = []
    for storage_class in classes:
        price = ctx.price("aws", "s3", region, storage_class, what=f"S3 storage class {storage_class}")
        quantity = number(by_class.get(storage_class), f"usage storage_gb.{storage_class}", 0.0)
        components.append(per_month(f"Storage ({storage_class})", quantity, "GB-months", price, usage_based=True))
    ctx.notes.append("requests and data transfer are not modelled")
    return components


def _lambda_function(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "aws")
    memory_mb = number(attrs.get("memory_size"), "memory_size", LAMBDA_DEFAULT_MEMORY_MB)
    requests = ctx.usage_value(resource, "monthly_requests")
    duration_ms = ctx.usage_value(resource, "average_duration_ms")
    request_price = ctx.price("aws", "lambda", region, "requests", what="Lambda requests")
    duration_price = ctx.price("aws", "lambda", region, "duration", what="Lambda duration")
    gb_seconds = requests * (duration_ms / 1000) * (memory_mb / 1024)
    architectures = known(attrs.get("architectures"), "architectures")
    if isinstance(architectures, list) and "arm64" in architectures:
        ctx.notes.append("arm64: priced at the x86 duration price, which AWS lists higher")
    ctx.notes.append("free tier ignored")
    return [per_month("Requests", requests / 1_000_000, "requests (1M)", request_price, usage_based=True),
            per_month(f"Duration ({memory_mb:g} MB)", gb_seconds, "GB-seconds", duration_price, usage_based=True)]


ModelFunction = Callable[[Resource, PricingContext], Sequence[CostComponent]]

MODELS: dict[str, ModelFunction] = {
    "aws_instance": _instance,
    "aws_ebs_volume": _ebs_volume,
    "aws_db_instance": _db_instance,
    "aws_autoscaling_group": _autoscaling_group,
    "aws_eks_cluster": _eks_cluster,
    "aws_eks_node_group": _eks_node_group,
    "aws_nat_gateway": _nat_gateway,
    "aws_lb": _load_balancer,
    "aws_alb": _load_balancer,
    "aws_elb": _classic_elb,
    "aws_elasticache_cluster": _elasticache_cluster,
    "aws_elasticache_replication_group": _elasticache_replication_group,
    "aws_s3_bucket": _s3_bucket,
    "aws_lambda_function": _lambda_function,
}
