"""Kinesis Data Streams: shard-hours (PROVISIONED) or stream-hours (ON_DEMAND), extended retention,
and data by use.

Catalog keys, service `kinesis`: `shard-hour`, `on-demand/stream-hour` (hour), `put-units` (1M
PUT payload units), `provisioned/extended-retention` (shard-hour, retention above 24 hours),
`provisioned/long-term-retention`, `on-demand/extended-retention`, `on-demand/long-term-retention`
(GB-month), `on-demand/data-in`, `on-demand/data-out` (GB). Usage keys, Infracost's names:
`monthly_provisioned_put_units`, `monthly_provisioned_long_term_retention_gb`,
`monthly_on_demand_data_in_gb`, `monthly_on_demand_data_out_gb`,
`monthly_on_demand_extended_retention_gb`, `monthly_on_demand_long_term_retention_gb`.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import (
    HOURS_PER_MONTH,
    PricingContext,
    Unpriced,
    count,
    first_block,
    hours,
    per_month,
    text,
)

DEFAULT_RETENTION_HOURS, EXTENDED_RETENTION_HOURS = 24, 168


def kinesis_stream(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "aws")
    details = first_block(resource, "stream_mode_details") or {}
    mode = text(details.get("stream_mode"), "stream_mode_details.stream_mode") or "PROVISIONED"
    retention = count(attrs.get("retention_period"), "retention_period", DEFAULT_RETENTION_HOURS)
    components: list[CostComponent] = []

    def part(name: str, key: str, quantity: float, unit: str, usage_based: bool = True, fixed: bool = False) -> None:
        with ctx.part(name):
            price = ctx.price("aws", "kinesis", region, key, what=f"Kinesis {name.lower()}")
            components.append(hours(name, price, quantity) if fixed
                              else per_month(name, quantity, unit, price, usage_based=usage_based))

    if mode == "PROVISIONED":
        if attrs.get("shard_count") is None:
            raise Unpriced("shard_count is not set (required for PROVISIONED)")
        shards = count(attrs.get("shard_count"), "shard_count")
        part(f"Shards ({shards})", "shard-hour", shards * HOURS_PER_MONTH, "hours", fixed=True)
        if retention > DEFAULT_RETENTION_HOURS:
            part(f"Extended retention ({shards} shards)", "provisioned/extended-retention", shards * HOURS_PER_MONTH,
                 "shard-hours", usage_based=False)
        part("PUT payload units", "put-units", ctx.usage_value(resource, "monthly_provisioned_put_units") / 1_000_000,
             "1M units")
        if retention > EXTENDED_RETENTION_HOURS:
            part("Long-term retention", "provisioned/long-term-retention",
                 ctx.usage_value(resource, "monthly_provisioned_long_term_retention_gb"), "GB-months")
    elif mode == "ON_DEMAND":
        part("Stream", "on-demand/stream-hour", HOURS_PER_MONTH, "hours", fixed=True)
        part("Data ingested", "on-demand/data-in", ctx.usage_value(resource, "monthly_on_demand_data_in_gb"), "GB")
        part("Data retrieved", "on-demand/data-out", ctx.usage_value(resource, "monthly_on_demand_data_out_gb"), "GB")
        if retention > DEFAULT_RETENTION_HOURS:
            part("Extended retention", "on-demand/extended-retention",
                 ctx.usage_value(resource, "monthly_on_demand_extended_retention_gb"), "GB-months")
        if retention > EXTENDED_RETENTION_HOURS:
            part("Long-term retention", "on-demand/long-term-retention",
                 ctx.usage_value(resource, "monthly_on_demand_long_term_retention_gb"), "GB-months")
    else:
        raise Unpriced(f"stream_mode {mode!r} is neither PROVISIONED nor ON_DEMAND")
    ctx.notes.append("enhanced fan-out consumers are not modelled")
    return components
