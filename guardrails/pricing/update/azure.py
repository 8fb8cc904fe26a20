"""Azure: the Retail Prices API (public, no key), page by page.

One query per service and region (`$filter` on serviceName, armRegionName and priceType
Consumption); each page names the next in NextPageLink, followed only on the endpoint's own host
and at most MAX_PAGES times. The pages are kept as files and read by the retail importer.
"""
from __future__ import annotations

import json
import urllib.parse
from collections.abc import Sequence
from pathlib import Path

from guardrails.pricing.catalog import Catalog
from guardrails.pricing.importers import import_azure_retail
from guardrails.pricing.update.fetch import Fetcher, UpdateError

ENDPOINT = "https://prices.azure.com"
API_VERSION = "2023-01-01-preview"
SERVICES = {"vm": "Virtual Machines", "disk": "Storage"}
# Managed disks are three products of the Storage service; asking for them by name keeps the
# query off the thousands of other Storage meters (blobs, files, queues).
PRODUCTS = {"vm": (None,), "disk": ("Premium SSD Managed Disks", "Standard SSD Managed Disks",
                                     "Standard HDD Managed Disks")}
MAX_PAGES = 20_000  # all of Virtual Machines in every region is a few thousand pages of 1,000 items


def services_for(services: Sequence[str]) -> list[str]:
    wanted = services or list(SERVICES)
    unknown = [s for s in wanted if s not in SERVICES]
    if unknown:
        raise ValueError(f"azure has no service {unknown[0]!r} to update (known: {', '.join(SERVICES)})")
    return list(dict.fromkeys(wanted))


def query(endpoint: str, service: str, region: str | None, product: str | None = None) -> str:
    parts = [f"serviceName eq '{SERVICES[service]}'", "priceType eq 'Consumption'"]
    if product:
        parts.append(f"productName eq '{product}'")
    if region:
        parts.append(f"armRegionName eq '{region}'")
    params = urllib.parse.urlencode({"api-version": API_VERSION, "$filter": " and ".join(parts)})
    return f"{endpoint.rstrip('/')}/api/retail/prices?{params}"


def pages(fetcher: Fetcher, endpoint: str, service: str, region: str | None, scratch: Path) -> list[Path]:
    """Every page of a service's queries, saved under `scratch`."""
    saved: list[Path] = []
    for product in PRODUCTS[service]:
        saved += _pages(fetcher, query(endpoint, service, region, product), service, region, scratch, len(saved))
    return saved


def _pages(fetcher: Fetcher, first: str, service: str, region: str | None, scratch: Path, start: int) -> list[Path]:
    url: str | None = first
    saved: list[Path] = []
    where = region or "all regions"
    while url:
        if len(saved) >= MAX_PAGES:
            raise UpdateError(f"{url}: more than {MAX_PAGES:,} pages; limit the update with --region")
        page = fetcher.json(url, scratch, f"Azure {SERVICES[service]} {where} page {len(saved) + 1}")
        if not isinstance(page, dict) or not isinstance(page.get("Items"), list):
            raise UpdateError(f"{url}: not an Azure Retail Prices page (no Items list)")
        target = scratch / f"azure-{service}-{region or 'all'}-{start + len(saved):05d}.json"
        target.write_text(json.dumps({"Items": page["Items"]}), encoding="utf-8")
        saved.append(target)
        following = page.get("NextPageLink")
        url = fetcher.check(following) if isinstance(following, str) and following else None
    return saved


def read(paths: list[Path], service: str, region: str | None) -> Catalog | None:
    """The pages' prices, or None when the query matched nothing (a region without that service)."""
    if not any(json.loads(p.read_text(encoding="utf-8"))["Items"] for p in paths):
        return None
    return import_azure_retail(paths, source_id=f"azure-retail-{service}-{region or 'all'}")
