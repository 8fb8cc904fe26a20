"""Azure Database flexible servers: `azurerm_postgresql_flexible_server` and
`azurerm_mysql_flexible_server`.

Catalog keys (service `postgresql-flexible` or `mysql-flexible`): `<sku_name>` (compute hour,
as azurerm spells it: `GP_Standard_D4s_v3`, `B_Standard_B1ms`), `storage` (GB-month),
`backup-storage` (GB-month beyond the free backup, usage), and for MySQL `iops` (IOPS-month
beyond the free IOPS).

The choices made here:
- Storage is the provisioned size: PostgreSQL `storage_mb` (32768, Azure's default, when
  unset), MySQL `storage.size_gb` (20, the azurerm default).
- MySQL includes 300 + 3 per GB of IOPS (Azure Database for MySQL pricing); `storage.iops`
  above that is billed, `auto_io_scaling_enabled` bills IOPS per use (not modelled, a note).
- High availability (`high_availability.mode` ZoneRedundant or SameZone) runs a standby of
  the same compute and storage, billed the same: both are doubled, with a note.
- Backup storage beyond the free amount (the provisioned size) is usage
  (`additional_backup_storage_gb`, Infracost's key).
"""
from __future__ import annotations

from typing import Any, Mapping

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing import azure_references, azure_usage
from guardrails.pricing.base import (
    PricingContext,
    block,
    flag,
    hours,
    number,
    per_month,
    required_text,
    text,
)

_PG_DEFAULT_STORAGE_MB = 32768.0
_MYSQL_DEFAULT_STORAGE_GB = 20.0
_MYSQL_FREE_IOPS, _MYSQL_FREE_IOPS_PER_GB = 300.0, 3.0


def postgresql_flexible_server(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    if attrs.get("storage_mb") is None:
        ctx.notes.append(f"storage_mb not set: {_PG_DEFAULT_STORAGE_MB:g} MB, Azure's default")
    storage_gb = number(attrs.get("storage_mb"), "storage_mb", _PG_DEFAULT_STORAGE_MB) / 1024
    return _server(resource, ctx, "postgresql-flexible", storage_gb, [])


def mysql_flexible_server(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    storage = block(resource.attrs.get("storage"), "storage") or {}
    if storage.get("size_gb") is None:
        ctx.notes.append(f"storage.size_gb not set: {_MYSQL_DEFAULT_STORAGE_GB:g} GB, the azurerm default")
    storage_gb = number(storage.get("size_gb"), "storage.size_gb", _MYSQL_DEFAULT_STORAGE_GB)
    return _server(resource, ctx, "mysql-flexible", storage_gb, _iops(ctx, storage, storage_gb))


def _iops(ctx: PricingContext, storage: Mapping[str, Any], storage_gb: float) -> list[tuple[str, float]]:
    if flag(storage.get("auto_io_scaling_enabled"), "storage.auto_io_scaling_enabled"):
        ctx.notes.append("auto IO scaling: IOPS are billed per use, not modelled")
        return []
    free = _MYSQL_FREE_IOPS + _MYSQL_FREE_IOPS_PER_GB * storage_gb
    extra = number(storage.get("iops"), "storage.iops", free) - free
    return [("iops", extra)] if extra > 0 else []


def _server(resource: Resource, ctx: PricingContext, service: str, storage_gb: float,
            extras: list[tuple[str, float]]) -> list[CostComponent]:
    region = azure_references.region(ctx, resource)
    sku = required_text(resource.attrs.get("sku_name"), "sku_name")
    copies = _copies(resource, ctx)
    suffix = " x 2 (high availability)" if copies == 2 else ""
    components: list[CostComponent] = []
    name = f"Compute ({sku}){suffix}"
    with ctx.part(name):
        price = ctx.price("azure", service, region, sku, what=f"{service} {sku}")
        components.append(hours(name, price, 730 * copies))
    name = f"Storage ({storage_gb:g} GB){suffix}"
    with ctx.part(name):
        price = ctx.price("azure", service, region, "storage", what=f"{service} storage")
        components.append(per_month(name, storage_gb * copies, "GB-months", price))
    for key, quantity in extras:
        name = f"Additional IOPS ({quantity:g}){suffix}"
        with ctx.part(name):
            price = ctx.price("azure", service, region, key, what=f"{service} IOPS")
            components.append(per_month(name, quantity * copies, "IOPS-months", price))
    components.extend(azure_usage.flat(ctx, resource, region, service, "backup-storage",
                                       "additional_backup_storage_gb", "Additional backup storage"))
    return components


def _copies(resource: Resource, ctx: PricingContext) -> int:
    ha = block(resource.attrs.get("high_availability"), "high_availability")
    if ha is None:
        return 1
    mode = text(ha.get("mode"), "high_availability.mode")
    if mode in ("ZoneRedundant", "SameZone"):
        ctx.notes.append(f"high availability ({mode}): the standby's compute and storage are billed too")
        return 2
    return 1


MODELS = {
    "azurerm_postgresql_flexible_server": postgresql_flexible_server,
    "azurerm_mysql_flexible_server": mysql_flexible_server,
}
