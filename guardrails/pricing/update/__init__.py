"""`guardrails prices update`: refresh prices from the providers' public price files.

The plan says which clouds, services and regions; `update` downloads each file into a scratch
directory (one at a time, deleted once read, so disk use is one file's size), reads it with the
same importer `prices import` uses, and returns the merged catalog. The caller writes it
atomically: a failed or interrupted update leaves the previous catalog as it was. Nothing here
prints; `progress` hears about each download.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from guardrails.pricing.catalog import Catalog
from guardrails.pricing.update import aws, azure, gcp
from guardrails.pricing.update.fetch import Fetcher, Progress, UpdateError

__all__ = ["PROVIDERS", "UpdateError", "UpdatePlan", "update"]

PROVIDERS = ("aws", "azure", "gcp")
_REGION_SHAPES = {
    "aws": re.compile(r"^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$"),
    "gcp": re.compile(r"^[a-z]+-[a-z]+\d+$"),
    "azure": re.compile(r"^[a-z]+[a-z0-9]*$"),
}
_SERVICES = {"aws": set(aws.OFFERS) | set(aws.ALSO_IN), "azure": set(azure.SERVICES), "gcp": {"compute", "disk", "gke"}}


class UpdatePlan(NamedTuple):
    providers: tuple[str, ...] = ()  # empty: every cloud the services and regions point at
    services: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    aws_endpoint: str = aws.ENDPOINT
    azure_endpoint: str = azure.ENDPOINT
    gcp_url: str = gcp.URL
    timeout: float = 60.0


def resolve(plan: UpdatePlan) -> dict[str, tuple[list[str], list[str]]]:
    """Per cloud to update, its (services, regions); ValueError for a name no chosen cloud has."""
    chosen = list(plan.providers) or list(PROVIDERS)
    for name in chosen:
        if name not in PROVIDERS:
            raise ValueError(f"unknown provider {name!r} (known: {', '.join(PROVIDERS)})")
    services = {p: [s for s in plan.services if s in _SERVICES[p]] for p in chosen}
    regions = {p: [r for r in plan.regions if _REGION_SHAPES[p].match(r)] for p in chosen}
    for service in plan.services:
        if not any(service in _SERVICES[p] for p in chosen):
            known = ", ".join(f"{p}: {', '.join(sorted(_SERVICES[p]))}" for p in chosen)
            raise ValueError(f"no service {service!r} to update ({known})")
    for region in plan.regions:
        if not any(_REGION_SHAPES[p].match(region) for p in chosen):
            raise ValueError(f"{region!r} is not a region name of {', '.join(chosen)}")
    result = {}
    for p in chosen:
        # A cloud is left out when the services or regions asked for are all another cloud's.
        if (plan.services and not services[p]) or (plan.regions and not regions[p]):
            if plan.providers:
                raise ValueError(f"nothing to update for {p}: the services and regions given are another cloud's")
            continue
        result[p] = (services[p], regions[p])
    return result


def update(plan: UpdatePlan, scratch: Path, progress: Progress | None = None,
           done: Callable[[str, Catalog], None] | None = None) -> Catalog:
    """The catalog of every file the plan names; UpdateError (a CatalogError) when one fails."""
    chosen = resolve(plan)
    endpoints = [plan.aws_endpoint, plan.azure_endpoint, plan.gcp_url]
    fetcher = Fetcher(endpoints, timeout=plan.timeout, progress=progress)
    result = Catalog()

    def add(label: str, part: Catalog | None) -> None:
        if part is None:
            return
        result.merge(part)
        if done:
            done(label, part)

    if "aws" in chosen:
        services, regions = chosen["aws"]
        for label, url in list(aws.files(fetcher, plan.aws_endpoint, services, regions, scratch)):
            target = scratch / "offer.csv"
            try:
                fetcher.download(url, target, label)
                add(label, aws.read(target, label))
            finally:
                target.unlink(missing_ok=True)
    if "azure" in chosen:
        services, regions = chosen["azure"]
        for service in azure.services_for(services):
            for region in regions or [None]:
                label = f"Azure {azure.SERVICES[service]} {region or 'all regions'}"
                saved = azure.pages(fetcher, plan.azure_endpoint, service, region, scratch)
                try:
                    add(label, azure.read(saved, service, region))
                finally:
                    for path in saved:
                        path.unlink(missing_ok=True)
    if "gcp" in chosen:
        services, regions = chosen["gcp"]
        target = scratch / "pricing.yml"
        try:
            fetcher.download(plan.gcp_url, target, "GCP pricing.yml")
            part = gcp.read(target, regions)
            if services:
                part.prices = {key: price for key, price in part.prices.items() if key[1] in services}
            add("GCP pricing.yml", part)
        finally:
            target.unlink(missing_ok=True)
    if not result.prices:
        raise UpdateError("the update read no prices")
    return result
