"""Aurora clusters and their instances (MySQL- and PostgreSQL-compatible), as AWS bills them: the
instances by the hour, the cluster's storage, I/O and backups by use, Serverless capacity by the
ACU-hour.

Catalog keys, service `rds` (beside the RDS DB instance keys, as AWS's RDS price list has them):
- `<class>/<engine>` (hour; engine `aurora-mysql` or `aurora-postgresql`), `<class>/<engine>/iopt1`
  on an I/O-Optimized cluster (AWS lists those instances about 30% higher);
- `aurora/cpu-credits` (vCPU-hour, the burstable db.t classes, which Aurora runs unlimited);
- `aurora/storage`, `aurora-iopt1/storage` (GB-month), `aurora/io-requests` (1M requests, Aurora
  Standard only), `aurora/backup-storage` (GB-month);
- `aurora/serverless-v2`, `aurora-iopt1/serverless-v2`, `aurora/serverless-v1` (ACU-hour).

Usage keys, Infracost's names: on aws_rds_cluster_instance `monthly_cpu_credit_hrs`; on
aws_rds_cluster `storage_gb`, `write_requests_per_sec` and `read_requests_per_sec` (I/O),
`backup_storage_gb` (as aws_db_instance), `capacity_units_per_hr` (Serverless: the average ACUs of
all its db.serverless instances, or of the v1 cluster).

Serverless v2 capacity is priced on the cluster, where `serverlessv2_scaling_configuration` says
its bounds; its db.serverless instances then cost nothing of their own, so that nothing is counted
twice.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.aws.clusters import inherited, referenced
from guardrails.pricing.base import (
    HOURS_PER_MONTH,
    PricingContext,
    Unpriced,
    first_block,
    hours,
    number,
    per_month,
    text,
)

AURORA_ENGINES = ("aurora-mysql", "aurora-postgresql")
SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600


def _engine(value: object, ctx: PricingContext) -> str:
    engine = text(value, "engine")
    if engine is None or engine == "aurora":
        # The provider's default, and the old name of the MySQL 5.6-compatible edition.
        ctx.notes.append("engine aurora: priced as aurora-mysql")
        return "aurora-mysql"
    if engine not in AURORA_ENGINES:
        raise Unpriced(f"engine {engine}: Multi-AZ DB clusters of RDS are not modelled" if engine in ("mysql", "postgres")
                       else f"engine {engine} is not an Aurora engine")
    return engine


def _io_optimized(cluster: Resource | None) -> bool:
    return cluster is not None and text(cluster.attrs.get("storage_type"), "cluster storage_type") == "aurora-iopt1"


def rds_cluster_instance(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "aws")
    cluster = referenced(ctx, resource, attrs.get("cluster_identifier"), "aws_rds_cluster")
    engine = _engine(inherited(ctx, resource, "engine", cluster), ctx)
    instance_class = text(attrs.get("instance_class"), "instance_class")
    if instance_class is None:
        raise Unpriced("instance_class is not set")
    if instance_class == "db.serverless":
        ctx.notes.append("db.serverless: its ACU-hours are priced on the cluster (usage capacity_units_per_hr)")
        return []
    if cluster is None:
        ctx.notes.append("the cluster is not among the scanned resources: priced as Aurora Standard")
    iopt = _io_optimized(cluster)
    key = f"{instance_class}/{engine}" + ("/iopt1" if iopt else "")
    shown = f"Database instance ({instance_class}, {engine}" + (", I/O-Optimized)" if iopt else ")")
    components: list[CostComponent] = []
    with ctx.part(shown):
        price = ctx.price("aws", "rds", region, key, what=f"Aurora instance class {instance_class} for {engine}"
                          + (" (I/O-Optimized)" if iopt else ""))
        components.append(hours(shown, price))
    if instance_class.startswith("db.t"):
        with ctx.part("CPU credits"):
            credit = ctx.price("aws", "rds", region, "aurora/cpu-credits", what="Aurora CPU credits")
            components.append(per_month("CPU credits", ctx.usage_value(resource, "monthly_cpu_credit_hrs"),
                                        "vCPU-hours", credit, usage_based=True))
    return components


def rds_cluster(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "aws")
    _engine(attrs.get("engine"), ctx)  # refuses non-Aurora engines; the prices below are one for both editions
    iopt = _io_optimized(resource)
    tier = "aurora-iopt1" if iopt else "aurora"
    suffix = " (I/O-Optimized)" if iopt else ""
    components: list[CostComponent] = []
    mode = text(attrs.get("engine_mode"), "engine_mode") or "provisioned"
    capacity = ctx.usage_value(resource, "capacity_units_per_hr")
    if mode == "serverless":
        ctx.notes.append("Aurora Serverless v1 reached its end of life on 2025-03-31")
        with ctx.part("Aurora Serverless v1"):
            price = ctx.price("aws", "rds", region, "aurora/serverless-v1", what="Aurora Serverless v1 capacity")
            components.append(per_month("Aurora Serverless v1", capacity * HOURS_PER_MONTH, "ACU-hours", price,
                                        usage_based=True))
    scaling = first_block(resource, "serverlessv2_scaling_configuration")
    if scaling is not None:
        minimum = number(scaling.get("min_capacity"), "serverlessv2_scaling_configuration.min_capacity", 0.0)
        maximum = scaling.get("max_capacity")
        bounds = f"{minimum:g}-{number(maximum, 'serverlessv2_scaling_configuration.max_capacity'):g} ACUs" \
            if maximum is not None else f"at least {minimum:g} ACUs"
        if minimum > 0:
            ctx.notes.append(f"Serverless v2 scales {bounds}: each db.serverless instance bills at least "
                             f"{minimum * HOURS_PER_MONTH:g} ACU-hours a month")
        else:
            ctx.notes.append(f"Serverless v2 scales {bounds}: an idle instance pauses and bills no ACU-hours")
        name = f"Aurora Serverless v2{suffix}"
        with ctx.part(name):
            price = ctx.price("aws", "rds", region, f"{tier}/serverless-v2", what=f"Aurora Serverless v2 capacity{suffix}")
            components.append(per_month(name, capacity * HOURS_PER_MONTH, "ACU-hours", price, usage_based=True))
    with ctx.part(f"Storage{suffix}"):
        price = ctx.price("aws", "rds", region, f"{tier}/storage", what=f"Aurora storage{suffix}")
        components.append(per_month(f"Storage{suffix}", ctx.usage_value(resource, "storage_gb"), "GB-months", price,
                                    usage_based=True))
    if not iopt:
        requests_per_second = (ctx.usage_value(resource, "write_requests_per_sec")
                               + ctx.usage_value(resource, "read_requests_per_sec"))
        with ctx.part("I/O requests"):
            price = ctx.price("aws", "rds", region, "aurora/io-requests", what="Aurora I/O requests")
            components.append(per_month("I/O requests", requests_per_second * SECONDS_PER_MONTH / 1_000_000,
                                        "1M requests", price, usage_based=True))
    with ctx.part("Backup storage"):
        price = ctx.price("aws", "rds", region, "aurora/backup-storage", what="Aurora backup storage")
        components.append(per_month("Backup storage", ctx.usage_value(resource, "backup_storage_gb"), "GB-months",
                                    price, usage_based=True))
    return components
