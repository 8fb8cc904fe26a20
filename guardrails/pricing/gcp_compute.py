"""Compute Engine parts that VMs, GKE nodes and managed instance groups share: machine types,
persistent disks, local SSDs and GPUs.

Machine types are priced at the on-demand list price: the catalog's hourly `<type>` x 730. The
source's `<type>/month` figure includes the sustained-use discount Google applies by itself to
the families that have one (N1, N2, C2, ...); it is a note, and the policy setting
`gcp_sustained_use_discount: true` (read from `settings.other`) prices at it instead. A machine
type the catalog gives only a monthly figure for is priced at that figure, with a note.
"""
from __future__ import annotations

import re
from typing import Any

from guardrails.core.model import CostComponent
from guardrails.pricing.base import (
    HOURS_PER_MONTH,
    PricingContext,
    Unpriced,
    blocks,
    flag,
    hours,
    known,
    number,
    per_month,
    required_text,
)

LOCAL_SSD_GB = 375.0  # one local SSD partition
SUSTAINED_USE_SETTING = "gcp_sustained_use_discount"
_CUSTOM = re.compile(r"(^|-)custom-\d+-\d+(-ext)?$")
# Their provisioned IOPS and throughput are billed on top of capacity; the catalog has capacity only.
UNMODELLED_DISKS = ("pd-extreme", "hyperdisk-")


def machine(ctx: PricingContext, region: str, machine_type: str, count: float, label: str) -> CostComponent:
    """`count` machines of a type for a month, at the on-demand list price (see the docstring)."""
    monthly = ctx.maybe_price("gcp", "compute", region, f"{machine_type}/month")
    hourly = ctx.maybe_price("gcp", "compute", region, machine_type)
    if monthly is None and hourly is None:
        if _CUSTOM.search(machine_type) and region in ctx.catalog.regions("gcp", "compute"):
            raise Unpriced(f"custom machine type {machine_type} is not in the price catalog "
                           f"(it has no per-vCPU and per-GB rates to build its price from)")
        ctx.price("gcp", "compute", region, machine_type, what=f"machine type {machine_type}")  # raises
    if hourly is None:
        assert monthly is not None
        ctx.notes.append(f"{machine_type}: priced at the source's monthly price (it has no hourly list price; "
                         f"that figure may include the sustained-use discount)")
        return per_month(label, count, "months", monthly)
    list_month = hourly.value * HOURS_PER_MONTH
    # Half a cent of tolerance: the source rounds its figures differently.
    if monthly is not None and monthly.value < list_month - 0.005:
        saving = 1 - monthly.value / list_month
        if flag(ctx.settings.other.get(SUSTAINED_USE_SETTING), f"settings.{SUSTAINED_USE_SETTING}"):
            ctx.notes.append(f"{machine_type}: sustained-use discount applied ({saving:.0%} off the list price, "
                             f"settings.{SUSTAINED_USE_SETTING})")
            return per_month(label, count, "months", monthly)
        ctx.notes.append(f"{machine_type}: on-demand list price; Google's sustained-use discount for a full month "
                         f"would make it ${monthly.value:,.2f} a month ({saving:.0%} less), not applied")
    return hours(label, hourly, HOURS_PER_MONTH * count)


def disk(ctx: PricingContext, region: str, disk_type: str, gb: float, label: str) -> CostComponent:
    """`gb` GB-months of a persistent disk type."""
    if disk_type.startswith(UNMODELLED_DISKS):
        raise Unpriced(f"{disk_type} disks are not modelled (provisioned IOPS and throughput are "
                       f"billed on top of capacity)")
    price = ctx.price("gcp", "disk", region, disk_type, what=f"disk type {disk_type}")
    return per_month(label, gb, "GB-months", price)


def local_ssd(ctx: PricingContext, region: str, gb: float, label: str) -> CostComponent:
    price = ctx.price("gcp", "disk", region, "local-ssd", what="local SSD")
    return per_month(label, gb, "GB-months", price)


def accelerators(value: Any, ctx: PricingContext, region: str, nodes: float, label: str,
                 what: str = "guest_accelerator") -> list[CostComponent]:
    """The GPUs of `nodes` machines, each part priced on its own."""
    components = []
    for accelerator in blocks(value, what):
        kind = required_text(accelerator.get("type"), f"{what}.type").rsplit("/", 1)[-1]
        count = number(accelerator.get("count"), f"{what}.count")
        if count == 0:
            continue
        per = f"{n(nodes)} x {n(count)}" if nodes != 1 else n(count)
        with ctx.part(f"{label} ({kind} x {per})"):
            price = ctx.price("gcp", "compute", region, f"gpu/{kind}", what=f"GPU {kind}")
            components.append(hours(f"{label} ({kind} x {per})", price, HOURS_PER_MONTH * count * nodes))
    return components


def refuse_spot(settings: Any, what: str) -> None:
    """Unpriced for a spot or preemptible VM: the catalog holds on-demand list prices only."""
    if not settings:
        return
    model = known(settings.get("provisioning_model"), f"{what}.provisioning_model")
    if (flag(settings.get("preemptible"), f"{what}.preemptible") or flag(settings.get("spot"), f"{what}.spot")
            or (isinstance(model, str) and model.upper() == "SPOT")):
        raise Unpriced("spot pricing not in catalog (spot and preemptible VMs are not modelled)")


def n(value: float) -> str:
    """A count or size for a label: 3, not 3.0."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
