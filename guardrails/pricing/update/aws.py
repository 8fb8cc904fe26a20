"""AWS: the Price List bulk API (public, no key).

`<endpoint>/offers/v1.0/aws/index.json` names each offer's region index; a region index gives
each region's current offer file, which is fetched as CSV (streamed, and read by the offer
importer one row at a time) rather than JSON, the same prices in a format that needs no second
pass.
"""
from __future__ import annotations

import urllib.parse
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from guardrails.pricing.catalog import Catalog
from guardrails.pricing.importers import import_aws_offer
from guardrails.pricing.update.fetch import Fetcher, UpdateError

ENDPOINT = "https://pricing.us-east-1.amazonaws.com"
# The catalog's services, by the offer that prices them (aws_offer.py reads these five).
OFFERS = {"ec2": "AmazonEC2", "elb": "AWSELB", "eks": "AmazonEKS", "rds": "AmazonRDS", "elasticache": "AmazonElastiCache"}
ALSO_IN = {"ebs": "ec2", "natgateway": "ec2"}  # priced in the AmazonEC2 offer


def offers_for(services: Sequence[str]) -> list[str]:
    """The offer codes that hold `services` (all when empty); UsageError-worthy names raise ValueError."""
    wanted = services or list(OFFERS)
    codes = []
    for service in wanted:
        key = ALSO_IN.get(service, service)
        if key not in OFFERS:
            raise ValueError(f"aws has no service {service!r} to update (known: "
                             f"{', '.join(sorted([*OFFERS, *ALSO_IN]))})")
        if OFFERS[key] not in codes:
            codes.append(OFFERS[key])
    return codes


def files(fetcher: Fetcher, endpoint: str, services: Sequence[str], regions: Sequence[str],
          scratch: Path) -> Iterator[tuple[str, str]]:
    """(label, URL) of each regional offer file to read."""
    index = fetcher.json(_url(endpoint, "/offers/v1.0/aws/index.json"), scratch, "AWS offer index")
    offers = index.get("offers") if isinstance(index, dict) else None
    if not isinstance(offers, dict):
        raise UpdateError(f"{_url(endpoint, '/offers/v1.0/aws/index.json')}: not an AWS offer index (no offers)")
    for code in offers_for(services):
        offer = offers.get(code)
        region_index_url = offer.get("currentRegionIndexUrl") if isinstance(offer, dict) else None
        if not isinstance(region_index_url, str):
            raise UpdateError(f"the AWS offer index has no region index for {code}")
        url = _url(endpoint, region_index_url)
        listed = _regions(fetcher.json(url, scratch, f"{code} region index"), url)
        for region in regions or sorted(listed):
            if region not in listed:
                close = ", ".join(sorted(r for r in listed if r.split("-")[0] == region.split("-")[0])[:5])
                raise UpdateError(f"{code} has no offer file for region {region}" + (f" (it has {close})" if close else ""))
            yield f"{code} {region}", _url(endpoint, listed[region]).removesuffix(".json") + ".csv"


def read(path: Path, label: str) -> Catalog:
    return import_aws_offer(path, source_id=f"aws-{label.lower().replace(' ', '-')}")


def _regions(document: Any, url: str) -> dict[str, str]:
    regions = document.get("regions") if isinstance(document, dict) else None
    if not isinstance(regions, dict):
        raise UpdateError(f"{url}: not an AWS region index (no regions)")
    found = {}
    for code, entry in regions.items():
        version_url = entry.get("currentVersionUrl") if isinstance(entry, dict) else None
        if isinstance(version_url, str) and version_url.endswith("/index.json"):
            found[str(code)] = version_url.removesuffix("/index.json") + "/index.json"
    return found


def _url(endpoint: str, path: str) -> str:
    return urllib.parse.urljoin(endpoint.rstrip("/") + "/", path.lstrip("/"))
