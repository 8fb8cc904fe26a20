"""CloudWatch: metric alarms, log groups and dashboards.

An alarm is billed per metric it evaluates: one for a plain alarm, one per `metric_query` that
reads a metric for an alarm on an expression, three per metric for an anomaly detection band (the
metric and the band's two bounds), at the high-resolution price when a period is under 60
seconds. A log group's ingestion, storage and Logs Insights scans are usage. A dashboard costs a
month's fee (AWS's first three per account are free; not taken off).

Catalog keys (service `cloudwatch`): `alarm/standard`, `alarm/high-resolution` (alarm
metric-month), `logs/ingested` (`logs/ingested-infrequent-access` for that log class),
`logs/storage` (GB-month), `logs/insights-scanned` (GB), `dashboard/month`.
Usage keys (Infracost's): `monthly_data_ingested_gb`, `storage_gb`, `monthly_data_scanned_gb`.
"""
from __future__ import annotations

from typing import Any, Mapping

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import PricingContext, block, blocks, number, per_month, text

HIGH_RESOLUTION_BELOW_SECONDS = 60


def _metrics(attrs: Mapping[str, Any]) -> tuple[int, float, bool]:
    """(metrics evaluated, the shortest period, whether an anomaly detection band is used)."""
    queries = blocks(attrs.get("metric_query"), "metric_query")
    if not queries:
        return 1, number(attrs.get("period"), "period", 60.0), False
    periods: list[float] = []
    anomaly = False
    for query in queries:
        expression = text(query.get("expression"), "metric_query.expression") or ""
        anomaly = anomaly or "ANOMALY_DETECTION_BAND" in expression.upper()
        metric = block(query.get("metric"), "metric_query.metric")
        if metric is not None:
            periods.append(number(metric.get("period"), "metric_query.metric.period", 60.0))
    return len(periods), min(periods, default=60.0), anomaly


def metric_alarm(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    metrics, period, anomaly = _metrics(resource.attrs)
    if anomaly:
        metrics *= 3
    high = period < HIGH_RESOLUTION_BELOW_SECONDS
    resolution = "High resolution" if high else "Standard resolution"
    name = f"{resolution}{' anomaly detection' if anomaly else ''}"
    components: list[CostComponent] = []
    with ctx.part(name):
        key = "alarm/high-resolution" if high else "alarm/standard"
        price = ctx.price("aws", "cloudwatch", region, key, what=f"CloudWatch {resolution.lower()} alarm metrics")
        components.append(per_month(name, metrics, "alarm metrics", price))
    return components


def log_group(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    log_class = text(resource.attrs.get("log_group_class"), "log_group_class") or "STANDARD"
    ingested = "logs/ingested" if log_class == "STANDARD" else f"logs/ingested-{log_class.lower().replace('_', '-')}"
    parts = (("Data ingested", ingested, "monthly_data_ingested_gb", "GB"),
             ("Archival storage", "logs/storage", "storage_gb", "GB-months"),
             ("Insights queries data scanned", "logs/insights-scanned", "monthly_data_scanned_gb", "GB"))
    components: list[CostComponent] = []
    for name, key, usage_key, unit in parts:
        with ctx.part(name):
            price = ctx.price("aws", "cloudwatch", region, key, what=f"CloudWatch Logs {name.lower()} ({log_class})")
            components.append(per_month(name, ctx.usage_value(resource, usage_key), unit, price, usage_based=True))
    return components


def dashboard(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    components: list[CostComponent] = []
    with ctx.part("Dashboard"):
        price = ctx.price("aws", "cloudwatch", region, "dashboard/month", what="CloudWatch dashboard")
        components.append(per_month("Dashboard", 1, "months", price))
    ctx.notes.append("the first three dashboards of an account are free; not taken off")
    return components
