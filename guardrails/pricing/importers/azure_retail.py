"""Azure Retail Prices API pages (https://prices.azure.com/api/retail/prices) as a catalog.

Input: one or more files, each a page `{"Items": [...], "NextPageLink": ...}` (the lower-case
`items` of saved samples too) or a JSON list of such pages. Pages are a few hundred KB, so each
file is parsed whole.

Kept (USD, `type` Consumption only: Reservation and DevTestConsumption are other price lists;
nothing with "Spot" or "Low Priority" in skuName or meterName; no zero prices, such as the
free-grant meter "B1s - Free"; first tier only):
- serviceName "Virtual Machines", unitOfMeasure "1 Hour": vm `<armSkuName>` when productName has
  no "Windows", `<armSkuName>/windows` when it has (the licence is in the price).
- serviceName "Storage", productName with "Managed Disks", meterName "<tier> LRS Disk" (P10,
  S4, E30, ...), unitOfMeasure "1/Month": disk `<tier>`, per disk and month. Other redundancy
  (ZRS) and the disk's other meters (mounts, bursting, transactions) are left out.
The region is armRegionName. When a key appears several times (price history), the item with
the latest effectiveStartDate wins. The source's date is the latest effectiveStartDate kept.
"""
from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from guardrails.pricing.catalog import Catalog, Source
from guardrails.pricing.importers.reading import PriceImportError, open_text

URL = "https://prices.azure.com/api/retail/prices"
FILTERS = ("type Consumption, USD, no Spot/Low Priority meters, no zero prices, first tier; Virtual Machines per hour "
           "(<armSkuName>, <armSkuName>/windows); Managed Disks '<tier> LRS Disk' per month")
_DISK_METER = re.compile(r"^([PSE]\d+) LRS Disk$")


def import_azure_retail(paths: str | Path | Sequence[str | Path], source_id: str | None = None,
                        name: str | None = None) -> Catalog:
    """Azure Retail Prices API pages (one file, or several) as one catalog with one source."""
    files = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    if not files:
        raise PriceImportError("no Azure Retail Prices files given")
    best: dict[tuple[str, str, str], tuple[str, float, str]] = {}  # (service, region, key) -> (date, price, unit)
    for path in files:
        for item in _items(path):
            row = _row(item)
            if row is None:
                continue
            where, date, price, unit = row
            if where not in best or date > best[where][0]:
                best[where] = (date, price, unit)
    if not best:
        raise PriceImportError(f"{', '.join(map(str, files))}: no Consumption prices for virtual machines "
                               "or managed disks in these Azure Retail Prices pages")
    regions = sorted({region for _, region, _ in best})
    sid = source_id or f"azure-retail-{regions[0] if len(regions) == 1 else 'multi-region'}"
    published = max(date for date, _, _ in best.values())[:10]
    source = Source(id=sid, name=name or f"Azure Retail Prices API, {', '.join(regions)}", published=published,
                    url=URL, filters=FILTERS, notes=f"imported from {', '.join(p.name for p in files)}")
    catalog = Catalog(sources={sid: source})
    for (service, region, key), (_, price, unit) in best.items():
        catalog.add("azure", service, region, key, price, unit, sid)
    return catalog


def _items(path: Path) -> Iterable[dict[str, Any]]:
    try:
        with open_text(path) as handle:
            document = json.load(handle)
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError) as exc:
        raise PriceImportError(f"{path}: not readable JSON (corrupt or truncated?): {exc}") from None
    pages = document if isinstance(document, list) else [document]
    for page in pages:
        items = page.get("Items", page.get("items")) if isinstance(page, dict) else None
        if not isinstance(items, list):
            raise PriceImportError(f"{path}: not an Azure Retail Prices page (no Items list)")
        yield from (item for item in items if isinstance(item, dict))


def _row(item: dict[str, Any]) -> tuple[tuple[str, str, str], str, float, str] | None:
    text = {k: v if isinstance(v, str) else "" for k, v in item.items()}
    price = item.get("retailPrice")
    if (text.get("type") != "Consumption" or text.get("currencyCode", "USD") != "USD"
            or not isinstance(price, (int, float)) or isinstance(price, bool) or price <= 0):
        return None
    if item.get("tierMinimumUnits", 0) not in (0, 0.0, None):
        return None
    meter, sku = text.get("meterName", ""), text.get("skuName", "")
    if any(word in meter or word in sku for word in ("Spot", "Low Priority")):
        return None
    region = text.get("armRegionName", "")
    if not region:
        return None
    service, product, unit = text.get("serviceName"), text.get("productName", ""), text.get("unitOfMeasure")
    date = text.get("effectiveStartDate", "")
    if service == "Virtual Machines" and unit == "1 Hour":
        arm_sku = text.get("armSkuName", "")
        if not arm_sku:
            return None
        key = f"{arm_sku}/windows" if "Windows" in product else arm_sku
        return ("vm", region, key), date, float(price), "hour"
    if service == "Storage" and "Managed Disks" in product and unit == "1/Month":
        tier = _DISK_METER.match(meter)
        if tier:
            return ("disk", region, tier.group(1)), date, float(price), "month"
    return None
