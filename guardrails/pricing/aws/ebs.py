"""EBS volumes: the price of one, however it is described, and the `aws_ebs_volume` model.

Instances, launch templates and configurations, Auto Scaling groups and EKS node groups all carry
EBS volumes. They are priced here, one way, from the disks that providers/disks.py reads. That
reader is also the one the storage-tier rule judges, so a volume is priced as the type it is
judged as.

Where the AMI decides a volume's type or size, which the configuration cannot show, DESIGN's
assumption is priced (8 GB gp2 for a root volume), and the component name says "assumed".
"""
from __future__ import annotations

from dataclasses import dataclass

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.aws.common import size_text, times
from guardrails.pricing.base import PricingContext, Unpriced, known, number, per_month, readable, required_text, text
from guardrails.providers import disks
from guardrails.providers.disks import Disk

# DESIGN: "an EC2 instance's root volume (8 GB gp2 when unset)"; the real default is the AMI's.
ASSUMED_ROOT_TYPE = "gp2"
ASSUMED_ROOT_GB = 8.0

# EBS gp3 includes 3,000 IOPS and 125 MBps in the GB price (AWS EBS pricing page).
GP3_FREE_IOPS = 3000.0
GP3_FREE_MBPS = 125.0
# io2 IOPS are tiered (up to 32,000 / 32,001-64,000 / above); the catalog holds the first tier.
IO2_FIRST_TIER_IOPS = 32000.0


@dataclass(frozen=True)
class Volume:
    """One EBS volume to price: its type and size settled, DESIGN's assumptions applied."""

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
            inside = f"{self.type}, {size_text(self.size_gb)}, assumed"
        else:
            kind = f"{self.type} assumed" if self.type_assumed else self.type
            size = size_text(self.size_gb) + (" assumed" if self.size_assumed else "")
            inside = f"{kind}, {size}"
        return f"{label} ({inside}){times(count)}"

    def extra_name(self, what: str, count: int = 1) -> str:
        """`what` ("provisioned IOPS (...)") under the volume's label, capitalised when alone."""
        text = f"{self.label}: {what}" if self.label else what[:1].upper() + what[1:]
        return f"{text}{times(count)}"


def assumed_root() -> Volume:
    return Volume("Root volume", ASSUMED_ROOT_TYPE, ASSUMED_ROOT_GB, type_assumed=True, size_assumed=True)


def volume(disk: Disk, label: str, where: str = "") -> Volume:
    """The volume an instance or template block describes (`where` prefixes its messages).

    A root volume that is not written, or whose type is the AMI's, is DESIGN's assumption. A
    missing size is assumed (8 GB) for a root volume only: any other volume without a size is
    unpriced.
    """
    if disk.settings is None:
        return assumed_root()
    what = f"{where} {disk.name}" if where else disk.name
    if disk.from_ami:
        volume_type, type_assumed = ASSUMED_ROOT_TYPE, True
    else:
        volume_type, type_assumed = required_text(disk.type, f"{what}.volume_type"), False
    size_value = known(disk.size, f"{what}.volume_size")
    size_assumed = False
    if size_value is None:
        if not disk.root:
            source = "the snapshot" if disk.settings.get("snapshot_id") is not None else "the AMI"
            raise Unpriced(f"{what}.volume_size is not set: the size comes from {source}")
        size, size_assumed = ASSUMED_ROOT_GB, True
    else:
        size = number(size_value, f"{what}.volume_size")
    return Volume(
        label=label, type=volume_type, size_gb=size,
        iops=None if disk.iops is None else number(disk.iops, f"{what}.iops"),
        throughput=None if disk.throughput is None else number(disk.throughput, f"{what}.throughput"),
        type_assumed=type_assumed, size_assumed=size_assumed,
    )


def instance_volumes(found: list[Disk]) -> list[Volume]:
    """The root volume (first) and EBS block devices of an instance or launch configuration.

    `found` is what disks.instance_volumes read.
    """
    root, devices = found[0], found[1:]
    volumes = [volume(readable(root), "Root volume")]
    for disk in devices:
        readable(disk)
    for disk in devices:
        device = text(disk.device, disk.device_what)
        volumes.append(volume(disk, f"EBS volume {device}" if device else f"EBS volume {disk.index + 1}"))
    return volumes


def template_volumes(found: list[Disk], where: str) -> list[Volume]:
    """The volumes of a launch template's mappings (what disks.template_volumes read).

    The root volume comes first, as DESIGN's assumption when no mapping is the root device.
    """
    for disk in found:
        readable(disk, where)
    volumes: list[Volume] = []
    for disk in found:
        device = text(disk.device, f"{where} {disk.device_what}")
        label = "Root volume" if disk.root else f"EBS volume {device or disk.index + 1}"
        # A mapping without a type or size takes the AMI's: DESIGN's assumption, said in the name.
        volumes.append(volume(disk, label, where))
    if not any(disk.root for disk in found):
        volumes.insert(0, assumed_root())
    return volumes


def note_ami_volumes(ctx: PricingContext, volumes: list[Volume]) -> None:
    """Say where the AMI, which the configuration cannot show, decides a volume we priced."""
    for vol in volumes:
        if vol.type_assumed or vol.size_assumed:
            parts = [p for p, assumed in (("type", vol.type_assumed), ("size", vol.size_assumed)) if assumed]
            ctx.notes.append(f"{(vol.label or 'volume').lower()}: the AMI decides its {' and '.join(parts)}; "
                             f"priced as {vol.type}, {size_text(vol.size_gb)}")


def volume_components(ctx: PricingContext, region: str, vol: Volume, count: int = 1) -> list[CostComponent]:
    """Storage plus the IOPS and throughput a volume pays for, for `count` identical volumes."""
    components: list[CostComponent] = []
    # Each part on its own: a region without a gp3 IOPS row still prices the volume's storage.
    with ctx.part(vol.storage_name(count)):
        storage = ctx.price("aws", "ebs", region, vol.type, what=f"EBS volume type {vol.type}")
        components.append(per_month(vol.storage_name(count), vol.size_gb * count, "GB-months", storage))
    if vol.type == "gp3":
        iops = vol.iops if vol.iops is not None else GP3_FREE_IOPS
        if iops > GP3_FREE_IOPS:
            name = vol.extra_name(f"provisioned IOPS (gp3, above {GP3_FREE_IOPS:g})", count)
            with ctx.part(name):
                price = ctx.price("aws", "ebs", region, "gp3/iops", what="gp3 IOPS")
                components.append(per_month(name, (iops - GP3_FREE_IOPS) * count, "IOPS-months", price))
        throughput = vol.throughput if vol.throughput is not None else GP3_FREE_MBPS
        if throughput > GP3_FREE_MBPS:
            name = vol.extra_name(f"provisioned throughput (gp3, above {GP3_FREE_MBPS:g} MBps)", count)
            with ctx.part(name):
                price = ctx.price("aws", "ebs", region, "gp3/throughput", what="gp3 throughput")
                components.append(per_month(name, (throughput - GP3_FREE_MBPS) * count, "MBps-months", price))
    elif vol.type in ("io1", "io2"):
        if vol.iops is None:
            where = f"{vol.label.lower()} " if vol.label else ""
            raise Unpriced(f"{where}iops is not set (required for {vol.type})")
        detail = vol.type
        if vol.type == "io2" and vol.iops > IO2_FIRST_TIER_IOPS:
            # Higher tiers cost less; the catalog has only the first, so this is an upper bound.
            detail = f"io2, first-tier price also above {IO2_FIRST_TIER_IOPS:g}"
        name = vol.extra_name(f"provisioned IOPS ({detail})", count)
        with ctx.part(name):
            price = ctx.price("aws", "ebs", region, f"{vol.type}/iops", what=f"{vol.type} IOPS")
            components.append(per_month(name, vol.iops * count, "IOPS-months", price))
    return components


def ebs_volume(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "aws")
    disk = disks.ebs_volume(attrs)
    if disk.size is None and attrs.get("snapshot_id") is not None:
        raise Unpriced("size is not set: the size comes from the snapshot")
    volume_type = required_text(disk.type, "type")  # the reader applied the provider's default, gp2
    vol = Volume("", volume_type, number(disk.size, "size"),
                 iops=None if disk.iops is None else number(disk.iops, "iops"),
                 throughput=None if disk.throughput is None else number(disk.throughput, "throughput"))
    components = volume_components(ctx, region, vol)
    if volume_type == "standard":
        requests = ctx.usage_value(resource, "monthly_standard_io_requests")
        price = ctx.maybe_price("aws", "ebs", region, "standard/io")
        if price is None:
            ctx.notes.append("I/O requests of magnetic volumes are not in the price catalog (aws ebs standard/io): "
                             f"not priced ({requests:g} requests from the usage file)")
        else:
            components.append(per_month("I/O requests", requests / 1_000_000, "requests (1M)", price, usage_based=True))
    return components
