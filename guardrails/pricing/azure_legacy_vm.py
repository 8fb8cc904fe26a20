"""The legacy `azurerm_virtual_machine` (superseded by the Linux and Windows VM resources).

Its size is `vm_size`, its OS disk `storage_os_disk` and its data disks `storage_data_disk`
(`managed_disk_type`, `disk_size_gb`), priced as VM size hours (`azure vm`,
azure_instances.py) and managed disk tiers (`azure disk`, azure_disks.py). The choices:
- It is Windows when it has an `os_profile_windows_config` block or its OS disk says
  `os_type = "Windows"`, else Linux; `license_type` Windows_Server / Windows_Client is Azure
  Hybrid Benefit (the Linux price).
- An OS disk without `disk_size_gb` is assumed 30 GB (Linux) or 127 GB (Windows), as for the
  newer VM resources (azure.py), with a note.
- An unmanaged disk (`vhd_uri`, no `managed_disk_type`) is a page blob billed by its storage
  account: not priced here, a note says so.
"""
from __future__ import annotations

from typing import Any, Mapping

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing import azure_instances, azure_references
from guardrails.pricing.azure_disks import disk
from guardrails.pricing.base import (
    PricingContext,
    Unpriced,
    block,
    blocks,
    known,
    number,
    required_text,
    text,
)

DEFAULT_OS_DISK_GB = {"linux": 30.0, "windows": 127.0}


def virtual_machine(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = azure_references.region(ctx, resource)
    size = required_text(attrs.get("vm_size"), "vm_size")
    os_disk = block(attrs.get("storage_os_disk"), "storage_os_disk")
    if os_disk is None:
        raise Unpriced("storage_os_disk is not set")
    os = _os(attrs, os_disk)
    licence = known(attrs.get("license_type"), "license_type") if os == "windows" else None
    components: list[CostComponent] = []
    with ctx.part(azure_instances.name(size, os, licence)):
        components.append(azure_instances.instance_hours(ctx, region, size, os, licence))
    components.extend(_disk(ctx, region, os_disk, "storage_os_disk", "OS disk", DEFAULT_OS_DISK_GB[os]))
    for index, data in enumerate(blocks(attrs.get("storage_data_disk"), "storage_data_disk")):
        components.extend(_disk(ctx, region, data, f"storage_data_disk[{index}]", f"Data disk {index}", None))
    return components


def _os(attrs: Mapping[str, Any], os_disk: Mapping[str, Any]) -> str:
    if block(attrs.get("os_profile_windows_config"), "os_profile_windows_config") is not None:
        return "windows"
    os_type = text(os_disk.get("os_type"), "storage_os_disk.os_type")
    return "windows" if isinstance(os_type, str) and os_type.lower() == "windows" else "linux"


def _disk(ctx: PricingContext, region: str, settings: Mapping[str, Any], where: str, label: str,
          default_gb: float | None) -> list[CostComponent]:
    account = text(settings.get("managed_disk_type"), f"{where}.managed_disk_type")
    if account is None:
        if settings.get("vhd_uri") is not None:
            ctx.notes.append(f"{where}: an unmanaged disk (vhd_uri), billed by its storage account")
            return []
        raise Unpriced(f"{where}.managed_disk_type is not set")
    if settings.get("disk_size_gb") is None and default_gb is not None:
        ctx.notes.append(f"{where}.disk_size_gb not set: the image's size, assumed {default_gb:g} GB")
    size_gb = number(settings.get("disk_size_gb"), f"{where}.disk_size_gb", default_gb)
    components: list[CostComponent] = []
    with ctx.part(f"{label} ({account}, {size_gb:g} GB)"):
        components.append(disk(ctx, region, account, size_gb, label))
    return components


MODELS = {"azurerm_virtual_machine": virtual_machine}
