"""Azure VM sizes: the hourly price of a size, for an OS, with or without Azure Hybrid Benefit.

Catalog keys: `azure vm <arm sku>` (Linux, pay-as-you-go hour), `<arm sku>/windows` (the
Windows price, licence included). Every model of VMs (virtual machines, scale sets, AKS node
pools) prices its instances here, so the Hybrid Benefit and Spot rules are the same for all.
"""
from __future__ import annotations

import re
from typing import Any

from guardrails.core.model import CostComponent
from guardrails.pricing.base import HOURS_PER_MONTH, PricingContext, Unpriced, hours, known

# license_type values that bring the Windows licence along (Azure Hybrid Benefit): compute is
# billed at the Linux price.
HYBRID_BENEFIT = ("Windows_Server", "Windows_Client")
# The vCPU count in an Azure size name: Standard_D8s_v5, Standard_E16-8as_v4 (16, constrained
# to 8 active), Basic_A2. Azure's naming convention puts it right after the family letters.
_VCPUS = re.compile(r"^(?:Standard|Basic)_[A-Za-z]+(\d+)", re.IGNORECASE)


def refuse_spot(priority: Any, what: str = "priority") -> None:
    """Unpriced for a Spot (or Low priority) VM: the catalog holds pay-as-you-go prices only."""
    value = known(priority, what)
    if isinstance(value, str) and value.lower() in ("spot", "low"):
        raise Unpriced(f"spot pricing not in catalog ({value} VMs are not modelled)")


def vcpus(size: str) -> int | None:
    """The vCPU count a size name spells, or None when it spells none."""
    match = _VCPUS.match(size)
    return int(match.group(1)) if match else None


def instance_hours(ctx: PricingContext, region: str, size: str, os: str, licence: Any = None,
                   instances: float = 1, what: str = "license_type") -> CostComponent:
    """`instances` VMs of `size` for a month, at the price of `os` (linux or windows).

    MissingPrice when the catalog lacks the size (callers wrap this in ctx.part())."""
    key, priced_as = size, "Linux"
    if os == "windows":
        licence = known(licence, what)
        if licence in HYBRID_BENEFIT:
            priced_as = "Linux price: Azure Hybrid Benefit"
            ctx.notes.append(f"Azure Hybrid Benefit ({licence}): the Windows licence is brought "
                             f"along, compute is billed at the Linux price")
        else:
            key, priced_as = f"{size}/windows", "Windows"
    price = ctx.price("azure", "vm", region, key, what=f"VM size {size} ({priced_as})")
    return hours(name(size, os, licence), price, HOURS_PER_MONTH * instances)


def name(size: str, os: str, licence: Any = None) -> str:
    """The component name of a size's instance hours (the part named when its price is missing)."""
    if os != "windows":
        label = "Linux"
    elif licence in HYBRID_BENEFIT:
        label = "Windows, Azure Hybrid Benefit"
    else:
        label = "Windows"
    return f"Instance usage ({label}, on-demand, {size})"
