"""Azure VM Linux on-demand prices per region, from Azure/karpenter-provider-azure's generated table.

The table is Go source: a `// generated at <RFC 3339 time>` comment, then per region

    initialOnDemandPrices["<region>"] = map[string]float64{
        "<ARM SKU name>": <USD per hour>,
        ...
    }

Only the numbers are read, line by line, never the code. VM sizes are ARM SKU names, as
Terraform's `size` / `vm_size` spell them (`Standard_D2s_v5`, `Basic_A1`); the table also holds
dedicated hosts (`Dasv4_Type1`, some with spaces), which are no VM size and are skipped. Any
other line inside a region block is an error at its line.
"""
from __future__ import annotations

import math
import re
from pathlib import Path

from guardrails.pricing.catalog import Catalog, Source
from guardrails.pricing.importers.reading import PriceImportError, open_text

_GENERATED = re.compile(r"^//\s*generated at (\d{4}-\d{2}-\d{2})T")
_REGION = re.compile(r'^\s*initialOnDemandPrices\["([a-z0-9]+)"\]\s*=\s*map\[string\]float64\{\s*$')
_ENTRY = re.compile(r'^\s*"([^"\\]+)"\s*:\s*([0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)\s*,\s*$')
_SIZE = re.compile(r"^(?:Standard|Basic)_[A-Za-z0-9_-]+$")
_END = re.compile(r"^\s*\}\s*$")


def import_karpenter_azure(path: str | Path, source_id: str = "azure-vm-karpenter", name: str = "",
                           url: str = "https://github.com/Azure/karpenter-provider-azure") -> Catalog:
    """The table's prices as catalog rows (azure, vm, region, `Standard_<size>`), hourly, Linux."""
    path = Path(path)
    catalog = Catalog()
    published = ""
    region = ""
    rows = 0
    with open_text(path) as handle:
        try:
            for number, line in enumerate(handle, 1):
                if not published:
                    found = _GENERATED.match(line)
                    if found:
                        published = found.group(1)
                        continue
                if not region:
                    found = _REGION.match(line)
                    if found:
                        region = found.group(1)
                    continue
                if _END.match(line):
                    region = ""
                    continue
                if not line.strip() or line.lstrip().startswith("//"):
                    continue  # a blank or comment line inside a block
                entry = _ENTRY.match(line)
                if entry is None:
                    raise PriceImportError(f"{path}:{number}: expected \"<size>\": <price>, in the block of {region}")
                size, value = entry.group(1).strip(), float(entry.group(2))
                if not math.isfinite(value):
                    raise PriceImportError(f"{path}:{number}: {entry.group(2)} is not a price")
                if value == 0 or not _SIZE.match(size):
                    continue  # no price (never free), or a dedicated host's row (`Dasv4_Type1`)
                catalog.add("azure", "vm", region, size, value, "hour", source_id)
                rows += 1
        except UnicodeDecodeError as exc:
            raise PriceImportError(f"{path}: not UTF-8 text: {exc.reason}") from None
        except (OSError, EOFError) as exc:  # a truncated gzip stream
            raise PriceImportError(f"{path}: cannot read the price file: {exc}") from None
    if region:
        raise PriceImportError(f"{path}: the file ends inside the block of {region} (truncated?)")
    if not rows:
        raise PriceImportError(f"{path}: no initialOnDemandPrices rows: not a karpenter-provider-azure pricing table")
    if not published:
        raise PriceImportError(f"{path}: no `// generated at` date")
    catalog.sources[source_id] = Source(
        id=source_id,
        name=name or "Azure VM Linux on-demand prices per region (Azure/karpenter-provider-azure's generated table)",
        published=published,
        url=url,
        filters="Linux, pay-as-you-go, USD per hour; a 0 in the source (no price) is left out",
        notes="pkg/providers/pricing/zz_generated.pricing.go (Apache-2.0): the numbers only",
    )
    return catalog
