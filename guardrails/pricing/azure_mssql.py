"""Azure SQL Database (`azurerm_mssql_database`), in its server's region (`server_id`).

Catalog keys (service `sql-database`):
- DTU model: `<sku>` (hour: `Basic`, `S0`..`S12`, `P1`..`P15`), `extra-storage/standard`,
  `extra-storage/premium` (GB-month beyond the included 250 GB Standard, 500 GB Premium; P11
  and P15 include 4 TB).
- vCore, provisioned: `<sku>` (hour: `GP_Gen5_4`, `BC_Gen5_8`, `HS_Gen5_2`, `BC_M_8`),
  `<sku>/zone-redundancy` (hour), `license/<tier>` (vCore-hour, `general-purpose`,
  `business-critical`, `hyperscale`), `storage/<tier>` and `storage/general-purpose-zone`
  (GB-month).
- vCore, serverless: `serverless/general-purpose` (vCore-hour, usage `monthly_vcore_hours`).
- Backups (usage): `pitr/<redundancy>` (`backup_storage_gb`) and `ltr/<redundancy>`
  (`long_term_retention_storage_gb`), redundancy `ra-grs`, `ra-gzrs`, `lrs`, `zrs` from
  `storage_account_type` Geo (the default), GeoZone, Local, Zone. Hyperscale bills backups
  differently: not listed.

The choices made here:
- No `sku_name` is GP_S_Gen5_2, the serverless default Azure applies; `ElasticPool` or an
  `elastic_pool_id` is billed on the pool, so the database costs nothing itself (a note).
- `license_type = "BasePrice"` (Azure Hybrid Benefit) drops the SQL licence; LicenseIncluded,
  the default, bills it on the primary's vCores (Hyperscale read replicas carry compute only).
- vCore storage is `max_size_gb`; unset, 5 GB is assumed as Infracost does (a note).
"""
from __future__ import annotations

import re

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing import azure_usage
from guardrails.pricing.azure_references import referenced, region_of
from guardrails.pricing.base import (
    PricingContext,
    Unpriced,
    count,
    flag,
    hours,
    number,
    per_month,
    required_text,
    text,
)

_VCORE = re.compile(r"^(?P<tier>GP|BC|HS)_(?P<serverless>S_)?(?P<family>[A-Za-z0-9]+)_(?P<vcores>\d+)$")
_TIERS = {"GP": "general-purpose", "BC": "business-critical", "HS": "hyperscale"}
_DTU = re.compile(r"^(Basic|S\d+|P\d+)$")
_INCLUDED_GB = {"S": 250.0, "P": 500.0}
_LARGE_PREMIUM = ("P11", "P15")
_REDUNDANCY = {"Geo": "ra-grs", "GeoZone": "ra-gzrs", "Local": "lrs", "Zone": "zrs"}
DEFAULT_SKU = "GP_S_Gen5_2"
DEFAULT_STORAGE_GB = 5.0


def mssql_database(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    server = referenced(ctx, resource, attrs.get("server_id"), "azurerm_mssql_server")
    region = region_of(ctx, resource, server, "the server (server_id)")
    if attrs.get("sku_name") is None:
        ctx.notes.append(f"sku_name not set: {DEFAULT_SKU}, the serverless default")
    sku = required_text(attrs.get("sku_name"), "sku_name", DEFAULT_SKU)
    if sku == "ElasticPool" or attrs.get("elastic_pool_id") is not None:
        ctx.notes.append("in an elastic pool: billed on the pool")
        return []
    if _DTU.match(sku):
        components = _dtu(ctx, region, sku, attrs.get("max_size_gb"))
    else:
        match = _VCORE.match(sku)
        if match is None:
            raise Unpriced(f"sku_name {sku} is not modelled")
        components = _vcore(resource, ctx, region, sku, match)
    if not sku.startswith("HS_"):
        components.extend(_backups(resource, ctx, region))
    return components


def _dtu(ctx: PricingContext, region: str, sku: str, max_size: object) -> list[CostComponent]:
    components: list[CostComponent] = []
    name = f"Compute ({sku})"
    with ctx.part(name):
        components.append(hours(name, ctx.price("azure", "sql-database", region, sku, what=f"SQL Database {sku}")))
    tier = sku[0]
    if max_size is None or tier not in _INCLUDED_GB or sku in _LARGE_PREMIUM:
        return components
    extra = number(max_size, "max_size_gb") - _INCLUDED_GB[tier]
    if extra > 0:
        key = f"extra-storage/{'standard' if tier == 'S' else 'premium'}"
        name = f"Extra data storage ({extra:g} GB)"
        with ctx.part(name):
            price = ctx.price("azure", "sql-database", region, key, what="extra data storage")
            components.append(per_month(name, extra, "GB-months", price))
    return components


def _vcore(resource: Resource, ctx: PricingContext, region: str, sku: str, match: re.Match[str]) -> list[CostComponent]:
    attrs = resource.attrs
    tier = _TIERS[match.group("tier")]
    vcores = int(match.group("vcores"))
    zone = flag(attrs.get("zone_redundant"), "zone_redundant")
    components: list[CostComponent] = []
    if match.group("serverless"):
        components.extend(azure_usage.flat(ctx, resource, region, "sql-database", f"serverless/{tier}",
                                           "monthly_vcore_hours", f"Compute (serverless, {sku})", "vCore-hours"))
        if zone:
            ctx.notes.append("zone redundancy of a serverless database is billed per vCore-hour: not modelled")
    else:
        name = f"Compute (provisioned, {sku})"
        with ctx.part(name):
            components.append(hours(name, ctx.price("azure", "sql-database", region, sku, what=f"SQL Database {sku}")))
        replicas = count(attrs.get("read_replica_count"), "read_replica_count", 0) if tier == "hyperscale" else 0
        if replicas:
            name = f"Read replicas ({replicas} x {sku})"
            with ctx.part(name):
                price = ctx.price("azure", "sql-database", region, sku, what=f"SQL Database {sku}")
                components.append(hours(name, price, 730 * replicas))
        if zone:
            name = f"Zone redundancy ({sku})"
            with ctx.part(name):
                price = ctx.price("azure", "sql-database", region, f"{sku}/zone-redundancy", what=f"{sku} zone redundancy")
                components.append(hours(name, price))
        licence = text(attrs.get("license_type"), "license_type") or "LicenseIncluded"
        if licence == "BasePrice":
            ctx.notes.append("license_type BasePrice: Azure Hybrid Benefit, no SQL licence billed")
        else:
            name = f"SQL license ({vcores} vCores)"
            with ctx.part(name):
                price = ctx.price("azure", "sql-database", region, f"license/{tier}", what=f"{tier} SQL licence")
                components.append(per_month(name, vcores * 730, "vCore-hours", price))
    if attrs.get("max_size_gb") is None:
        ctx.notes.append(f"max_size_gb not set: {DEFAULT_STORAGE_GB:g} GB assumed (as Infracost does)")
    size = number(attrs.get("max_size_gb"), "max_size_gb", DEFAULT_STORAGE_GB)
    key = f"storage/{tier}" + ("-zone" if zone and tier == "general-purpose" else "")
    name = f"Storage ({size:g} GB)"
    with ctx.part(name):
        price = ctx.price("azure", "sql-database", region, key, what=f"{tier} storage")
        components.append(per_month(name, size, "GB-months", price))
    return components


def _backups(resource: Resource, ctx: PricingContext, region: str) -> list[CostComponent]:
    account = required_text(resource.attrs.get("storage_account_type"), "storage_account_type", "Geo")
    redundancy = _REDUNDANCY.get(account)
    if redundancy is None:
        raise Unpriced(f"storage_account_type {account} is unknown")
    label = redundancy.upper()
    return (azure_usage.flat(ctx, resource, region, "sql-database", f"ltr/{redundancy}",
                             "long_term_retention_storage_gb", f"Long-term retention ({label})")
            + azure_usage.flat(ctx, resource, region, "sql-database", f"pitr/{redundancy}", "backup_storage_gb",
                               f"PITR backup storage ({label})"))


MODELS = {"azurerm_mssql_database": mssql_database}
