"""Virtual machine scale sets: `azurerm_linux_virtual_machine_scale_set` and
`azurerm_windows_virtual_machine_scale_set`.

Each instance is a VM of the set's `sku` with its OS disk and data disks: priced as VM size
hours (`azure vm`, azure_instances.py) and managed disk tiers (`azure disk`, azure_disks.py),
times `instances` (the usage file's `instances` overrides it, Infracost's key, for a set an
autoscaler resizes). The choices made here:
- `instances` unset is 0, the azurerm default: nothing runs, and a note says so.
- An OS disk without `disk_size_gb` takes the image's size, assumed 30 GB (Linux) or 127 GB
  (Windows) as for a single VM (azure.py). Windows sets with `license_type` Windows_Server or
  Windows_Client use Azure Hybrid Benefit (the Linux price).
- Spot sets are unpriced (pay-as-you-go prices only).
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing import azure_instances, azure_references
from guardrails.pricing.azure_disks import disk
from guardrails.pricing.base import (
    PricingContext,
    blocks,
    count,
    known,
    number,
    readable,
    required_text,
)
from guardrails.providers import disks

DEFAULT_OS_DISK_GB = {"linux": 30.0, "windows": 127.0}


def linux_scale_set(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    return _scale_set(resource, ctx, "linux")


def windows_scale_set(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    return _scale_set(resource, ctx, "windows")


def _scale_set(resource: Resource, ctx: PricingContext, os: str) -> list[CostComponent]:
    attrs = resource.attrs
    region = azure_references.region(ctx, resource)
    azure_instances.refuse_spot(attrs.get("priority"))
    size = required_text(attrs.get("sku"), "sku")
    licence = known(attrs.get("license_type"), "license_type") if os == "windows" else None
    instances = _instances(resource, ctx)
    components: list[CostComponent] = []
    name = f"{instances:g} x {azure_instances.name(size, os, licence)}"
    with ctx.part(name):
        found = azure_instances.instance_hours(ctx, region, size, os, licence, instances)
        components.append(CostComponent(name=name, unit=found.unit, quantity=found.quantity,
                                        unit_price=found.unit_price))
    if instances == 0:
        return components
    os_disk = readable(disks.os_disk(attrs))
    account = required_text(os_disk.type, os_disk.what("storage_account_type"))
    if os_disk.size is None:
        ctx.notes.append(f"os_disk size not set: the image's size, assumed {DEFAULT_OS_DISK_GB[os]:g} GB")
    size_gb = number(os_disk.size, os_disk.what("disk_size_gb"), DEFAULT_OS_DISK_GB[os])
    with ctx.part(f"OS disks ({instances:g} x {account}, {size_gb:g} GB)"):
        components.append(disk(ctx, region, account, size_gb, "OS disks", instances))
    for index, data in enumerate(blocks(attrs.get("data_disk"), "data_disk")):
        where = f"data_disk[{index}]"
        data_account = required_text(data.get("storage_account_type"), f"{where}.storage_account_type")
        data_gb = number(data.get("disk_size_gb"), f"{where}.disk_size_gb")
        with ctx.part(f"Data disks {index} ({instances:g} x {data_account}, {data_gb:g} GB)"):
            components.append(disk(ctx, region, data_account, data_gb, f"Data disks {index}", instances))
    return components


def _instances(resource: Resource, ctx: PricingContext) -> float:
    from_usage = ctx.usage.get(resource, "instances")
    if from_usage is not None:
        ctx.notes.append(f"instances from the usage file: {float(from_usage):g}")
        return float(from_usage)
    if resource.attrs.get("instances") is None:
        ctx.notes.append("instances not set: 0, the azurerm default (no instance runs)")
    return float(count(resource.attrs.get("instances"), "instances", 0))


MODELS = {
    "azurerm_linux_virtual_machine_scale_set": linux_scale_set,
    "azurerm_windows_virtual_machine_scale_set": windows_scale_set,
}
