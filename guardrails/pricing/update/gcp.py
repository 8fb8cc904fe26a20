"""GCP: the configured pricing.yml (Cyclenerd/google-cloud-pricing-cost-calculator's format,
generated from Google's Cloud Billing Catalog), one file for every region."""
from __future__ import annotations

from pathlib import Path

from guardrails.pricing.catalog import Catalog
from guardrails.pricing.importers import import_gcp_pricing

URL = "https://raw.githubusercontent.com/Cyclenerd/google-cloud-pricing-cost-calculator/master/pricing.yml"


def read(path: Path, regions: list[str]) -> Catalog:
    catalog = import_gcp_pricing(path, source_id="gcp-pricing-update")
    if regions:  # keep only what was asked for, as for the other clouds
        catalog.prices = {key: price for key, price in catalog.prices.items() if key[2] in regions}
    return catalog
