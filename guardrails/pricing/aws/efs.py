"""EFS file systems: storage by class (usage), infrequent access requests, provisioned throughput.

Storage is usage: how much a file system holds is not in the configuration. A One Zone file
system (`availability_zone_name` set) is priced at the One Zone classes. In provisioned mode the
throughput above what the stored Standard data includes (50 KB/s per GB, AWS's baseline) is
billed per MB/s-month; without `storage_gb` in the usage file the whole provisioned amount is
priced, an upper bound.

Catalog keys (service `efs`): `standard`, `standard-ia`, `one-zone`, `one-zone-ia` (GB-month),
`ia-read`, `ia-write` (GB), `provisioned-throughput` (MBps-month).
Usage keys (Infracost's): `storage_gb`, `infrequent_access_storage_gb`,
`monthly_infrequent_access_read_gb`, `monthly_infrequent_access_write_gb`.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import PricingContext, Unpriced, number, per_month, text

BASELINE_MBPS_PER_GB = 0.05


def efs_file_system(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "aws")
    one_zone = text(attrs.get("availability_zone_name"), "availability_zone_name") is not None
    standard, infrequent = ("one-zone", "one-zone-ia") if one_zone else ("standard", "standard-ia")
    label = "one zone" if one_zone else "standard"
    storage_gb = ctx.usage_value(resource, "storage_gb")
    components: list[CostComponent] = []
    parts = [(f"Storage ({label})", standard, storage_gb, "GB-months"),
             (f"Storage ({label}, infrequent access)", infrequent,
              ctx.usage_value(resource, "infrequent_access_storage_gb"), "GB-months"),
             ("Read requests (infrequent access)", "ia-read",
              ctx.usage_value(resource, "monthly_infrequent_access_read_gb"), "GB"),
             ("Write requests (infrequent access)", "ia-write",
              ctx.usage_value(resource, "monthly_infrequent_access_write_gb"), "GB")]
    for name, key, quantity, unit in parts:
        with ctx.part(name):
            price = ctx.price("aws", "efs", region, key, what=f"EFS {name.lower()}")
            components.append(per_month(name, quantity, unit, price, usage_based=True))

    mode = text(attrs.get("throughput_mode"), "throughput_mode") or "bursting"
    if mode == "provisioned":
        provisioned = number(attrs.get("provisioned_throughput_in_mibps"), "provisioned_throughput_in_mibps")
        billed = max(0.0, provisioned - storage_gb * BASELINE_MBPS_PER_GB)
        if not storage_gb:
            ctx.notes.append("provisioned throughput priced in full: no storage_gb in the usage file for its baseline")
        with ctx.part("Provisioned throughput"):
            price = ctx.price("aws", "efs", region, "provisioned-throughput", what="EFS provisioned throughput")
            components.append(per_month("Provisioned throughput", billed, "MBps", price))
    elif mode == "elastic":
        ctx.notes.append("elastic throughput: data read and written is billed per GB, not modelled")
    elif mode != "bursting":
        raise Unpriced(f"throughput_mode {mode} is not modelled")
    return components
