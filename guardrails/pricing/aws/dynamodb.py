"""DynamoDB tables: provisioned capacity by the hour, or requests by use, and storage and backups
by use.

Catalog keys, service `dynamodb`: `provisioned/wcu`, `provisioned/rcu` (capacity-unit-hour),
`on-demand/write`, `on-demand/read` (1M request units), `storage` (GB-month), `pitr-backup`,
`on-demand-backup` (GB-month), `restore` (GB), `streams-read` (1M stream read request units);
`standard-ia/<key>` for a table of the Standard-Infrequent Access class. Usage keys, Infracost's
names: `monthly_write_request_units`, `monthly_read_request_units` (on-demand), `storage_gb`,
`pitr_backup_storage_gb`, `on_demand_backup_storage_gb`, `monthly_data_restored_gb`,
`monthly_streams_read_request_units`.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import (
    HOURS_PER_MONTH,
    PricingContext,
    Unpriced,
    blocks,
    count,
    first_block,
    flag,
    per_month,
    text,
)


def dynamodb_table(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "aws")
    mode = text(attrs.get("billing_mode"), "billing_mode") or "PROVISIONED"  # the provider's default
    table_class = text(attrs.get("table_class"), "table_class") or "STANDARD"
    prefix = "standard-ia/" if table_class == "STANDARD_INFREQUENT_ACCESS" else ""
    components: list[CostComponent] = []

    def part(name: str, key: str, quantity: float, unit: str, usage_based: bool = True) -> None:
        with ctx.part(name):
            price = ctx.price("aws", "dynamodb", region, prefix + key, what=f"DynamoDB {name.lower()}"
                             + (" (Standard-Infrequent Access)" if prefix else ""))
            components.append(per_month(name, quantity, unit, price, usage_based=usage_based))

    if mode == "PROVISIONED":
        for what, key in (("write", "wcu"), ("read", "rcu")):
            if attrs.get(f"{what}_capacity") is None:
                raise Unpriced(f"{what}_capacity is not set (required for PROVISIONED)")
            units = count(attrs.get(f"{what}_capacity"), f"{what}_capacity")
            part(f"{what.capitalize()} capacity ({units} {key.upper()})", f"provisioned/{key}",
                 units * HOURS_PER_MONTH, f"{key.upper()}-hours", usage_based=False)
        ctx.notes.append("provisioned capacity at read_capacity and write_capacity; auto scaling may change it")
    elif mode == "PAY_PER_REQUEST":
        part("Write request units", "on-demand/write", ctx.usage_value(resource, "monthly_write_request_units")
             / 1_000_000, "1M WRUs")
        part("Read request units", "on-demand/read", ctx.usage_value(resource, "monthly_read_request_units")
             / 1_000_000, "1M RRUs")
    else:
        raise Unpriced(f"billing_mode {mode!r} is neither PROVISIONED nor PAY_PER_REQUEST")
    part("Data storage", "storage", ctx.usage_value(resource, "storage_gb"), "GB-months")
    recovery = first_block(resource, "point_in_time_recovery")
    if recovery is not None and flag(recovery.get("enabled"), "point_in_time_recovery.enabled"):
        part("Point-in-time recovery backups", "pitr-backup", ctx.usage_value(resource, "pitr_backup_storage_gb"),
             "GB-months")
    part("On-demand backups", "on-demand-backup", ctx.usage_value(resource, "on_demand_backup_storage_gb"),
         "GB-months")
    part("Data restored", "restore", ctx.usage_value(resource, "monthly_data_restored_gb"), "GB")
    if flag(attrs.get("stream_enabled"), "stream_enabled"):
        part("Streams read request units", "streams-read",
             ctx.usage_value(resource, "monthly_streams_read_request_units") / 1_000_000, "1M sRRUs")
    replicas = blocks(attrs.get("replica"), "replica")
    if replicas:
        ctx.notes.append(f"{len(replicas)} global table replica(s): replicated writes in their regions are not modelled")
    return components
