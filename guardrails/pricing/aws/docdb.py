"""DocumentDB clusters and instances: instance hours, and the cluster's storage, I/O and backups
by use.

Catalog keys, service `docdb`: `<instance class>` (hour), `cpu-credits` (vCPU-hour, db.t
classes), `storage` (GB-month), `io-requests` (1M requests), `backup-storage` (GB-month).
Usage keys, Infracost's names: on aws_docdb_cluster_instance `monthly_cpu_credit_hrs`; on
aws_docdb_cluster `storage_gb`, `monthly_io_requests`, `backup_storage_gb`.

Storage and I/O belong to the cluster (its instances share one volume), so they are listed there,
not once per instance. I/O-Optimized clusters (`storage_type = "iopt1"`) have instance prices of
their own, `iopt1/<instance class>`.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.aws.clusters import referenced
from guardrails.pricing.base import PricingContext, Unpriced, hours, per_month, text


def _io_optimized(cluster: Resource | None) -> bool:
    return cluster is not None and text(cluster.attrs.get("storage_type"), "cluster storage_type") == "iopt1"


def docdb_cluster_instance(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "aws")
    instance_class = text(attrs.get("instance_class"), "instance_class")
    if instance_class is None:
        raise Unpriced("instance_class is not set")
    cluster = referenced(ctx, resource, attrs.get("cluster_identifier"), "aws_docdb_cluster")
    iopt = _io_optimized(cluster)
    shown = f"Database instance ({instance_class}" + (", I/O-Optimized)" if iopt else ")")
    components: list[CostComponent] = []
    with ctx.part(shown):
        price = ctx.price("aws", "docdb", region, ("iopt1/" if iopt else "") + instance_class,
                          what=f"DocumentDB instance class {instance_class}" + (" (I/O-Optimized)" if iopt else ""))
        components.append(hours(shown, price))
    if instance_class.startswith("db.t"):
        with ctx.part("CPU credits"):
            credit = ctx.price("aws", "docdb", region, "cpu-credits", what="DocumentDB CPU credits")
            components.append(per_month("CPU credits", ctx.usage_value(resource, "monthly_cpu_credit_hrs"),
                                        "vCPU-hours", credit, usage_based=True))
    return components


def docdb_cluster(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    iopt = _io_optimized(resource)
    components: list[CostComponent] = []
    with ctx.part("Storage"):
        price = ctx.price("aws", "docdb", region, "iopt1/storage" if iopt else "storage", what="DocumentDB storage")
        components.append(per_month("Storage", ctx.usage_value(resource, "storage_gb"), "GB-months", price,
                                    usage_based=True))
    if not iopt:
        with ctx.part("I/O requests"):
            price = ctx.price("aws", "docdb", region, "io-requests", what="DocumentDB I/O requests")
            components.append(per_month("I/O requests", ctx.usage_value(resource, "monthly_io_requests") / 1_000_000,
                                        "1M requests", price, usage_based=True))
    with ctx.part("Backup storage"):
        price = ctx.price("aws", "docdb", region, "backup-storage", what="DocumentDB backup storage")
        components.append(per_month("Backup storage", ctx.usage_value(resource, "backup_storage_gb"), "GB-months",
                                    price, usage_based=True))
    return components
