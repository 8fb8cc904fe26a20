"""Azure cost models: each test spells out the arithmetic against a small in-memory catalog."""
from __future__ import annotations

from pathlib import Path

import pytest

from guardrails.core.model import Location, Resource, Unknown, round_cents
from guardrails.pricing import azure
from guardrails.pricing.base import Unpriced
from guardrails.pricing.catalog import Catalog
from guardrails.pricing.estimate import estimate

# Public eastus list prices (see data/prices/README.md); P10 only for the tier tests.
B1S, F2, F2_WINDOWS = 0.0104, 0.099, 0.192
S4, E4, P4, E30, P10 = 1.536, 2.40, 5.28, 76.80, 19.71


def catalog() -> Catalog:
    cat = Catalog()
    for key, value in (("Standard_B1s", B1S), ("Standard_F2", F2), ("Standard_F2/windows", F2_WINDOWS)):
        cat.add("azure", "vm", "eastus", key, value, "hour", "azure")
    for key, value in (("S4", S4), ("E4", E4), ("P4", P4), ("E30", E30), ("P10", P10)):
        cat.add("azure", "disk", "eastus", key, value, "month", "azure")
    return cat


def line(type_: str, attrs: dict):
    res = Resource(address=f"{type_}.this", type=type_, kind="terraform", location=Location("main.tf", 1, 9),
                   attrs=attrs, provider="azurerm")
    assert type_ in azure.MODELS
    return estimate([res], catalog()).lines[0]


def price(type_: str, attrs: dict):
    """(components, monthly rounded to cents, notes) as estimate.py prices them; Unpriced when unpriced."""
    found = line(type_, attrs)
    if found.unpriced is not None:
        raise Unpriced(found.unpriced)
    return list(found.components), round_cents(sum(c.monthly for c in found.components)), list(found.notes)


def missing(type_: str, attrs: dict) -> list[tuple[str, str]]:
    """The parts without a price of a resource priced in part."""
    found = line(type_, attrs)
    assert found.incomplete, found
    return [(part.name, part.reason) for part in found.missing]


def unpriced(type_: str, attrs: dict) -> str:
    with pytest.raises(Unpriced) as caught:
        price(type_, attrs)
    return caught.value.reason


def vm(**attrs) -> dict:
    return {"location": "East US", "size": "Standard_B1s",
            "os_disk": [{"storage_account_type": "StandardSSD_LRS", "disk_size_gb": 30}], **attrs}


# --- virtual machines ------------------------------------------------------------------------

def test_linux_vm_and_its_os_disk_tier():
    components, monthly, _ = price("azurerm_linux_virtual_machine", vm())
    assert [(c.name, c.unit, c.quantity, c.unit_price) for c in components] == [
        ("Instance usage (Linux, on-demand, Standard_B1s)", "hours", 730, B1S),
        ("OS disk (E4, StandardSSD_LRS, 30 GB)", "months", 1, E4),  # 30 GB fits the 32 GB tier
    ]
    assert monthly == round(730 * 0.0104 + 2.40, 2) == 9.99


def test_linux_os_disk_without_size_assumes_30_gb():
    components, monthly, notes = price("azurerm_linux_virtual_machine",
                                       vm(os_disk=[{"storage_account_type": "Standard_LRS"}]))
    assert components[1].name == "OS disk (S4, Standard_LRS, 30 GB)"
    assert monthly == round(730 * 0.0104 + 1.536, 2) == 9.13
    assert any("os_disk size not set: the image's size, assumed 30 GB" in note for note in notes)


def test_windows_vm_pays_the_windows_price_and_a_127_gb_os_disk():
    attrs = vm(size="Standard_F2", os_disk=[{"storage_account_type": "Premium_LRS"}])
    components, monthly, _ = price("azurerm_windows_virtual_machine", attrs)
    assert [(c.name, c.unit_price) for c in components] == [
        ("Instance usage (Windows, on-demand, Standard_F2)", F2_WINDOWS),
        ("OS disk (P10, Premium_LRS, 127 GB)", P10),  # 127 GB fits the 128 GB tier
    ]
    assert monthly == round(730 * 0.192 + 19.71, 2) == 159.87


@pytest.mark.parametrize("licence", ["Windows_Server", "Windows_Client"])
def test_windows_hybrid_benefit_pays_the_linux_price(licence):
    attrs = vm(size="Standard_F2", license_type=licence,
               os_disk=[{"storage_account_type": "Premium_LRS", "disk_size_gb": 32}])
    components, monthly, notes = price("azurerm_windows_virtual_machine", attrs)
    assert components[0].name == "Instance usage (Windows, Azure Hybrid Benefit, on-demand, Standard_F2)"
    assert components[0].unit_price == F2
    assert monthly == round(730 * 0.099 + 5.28, 2) == 77.55
    assert any(note.startswith(f"Azure Hybrid Benefit ({licence})") for note in notes)


def test_windows_license_type_none_pays_the_windows_price():
    attrs = vm(size="Standard_F2", license_type="None")
    _, monthly, _ = price("azurerm_windows_virtual_machine", attrs)
    assert monthly == round(730 * 0.192 + 2.40, 2) == 142.56


def test_region_not_in_catalog_is_unpriced_naming_the_region():
    reason = unpriced("azurerm_linux_virtual_machine", vm(location="West Europe"))
    assert reason == "region westeurope is not among the azurerm regions of the price catalog"


def test_an_unknown_vm_size_is_listed_missing_and_the_os_disk_still_priced():
    assert missing("azurerm_linux_virtual_machine", vm(size="Standard_Z99")) == [(
        "Instance usage (Linux, on-demand, Standard_Z99)",
        "VM size Standard_Z99 (Linux) is not in the price catalog (azure vm, eastus)")]
    assert price("azurerm_linux_virtual_machine", vm(size="Standard_Z99"))[1] == E4


def test_a_windows_size_without_a_windows_price_is_listed_missing():
    assert missing("azurerm_windows_virtual_machine", vm()) == [(
        "Instance usage (Windows, on-demand, Standard_B1s)",
        "VM size Standard_B1s (Windows) is not in the price catalog (azure vm, eastus)")]


def test_vm_size_that_cannot_be_evaluated_is_unpriced():
    assert unpriced("azurerm_linux_virtual_machine", vm(size=Unknown("var.size"))) == \
        "size cannot be evaluated: var.size"


def test_spot_vm_is_unpriced():
    assert unpriced("azurerm_linux_virtual_machine", vm(priority="Spot")).startswith("spot pricing not in catalog")


def test_os_disk_without_storage_account_type_is_unpriced():
    assert unpriced("azurerm_linux_virtual_machine", vm(os_disk=[{"disk_size_gb": 30}])) == \
        "os_disk.storage_account_type is not set"


def test_a_missing_disk_tier_price_leaves_the_vm_priced_in_part():
    attrs = vm(os_disk=[{"storage_account_type": "Premium_LRS", "disk_size_gb": 64}])
    assert missing("azurerm_linux_virtual_machine", attrs) == [
        ("OS disk (Premium_LRS, 64 GB)", "disk tier P6 is not in the price catalog (azure disk, eastus)")]
    assert price("azurerm_linux_virtual_machine", attrs)[1] == round_cents(730 * B1S)


# --- disk tiers and azurerm_managed_disk ----------------------------------------------------

@pytest.mark.parametrize("account, size, tier", [
    ("StandardSSD_LRS", 1, "E1"), ("StandardSSD_LRS", 4, "E1"), ("StandardSSD_LRS", 5, "E2"),
    ("Premium_LRS", 16, "P3"), ("Premium_LRS", 32, "P4"), ("Premium_LRS", 33, "P6"),
    ("Premium_LRS", 128, "P10"), ("StandardSSD_LRS", 1000, "E30"), ("StandardSSD_LRS", 1025, "E40"),
    ("Premium_LRS", 32767, "P80"), ("Standard_LRS", 8, "S4"), ("Standard_LRS", 32, "S4"),
    ("Standard_LRS", 64, "S6"), ("Standard_LRS", 4096, "S50"), ("Premium_LRS", 10.5, "P3"),
])
def test_disk_tier_is_the_smallest_that_fits(account, size, tier):
    assert azure.disk_tier(account, size) == tier


def test_disk_above_the_largest_tier_is_unpriced():
    with pytest.raises(Unpriced, match="above the largest managed disk"):
        azure.disk_tier("Premium_LRS", 32768)


def test_managed_disk_standard_ssd():
    components, monthly, notes = price("azurerm_managed_disk",
                                       {"location": "eastus", "storage_account_type": "StandardSSD_LRS",
                                        "disk_size_gb": 1000, "create_option": "Empty"})
    assert [(c.name, c.unit, c.quantity, c.unit_price) for c in components] == [
        ("Managed disk (E30, StandardSSD_LRS, 1000 GB)", "months", 1, E30)]
    assert monthly == 76.80
    assert any("transactions" in note for note in notes)


def test_managed_disk_standard_hdd_smallest_tier():
    _, monthly, _ = price("azurerm_managed_disk",
                          {"location": "eastus", "storage_account_type": "Standard_LRS", "disk_size_gb": 10})
    assert monthly == 1.54  # S4: 1.536 rounded half-up


@pytest.mark.parametrize("account", ["UltraSSD_LRS", "PremiumV2_LRS"])
def test_ultra_and_premium_v2_disks_are_unpriced(account):
    reason = unpriced("azurerm_managed_disk", {"location": "eastus", "storage_account_type": account,
                                               "disk_size_gb": 100})
    assert reason == f"{account} disks are not modelled (billed per GB, IOPS and throughput)"


def test_zone_redundant_disks_are_unpriced():
    reason = unpriced("azurerm_managed_disk", {"location": "eastus", "storage_account_type": "Premium_ZRS",
                                               "disk_size_gb": 32})
    assert reason.startswith("Premium_ZRS disks are not modelled")


def test_copied_disk_without_size_is_unpriced():
    reason = unpriced("azurerm_managed_disk", {"location": "eastus", "storage_account_type": "Premium_LRS",
                                               "create_option": "Copy"})
    assert reason == "disk_size_gb is not set: the size comes from the source (Copy)"


def test_disk_size_that_cannot_be_evaluated_is_unpriced():
    reason = unpriced("azurerm_managed_disk", {"location": "eastus", "storage_account_type": "Premium_LRS",
                                               "disk_size_gb": Unknown("var.gb")})
    assert reason == "disk_size_gb cannot be evaluated: var.gb"


def test_models_registry():
    assert azure.PROVIDER == "azurerm"
    assert {"azurerm_linux_virtual_machine", "azurerm_windows_virtual_machine",
            "azurerm_managed_disk"} <= set(azure.MODELS)


@pytest.mark.parametrize("rtype", ["azurerm_monitor_data_collection_rule", "azurerm_log_analytics_solution",
                                   "azurerm_disk_encryption_set", "azurerm_monitor_diagnostic_setting"])
def test_monitoring_wiring_and_encryption_sets_are_free(rtype):
    res = Resource(address=f"{rtype}.this", type=rtype, kind="terraform", location=Location("main.tf", 1, 9),
                   attrs={}, provider="azurerm")
    result = estimate([res], catalog())
    assert result.free == 1 and result.lines == []


def test_the_service_table_names_the_module_of_every_type_its_modules_price():
    import importlib

    by_module: dict[str, set[str]] = {}
    for rtype, module in azure.SERVICE_MODULES.items():
        by_module.setdefault(module, set()).add(rtype)
    for module, types in by_module.items():
        assert set(importlib.import_module(f"guardrails.pricing.{module}").MODELS) == types, module
    assert set(azure.SERVICE_MODULES) <= set(azure.MODELS)
    # and no service module with a MODELS table is left out of it
    folder = Path(azure.__file__).parent
    with_models = {path.stem for path in folder.glob("azure_*.py") if "\nMODELS" in path.read_text(encoding="utf-8")}
    assert with_models == set(by_module)
