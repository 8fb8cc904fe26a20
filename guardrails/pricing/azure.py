"""Azure cost models: Linux and Windows virtual machines with their OS disk, managed disks.

Prices are the catalog's `azure` rows (keys in catalog.py): `vm <arm sku>` (Linux, hour),
`vm <arm sku>/windows`, `disk <tier>` (month per disk). The choices made here:

- A Windows VM with `license_type` Windows_Server or Windows_Client uses Azure Hybrid Benefit:
  the licence is brought along, so it costs the Linux (compute only) price.
- Managed disks are billed per disk by size tier, the tier being the smallest one the size fits
  in (Azure managed disks pricing page, azure.microsoft.com/pricing/details/managed-disks/):
  4, 8, 16, 32, 64, 128, 256, 512 GiB, 1, 2, 4, 8, 16, 32 TiB are tiers 1, 2, 3, 4, 6, 10, 15,
  20, 30, 40, 50, 60, 70, 80, with S (Standard HDD, smallest S4), E (Standard SSD) and P
  (Premium SSD) prefixes. Standard tiers also bill transactions: not modelled (a note says so).
- An OS disk without `disk_size_gb` takes the image's size: assumed 30 GB for Linux and 127 GB
  for Windows, the size of the common marketplace images, with a note.
- Spot VMs, zone-redundant (ZRS), Ultra and Premium SSD v2 disks are unpriced: the catalog has
  none of their prices.

Disks are read by providers/disks.py, the reader the storage-tier rule judges by.
"""
from __future__ import annotations

import math
from typing import Callable

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import (
    PricingContext,
    Unpriced,
    hours,
    known,
    number,
    per_month,
    readable,
    required_text,
)
from guardrails.providers import disks

PROVIDER = "azurerm"

_TIERS = ((4, 1), (8, 2), (16, 3), (32, 4), (64, 6), (128, 10), (256, 15), (512, 20), (1024, 30),
          (2048, 40), (4096, 50), (8192, 60), (16384, 70), (32767, 80))
_PREFIX = {"Standard_LRS": "S", "StandardSSD_LRS": "E", "Premium_LRS": "P"}
_SMALLEST_STANDARD_HDD = 4  # Standard HDD starts at S4 (32 GiB)
_HYBRID_BENEFIT = ("Windows_Server", "Windows_Client")
DEFAULT_OS_DISK_GB = {"linux": 30.0, "windows": 127.0}


def disk_tier(storage_account_type: str, size_gb: float) -> str:
    """The billing tier of a managed disk (`E4`, `P30`), or Unpriced when it has none."""
    prefix = _PREFIX.get(storage_account_type)
    if prefix is None:
        if storage_account_type in ("UltraSSD_LRS", "PremiumV2_LRS"):
            raise Unpriced(f"{storage_account_type} disks are not modelled "
                           f"(billed per GB, IOPS and throughput)")
        if storage_account_type.endswith("_ZRS"):
            raise Unpriced(f"{storage_account_type} disks are not modelled "
                           f"(the catalog has LRS disk tiers only)")
        raise Unpriced(f"storage account type {storage_account_type} is unknown")
    if size_gb <= 0:
        raise Unpriced(f"disk size {size_gb:g} GB is not a disk size")
    for limit, tier in _TIERS:
        if math.ceil(size_gb) <= limit:
            if prefix == "S":
                tier = max(tier, _SMALLEST_STANDARD_HDD)
            return f"{prefix}{tier}"
    raise Unpriced(f"disk size {size_gb:g} GB is above the largest managed disk ({_TIERS[-1][0]} GB)")


def linux_virtual_machine(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    return _virtual_machine(resource, ctx, "linux")


def windows_virtual_machine(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    return _virtual_machine(resource, ctx, "windows")


def managed_disk(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    """One managed disk at its tier's monthly price."""
    attrs = resource.attrs
    region = ctx.region(resource, "azure")
    disk = disks.managed_disk(attrs)
    account = required_text(disk.type, "storage_account_type")
    if disk.size is None:
        option = known(attrs.get("create_option"), "create_option")
        if option not in (None, "Empty"):
            raise Unpriced(f"disk_size_gb is not set: the size comes from the source ({option})")
    size = number(disk.size, "disk_size_gb")
    return [_disk(ctx, region, account, size, "Managed disk")]


MODELS: dict[str, Callable[[Resource, PricingContext], list[CostComponent]]] = {
    "azurerm_linux_virtual_machine": linux_virtual_machine,
    "azurerm_windows_virtual_machine": windows_virtual_machine,
    "azurerm_managed_disk": managed_disk,
}


def _virtual_machine(resource: Resource, ctx: PricingContext, os: str) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "azure")
    priority = known(attrs.get("priority"), "priority")
    if isinstance(priority, str) and priority.lower() == "spot":
        raise Unpriced("spot pricing not in catalog (Spot VMs are not modelled)")
    size = required_text(attrs.get("size"), "size")
    key, label, priced_as = size, "Linux", "Linux"
    if os == "windows":
        licence = known(attrs.get("license_type"), "license_type")
        if licence in _HYBRID_BENEFIT:
            label, priced_as = "Windows, Azure Hybrid Benefit", "Linux price: Azure Hybrid Benefit"
            ctx.notes.append(f"Azure Hybrid Benefit ({licence}): the Windows licence is brought "
                             f"along, compute is billed at the Linux price")
        else:
            key, label, priced_as = f"{size}/windows", "Windows", "Windows"
    components: list[CostComponent] = []
    with ctx.part(f"Instance usage ({label}, on-demand, {size})"):
        price = ctx.price("azure", "vm", region, key, what=f"VM size {size} ({priced_as})")
        components.append(hours(f"Instance usage ({label}, on-demand, {size})", price))

    disk = readable(disks.os_disk(attrs))
    account = required_text(disk.type, disk.what("storage_account_type"))
    if disk.size is None:
        ctx.notes.append(f"os_disk size not set: the image's size, assumed {DEFAULT_OS_DISK_GB[os]:g} GB "
                         f"(common {os.capitalize()} marketplace images)")
    size_gb = number(disk.size, disk.what("disk_size_gb"), DEFAULT_OS_DISK_GB[os])
    with ctx.part(f"OS disk ({account}, {size_gb:g} GB)"):
        components.append(_disk(ctx, region, account, size_gb, "OS disk"))
    return components


def _disk(ctx: PricingContext, region: str, account: str, size_gb: float, label: str) -> CostComponent:
    tier = disk_tier(account, size_gb)
    price = ctx.price("azure", "disk", region, tier, what=f"disk tier {tier}")
    if tier[0] in "SE":
        ctx.notes.append(f"{tier}: transactions (billed per 10,000 on Standard disks) are not modelled")
    return per_month(f"{label} ({tier}, {account}, {size_gb:g} GB)", 1, "months", price)

