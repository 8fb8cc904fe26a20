"""Azure managed disk tiers: the tier a disk of a given type and size bills as, and its price.

Managed disks are billed per disk by size tier, the tier being the smallest one the size fits
in (Azure managed disks pricing page, azure.microsoft.com/pricing/details/managed-disks/):
4, 8, 16, 32, 64, 128, 256, 512 GiB, 1, 2, 4, 8, 16, 32 TiB are tiers 1, 2, 3, 4, 6, 10, 15,
20, 30, 40, 50, 60, 70, 80, with S (Standard HDD, smallest S4), E (Standard SSD) and P
(Premium SSD) prefixes. Catalog key: `azure disk <tier>` (month per disk, LRS).
"""
from __future__ import annotations

import math

from guardrails.core.model import CostComponent
from guardrails.pricing.base import PricingContext, Unpriced, per_month

_TIERS = ((4, 1), (8, 2), (16, 3), (32, 4), (64, 6), (128, 10), (256, 15), (512, 20), (1024, 30),
          (2048, 40), (4096, 50), (8192, 60), (16384, 70), (32767, 80))
_PREFIX = {"Standard_LRS": "S", "StandardSSD_LRS": "E", "Premium_LRS": "P"}
_SMALLEST_STANDARD_HDD = 4  # Standard HDD starts at S4 (32 GiB)


def disk_tier(storage_account_type: str, size_gb: float) -> str:
    """The billing tier of a managed disk (`E4`, `P30`), or Unpriced when it has none."""
    prefix = _PREFIX.get(storage_account_type)
    if prefix is None:
        if storage_account_type in ("UltraSSD_LRS", "PremiumV2_LRS"):
            raise Unpriced(f"{storage_account_type} disks are not modelled "
                           f"(billed per GB, IOPS and throughput)")
        if storage_account_type.endswith("_ZRS"):
            raise Unpriced(f"{storage_account_type} disks are not modelled "
                           f"(the catalog has LRS disk tiers only)")
        raise Unpriced(f"storage account type {storage_account_type} is unknown")
    if size_gb <= 0:
        raise Unpriced(f"disk size {size_gb:g} GB is not a disk size")
    for limit, tier in _TIERS:
        if math.ceil(size_gb) <= limit:
            if prefix == "S":
                tier = max(tier, _SMALLEST_STANDARD_HDD)
            return f"{prefix}{tier}"
    raise Unpriced(f"disk size {size_gb:g} GB is above the largest managed disk ({_TIERS[-1][0]} GB)")


def disk(ctx: PricingContext, region: str, account: str, size_gb: float, label: str,
         disks: float = 1) -> CostComponent:
    """`disks` managed disks of one type and size at their tier's monthly price."""
    tier = disk_tier(account, size_gb)
    price = ctx.price("azure", "disk", region, tier, what=f"disk tier {tier}")
    if tier[0] in "SE":
        ctx.notes.append(f"{tier}: transactions (billed per 10,000 on Standard disks) are not modelled")
    return per_month(f"{label} ({tier}, {account}, {size_gb:g} GB)", disks, "months", price)
