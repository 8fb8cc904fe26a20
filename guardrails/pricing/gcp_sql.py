"""Cloud SQL: `google_sql_database_instance`.

Cloud SQL bills an instance's vCPUs and memory by the hour (shared-core tiers by the instance
hour), its data disk per GB-month, and backups per GB-month; high availability (`availability_type
= "REGIONAL"`) bills a standby as well, which the catalog's `regional` rates carry (twice the zonal).
Catalog keys, service `sql`: `vcpu/<zonal|regional>` (vCPU-hour), `memory/<zonal|regional>`
(GB-hour), `<shared-core tier>/<zonal|regional>` (hour), `storage/<PD_SSD|PD_HDD>/<zonal|regional>`
(GB-month), `backup` (GB-month), `license/sqlserver-<web|standard|enterprise>` (vCPU-hour).

Usage key: `backup_storage_gb` (as Infracost names it). Dedicated-core tiers are `db-custom-<vCPUs>-
<MiB>` and the predefined `db-n1-standard-N`, `db-n1-highmem-N`, `db-standard-N`, `db-highmem-N`
(3.75 GB and 6.5 GB of memory per vCPU, the machine series they are named after). Enterprise Plus
tiers and editions are not modelled. A read replica is its own resource and is priced as one.
"""
from __future__ import annotations

import re

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import HOURS_PER_MONTH, PricingContext, Unpriced, first_block, hours, known, number, \
    per_month, required_text, text
from guardrails.pricing.gcp_compute import n

DEFAULT_DISK_GB = 10.0  # the provider's documented default for settings.disk_size
DEFAULT_DISK_TYPE = "PD_SSD"
SHARED_CORE = ("db-f1-micro", "db-g1-small")
_CUSTOM = re.compile(r"^db-custom-(\d+)-(\d+)$")
_PREDEFINED = re.compile(r"^db-(?:n1-)?(standard|highmem)-(\d+)$")
_MEMORY_PER_VCPU = {"standard": 3.75, "highmem": 6.5}
# SQL Server's licence is billed per vCPU on top of the instance (Express is free).
_SQLSERVER = re.compile(r"^SQLSERVER_\d+_(WEB|STANDARD|ENTERPRISE|EXPRESS)$")


def sql_database_instance(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "gcp")
    settings = first_block(resource, "settings")
    if settings is None:
        raise Unpriced("settings is not set (it names the tier)")
    edition = text(settings.get("edition"), "settings.edition")
    if edition and edition.upper() == "ENTERPRISE_PLUS":
        raise Unpriced("the Enterprise Plus edition is not modelled")
    tier = required_text(settings.get("tier"), "settings.tier")
    availability = (text(settings.get("availability_type"), "settings.availability_type") or "ZONAL").upper()
    if availability not in ("ZONAL", "REGIONAL"):
        raise Unpriced(f"settings.availability_type {availability!r} is not ZONAL or REGIONAL")
    where = availability.lower()
    if availability == "REGIONAL":
        ctx.notes.append("high availability (REGIONAL): a standby in a second zone is billed as well")
    components: list[CostComponent] = []
    vcpus = _compute(ctx, region, tier, where, components)

    disk_type = (text(settings.get("disk_type"), "settings.disk_type") or DEFAULT_DISK_TYPE).upper()
    if settings.get("disk_size") is None:
        ctx.notes.append(f"settings.disk_size not set: {n(DEFAULT_DISK_GB)} GB, the provider's default")
    gb = number(settings.get("disk_size"), "settings.disk_size", DEFAULT_DISK_GB)
    label = f"Storage ({disk_type}, {where}, {n(gb)} GB)"
    with ctx.part(label):
        price = ctx.price("gcp", "sql", region, f"storage/{disk_type}/{where}", what=f"{disk_type} storage ({where})")
        components.append(per_month(label, gb, "GB-months", price))
    if known(settings.get("disk_autoresize"), "settings.disk_autoresize") is not False:
        ctx.notes.append("disk_autoresize is on (the default): the disk grows with the data, and never shrinks")

    with ctx.part("Backups"):
        price = ctx.price("gcp", "sql", region, "backup", what="backup storage")
        components.append(per_month("Backups", ctx.usage_value(resource, "backup_storage_gb"), "GB-months", price,
                                    usage_based=True))

    version = text(attrs.get("database_version"), "database_version") or ""
    licence = _SQLSERVER.match(version.upper())
    if licence and licence.group(1) != "EXPRESS":
        kind = licence.group(1).lower()
        label = f"SQL Server {kind} licence ({n(vcpus)} vCPUs)" if vcpus else f"SQL Server {kind} licence"
        with ctx.part(label):
            if not vcpus:
                raise Unpriced(f"the SQL Server licence of a {tier} instance is not modelled")
            price = ctx.price("gcp", "sql", region, f"license/sqlserver-{kind}", what=f"the SQL Server {kind} licence")
            components.append(hours(label, price, HOURS_PER_MONTH * vcpus))
    return components


def _compute(ctx: PricingContext, region: str, tier: str, where: str, components: list[CostComponent]) -> float:
    """Append the tier's instance parts; the number of vCPUs (0 for a shared-core tier)."""
    if tier in SHARED_CORE:
        label = f"SQL instance ({tier}, {where})"
        with ctx.part(label):
            components.append(hours(label, ctx.price("gcp", "sql", region, f"{tier}/{where}", what=f"tier {tier}")))
        return 0.0
    custom, predefined = _CUSTOM.match(tier), _PREDEFINED.match(tier)
    if custom:
        vcpus, memory_gb = float(custom.group(1)), int(custom.group(2)) / 1024
    elif predefined:
        vcpus = float(predefined.group(2))
        memory_gb = vcpus * _MEMORY_PER_VCPU[predefined.group(1)]
    else:
        raise Unpriced(f"tier {tier} is not modelled (db-custom-N-M, db-n1-standard-N, db-n1-highmem-N, "
                       f"db-standard-N, db-highmem-N, db-f1-micro and db-g1-small are)")
    label = f"vCPUs ({n(vcpus)}, {where})"
    with ctx.part(label):
        components.append(hours(label, ctx.price("gcp", "sql", region, f"vcpu/{where}", what=f"vCPUs ({where})"),
                                HOURS_PER_MONTH * vcpus))
    label = f"Memory ({n(memory_gb)} GB, {where})"
    with ctx.part(label):
        price = ctx.price("gcp", "sql", region, f"memory/{where}", what=f"memory ({where})")
        components.append(per_month(label, memory_gb * HOURS_PER_MONTH, "GB-hours", price))
    return vcpus
