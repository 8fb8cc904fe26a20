"""Log Analytics workspaces (`azurerm_log_analytics_workspace`).

Catalog keys (service `log-analytics`): `ingestion` (GB, pay-as-you-go), `commitment/<n>gb`
(a commitment tier of n GB a day, per day), `retention` (GB-month kept beyond the free
retention), `export` (GB), `basic-ingestion` (GB), `archive` (GB-month).

The choices made here:
- `sku` PerGB2018 (the default) bills ingestion per GB: usage (`monthly_log_data_ingestion_gb`).
  The free 5 GB a month per billing account is not deducted (a note).
- `sku` CapacityReservation bills its commitment tier
  (`reservation_capacity_in_gb_per_day`, 100 when unset) per day, 730 / 24 days a month.
- Retention beyond the free days, export, Basic logs and archive are usage, Infracost's keys
  (`monthly_additional_log_data_retention_gb`, `monthly_log_data_export_gb`,
  `monthly_basic_log_data_ingestion_gb`, `monthly_archive_data_gb`).
- The legacy tiers (Free, Standalone, PerNode, Premium, Standard) are unpriced.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing import azure_references, azure_usage
from guardrails.pricing.base import HOURS_PER_MONTH, PricingContext, Unpriced, count, per_month, required_text

_USAGE = (("retention", "monthly_additional_log_data_retention_gb", "Log data retention", "GB-months"),
          ("export", "monthly_log_data_export_gb", "Log data export", "GB"),
          ("basic-ingestion", "monthly_basic_log_data_ingestion_gb", "Basic log data ingestion", "GB"),
          ("archive", "monthly_archive_data_gb", "Archive data", "GB-months"))


def log_analytics_workspace(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = azure_references.region(ctx, resource)
    sku = required_text(attrs.get("sku"), "sku", "PerGB2018")
    components: list[CostComponent] = []
    if sku == "PerGB2018":
        ctx.notes.append("the free 5 GB of ingestion a month (per billing account) is not deducted")
        components.extend(azure_usage.flat(ctx, resource, region, "log-analytics", "ingestion",
                                           "monthly_log_data_ingestion_gb", "Log data ingestion"))
    elif sku == "CapacityReservation":
        tier = count(attrs.get("reservation_capacity_in_gb_per_day"), "reservation_capacity_in_gb_per_day", 100)
        name = f"Commitment tier ({tier} GB a day)"
        with ctx.part(name):
            price = ctx.price("azure", "log-analytics", region, f"commitment/{tier}gb",
                              what=f"the {tier} GB commitment tier")
            components.append(per_month(name, HOURS_PER_MONTH / 24, "days", price))
    else:
        raise Unpriced(f"sku {sku} is a legacy pricing tier: not modelled")
    for key, usage_key, name, unit in _USAGE:
        components.extend(azure_usage.flat(ctx, resource, region, "log-analytics", key, usage_key, name, unit))
    return components


MODELS = {"azurerm_log_analytics_workspace": log_analytics_workspace}
