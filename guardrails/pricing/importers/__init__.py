"""Importers: the providers' official price files in, a dated `Catalog` out.

Each importer reads one format and keeps only what the catalog's key conventions can name
(see catalog.py): on-demand list prices in USD. Every catalog it returns carries one `Source`
per input with the publication date the file states, so staleness can be reported later.

- aws_offer.import_aws_offer: AWS Price List bulk offer files (CSV or JSON, streamed)
- azure_retail.import_azure_retail: Azure Retail Prices API pages
- gcp_pricing.import_gcp_pricing: the Cyclenerd google-cloud-pricing-cost-calculator YAML
- shared_facts.import_ec2_csv / import_services_csv: the simplified AWS fact tables
"""
from __future__ import annotations

import gzip
from pathlib import Path
from typing import TextIO

from guardrails.pricing.catalog import CatalogError


class PriceImportError(CatalogError):
    """A price file that cannot be imported: unreadable, truncated, or not the expected format."""


def open_text(path: Path) -> TextIO:
    """The file as text, gunzipped when it is gzip (offer files are often fetched compressed)."""
    try:
        with open(path, "rb") as probe:
            compressed = probe.read(2) == b"\x1f\x8b"
        # utf-8-sig: files saved on Windows may start with a byte order mark.
        if compressed:
            return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
        return open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise PriceImportError(f"{path}: cannot read the price file: {exc.strerror or exc}") from None


# Imported after PriceImportError exists: the submodules import it from here.
from guardrails.pricing.importers.aws_offer import import_aws_offer
from guardrails.pricing.importers.azure_retail import import_azure_retail
from guardrails.pricing.importers.gcp_pricing import import_gcp_pricing
from guardrails.pricing.importers.shared_facts import (
    import_ec2_csv,
    import_services_csv,
)

__all__ = [
    "PriceImportError", "import_aws_offer", "import_azure_retail", "import_ec2_csv", "import_gcp_pricing",
    "import_services_csv", "open_text",
]
