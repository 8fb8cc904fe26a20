"""FSx for Windows File Server and FSx for OpenZFS: throughput capacity, storage, IOPS, backups.

Both are billed for what is provisioned: `throughput_capacity` MB/s and `storage_capacity` GB a
month, at the prices of the deployment type and storage type; backups are usage. OpenZFS SSD
includes 3 IOPS per GB; user-provisioned IOPS above that are billed. Defaults the provider
applies: Windows `deployment_type` SINGLE_AZ_1, `storage_type` SSD for both (notes when used).

Catalog keys (service `fsx`): `<system>/<deployment>/throughput` (MBps-month),
`<system>/<deployment>/ssd`, `.../hdd` (GB-month), `openzfs/<deployment>/iops` (IOPS-month),
`<system>/backup` (GB-month), where system is windows or openzfs and deployment the
deployment type in lower case with dashes (multi-az-1, single-az-1, ...).
Usage key: `backup_storage_gb`.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import PricingContext, block, number, per_month, required_text, text

INCLUDED_IOPS_PER_GB = 3.0


def _deployment(resource: Resource, ctx: PricingContext, default: str | None) -> str:
    value = text(resource.attrs.get("deployment_type"), "deployment_type")
    if value is None:
        value = required_text(None, "deployment_type", default)
        ctx.notes.append(f"deployment_type is not set: the provider's default is {value}")
    return value.lower().replace("_", "-")


def _storage_type(resource: Resource, ctx: PricingContext) -> str:
    value = text(resource.attrs.get("storage_type"), "storage_type")
    if value is None:
        ctx.notes.append("storage_type is not set: the provider's default is SSD")
        return "ssd"
    return value.lower()


def _file_system(resource: Resource, ctx: PricingContext, system: str, label: str,
                 default_deployment: str | None) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "aws")
    deployment = _deployment(resource, ctx, default_deployment)
    storage = _storage_type(resource, ctx)
    throughput = number(attrs.get("throughput_capacity"), "throughput_capacity")
    capacity = number(attrs.get("storage_capacity"), "storage_capacity")
    components: list[CostComponent] = []
    with ctx.part("Throughput capacity"):
        price = ctx.price("aws", "fsx", region, f"{system}/{deployment}/throughput",
                          what=f"FSx for {label} throughput ({deployment})")
        components.append(per_month("Throughput capacity", throughput, "MBps", price))
    name = f"{storage.upper()} storage"
    with ctx.part(name):
        price = ctx.price("aws", "fsx", region, f"{system}/{deployment}/{storage}",
                          what=f"FSx for {label} {storage.upper()} storage ({deployment})")
        components.append(per_month(name, capacity, "GB", price))
    if system == "openzfs":
        iops = block(attrs.get("disk_iops_configuration"), "disk_iops_configuration") or {}
        mode = text(iops.get("mode"), "disk_iops_configuration.mode") or "AUTOMATIC"
        if mode == "USER_PROVISIONED":
            extra = max(0.0, number(iops.get("iops"), "disk_iops_configuration.iops") - INCLUDED_IOPS_PER_GB * capacity)
            if extra:
                with ctx.part("Provisioned IOPS"):
                    price = ctx.price("aws", "fsx", region, f"openzfs/{deployment}/iops",
                                      what=f"FSx for OpenZFS provisioned IOPS ({deployment})")
                    components.append(per_month("Provisioned IOPS", extra, "IOPS", price))
    with ctx.part("Backup storage"):
        price = ctx.price("aws", "fsx", region, f"{system}/backup", what=f"FSx for {label} backup storage")
        components.append(per_month("Backup storage", ctx.usage_value(resource, "backup_storage_gb"), "GB", price,
                                    usage_based=True))
    return components


def windows_file_system(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    return _file_system(resource, ctx, "windows", "Windows File Server", "SINGLE_AZ_1")


def openzfs_file_system(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    return _file_system(resource, ctx, "openzfs", "OpenZFS", None)
