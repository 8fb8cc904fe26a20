"""apache-libcloud's pricing table (`libcloud/data/pricing.json`): EC2 on-demand prices per region.

The file maps `compute.ec2_linux` (and `ec2_windows`, `ec2_rhel`, `ec2_suse`, ...) to
`{instance type: {region: USD per hour}}` for about 35 AWS regions, and says when it was
generated in `updated` (seconds since the epoch). A price of 0.0 there means the source had no
price for that type in that region, never that it is free: such entries are left out, so the
catalog reports them unpriced. Only Linux is read (the catalog's `ec2` key is Linux, shared
tenancy); keys without a size (`c5`, the source's dedicated-host rows) are not instance
types and are skipped. libcloud's Azure tables name sizes in their own spelling (`basica0`), not the ARM SKU
names Terraform writes, so they are not read: karpenter_azure.py covers Azure VMs.
"""
from __future__ import annotations

import datetime as _dt
import json
import math
import re
from pathlib import Path
from typing import Any

from guardrails.pricing.catalog import Catalog, Source
from guardrails.pricing.importers.reading import PriceImportError, open_text

_REGION = re.compile(r"^[a-z]{2}(?:-gov)?-[a-z]+-\d+(?:-[a-z]+-\d+)?$")
_TYPE = re.compile(r"^[a-z][a-z0-9-]*\.[a-z0-9-]+$")


def import_libcloud_ec2(path: str | Path, source_id: str = "libcloud-ec2", name: str = "",
                        url: str = "https://pypi.org/project/apache-libcloud/") -> Catalog:
    """The file's EC2 Linux on-demand prices as catalog rows (aws, ec2, region, type)."""
    path = Path(path)
    with open_text(path) as handle:
        try:
            document = json.load(handle)
        except (json.JSONDecodeError, UnicodeDecodeError, EOFError, OSError) as exc:
            raise PriceImportError(f"{path}: not a libcloud pricing file: {exc}") from None
    table = document.get("compute", {}).get("ec2_linux") if isinstance(document, dict) else None
    if not isinstance(table, dict) or not table:
        raise PriceImportError(f"{path}: not a libcloud pricing file (no compute.ec2_linux table)")
    published = _published(document.get("updated"), path)
    catalog = Catalog()
    catalog.sources[source_id] = Source(
        id=source_id,
        name=name or "EC2 on-demand Linux prices per region (apache-libcloud's pricing.json)",
        published=published,
        url=url,
        filters="Linux, shared tenancy, on-demand, USD per hour; a 0.0 in the source (no price) is left out",
        notes="libcloud/data/pricing.json, compute.ec2_linux (Apache-2.0)",
    )
    for instance_type, regions in sorted(table.items()):
        if "." not in str(instance_type):
            continue  # a bare family (`c5`): the source's dedicated-host rows, not an instance type
        if not _TYPE.match(str(instance_type)):
            raise PriceImportError(f"{path}: compute.ec2_linux[{instance_type!r}] is not an instance type name")
        if not isinstance(regions, dict):
            raise PriceImportError(f"{path}: compute.ec2_linux[{instance_type!r}] is not a mapping of regions")
        for region, price in sorted(regions.items()):
            if not _REGION.match(str(region)):
                raise PriceImportError(f"{path}: compute.ec2_linux[{instance_type!r}]: {region!r} is not a region")
            value = _price(price, path, instance_type, region)
            if value:  # 0.0: the source has no price here
                catalog.add("aws", "ec2", region, instance_type, value, "hour", source_id)
    return catalog


def _price(price: Any, path: Path, instance_type: str, region: str) -> float:
    if isinstance(price, bool) or not isinstance(price, (int, float)) or not math.isfinite(price) or price < 0:
        raise PriceImportError(f"{path}: compute.ec2_linux[{instance_type!r}][{region!r}]: {price!r} is not a price")
    return float(price)


def _published(updated: Any, path: Path) -> str:
    if isinstance(updated, bool) or not isinstance(updated, (int, float)) or not math.isfinite(updated):
        raise PriceImportError(f"{path}: no `updated` date (seconds since the epoch)")
    try:
        return _dt.datetime.fromtimestamp(updated, _dt.timezone.utc).date().isoformat()
    except (OverflowError, OSError, ValueError):
        raise PriceImportError(f"{path}: `updated` {updated!r} is not a date") from None
