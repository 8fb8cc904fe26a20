"""RDS DB instances: the instance hours, storage with its provisioned IOPS and throughput, and
backups. Usage key: `backup_storage_gb` (GB-months of backups beyond the free allowance).

The storage type, with the provider's default where the configuration leaves it out, comes from
providers/disks.py. The storage-tier rule judges the same storage, so a database is priced as the
type it is judged as. An `iops = 0` is not sent to AWS, which therefore creates gp2.
"""
from __future__ import annotations

from typing import Any, Mapping

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.aws.common import size_text
from guardrails.pricing.base import (
    HOURS_PER_MONTH,
    PricingContext,
    Unpriced,
    flag,
    hours,
    known,
    number,
    per_month,
    required_text,
    text,
)
from guardrails.providers import disks


def _gp3_baseline(engine: str, size_gb: float) -> tuple[float, float]:
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


def _instance_key(attrs: Mapping[str, Any], instance_class: str, engine: str) -> tuple[str, str]:
    """The catalog key and the name's engine text; the catalog's prices include the licence."""
    license_model = text(attrs.get("license_model"), "license_model")
    if engine.startswith("oracle"):
        if engine.startswith("oracle-ee") and license_model is None:
            license_model = "bring-your-own-license"  # the only licence model Oracle EE offers on RDS
        if license_model is None:
            raise Unpriced(f"license_model is not set: {engine} is license-included or bring-your-own-license")
        if license_model == "bring-your-own-license":
            return f"{instance_class}/{engine}/byol", f"{engine}, bring-your-own-license"
    return f"{instance_class}/{engine}", engine


def db_instance(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "aws")
    copied = attrs.get("replicate_source_db") is not None or attrs.get("snapshot_identifier") is not None
    engine = text(attrs.get("engine"), "engine")
    if engine is None:
        raise Unpriced("engine is not set: it comes from the source database" if copied else "engine is not set")
    if engine.startswith("aurora"):
        raise Unpriced("Aurora is priced per cluster instance: not modelled")
    instance_class = text(attrs.get("instance_class"), "instance_class")
    if instance_class is None:
        raise Unpriced("instance_class is not set")
    key, engine_text = _instance_key(attrs, instance_class, engine)
    multi_az = flag(attrs.get("multi_az"), "multi_az")
    factor = 2 if multi_az else 1
    az = "Multi-AZ" if multi_az else "Single-AZ"
    components: list[CostComponent] = []
    with ctx.part(f"Database instance ({instance_class}, {engine_text}, {az})"):
        price = ctx.price("aws", "rds", region, key, what=f"RDS instance class {instance_class} for {engine_text}")
        components.append(hours(f"Database instance ({instance_class}, {engine_text}, {az})", price,
                                HOURS_PER_MONTH * factor))

    storage = disks.db_instance(attrs)
    iops_value = known(storage.iops, "iops")
    # The reader applied the provider's default: io1 when iops is set (non-zero), else gp2.
    storage_type = required_text(storage.type, "storage_type")
    if storage.size is None:
        raise Unpriced("allocated_storage is not set" + (": it comes from the source database" if copied else ""))
    size = number(storage.size, "allocated_storage")
    suffix = ", Multi-AZ" if multi_az else ""
    with ctx.part(f"Storage ({storage_type}, {size_text(size)}{suffix})"):
        storage_price = ctx.price("aws", "rds", region, f"storage/{storage_type}", what=f"RDS storage type {storage_type}")
        components.append(per_month(f"Storage ({storage_type}, {size_text(size)}{suffix})", size * factor, "GB-months",
                                    storage_price))
    iops = None if iops_value is None else number(iops_value, "iops")
    if storage_type == "gp3":
        free_iops, free_mbps = _gp3_baseline(engine, size)
        if iops is not None and iops > free_iops:
            with ctx.part(f"Provisioned IOPS (gp3, above {free_iops:g}{suffix})"):
                iops_price = ctx.price("aws", "rds", region, "storage/gp3/iops", what="RDS gp3 IOPS")
                components.append(per_month(f"Provisioned IOPS (gp3, above {free_iops:g}{suffix})",
                                            (iops - free_iops) * factor, "IOPS-months", iops_price))
        throughput = storage.throughput
        if throughput is not None and number(throughput, "storage_throughput") > free_mbps:
            with ctx.part(f"Provisioned throughput (gp3, above {free_mbps:g} MBps{suffix})"):
                mbps_price = ctx.price("aws", "rds", region, "storage/gp3/throughput", what="RDS gp3 throughput")
                components.append(per_month(f"Provisioned throughput (gp3, above {free_mbps:g} MBps{suffix})",
                                            (number(throughput, "storage_throughput") - free_mbps) * factor,
                                            "MBps-months", mbps_price))
    elif storage_type in ("io1", "io2"):
        if iops is None:
            raise Unpriced(f"iops is not set (required for {storage_type})")
        with ctx.part(f"Provisioned IOPS ({storage_type}{suffix})"):
            iops_price = ctx.price("aws", "rds", region, f"storage/{storage_type}/iops", what=f"RDS {storage_type} IOPS")
            components.append(per_month(f"Provisioned IOPS ({storage_type}{suffix})", iops * factor, "IOPS-months",
                                        iops_price))
    elif storage_type == "standard":
        ctx.notes.append("I/O requests of magnetic storage are not modelled")
    if attrs.get("max_allocated_storage") not in (None, 0):
        ctx.notes.append("storage autoscaling: priced at allocated_storage; growth is not priced")
    with ctx.part("Backup storage"):
        backup = ctx.price("aws", "rds", region, "backup-storage", what="RDS backup storage")
        components.append(per_month("Backup storage", ctx.usage_value(resource, "backup_storage_gb"), "GB-months",
                                    backup, usage_based=True))
    return components
