"""The regional AWS services table: facts of many regions, each row naming its source and date.

    # source <id>: <repository or URL, with commit> | <name> | <YYYY-MM-DD> | <notes>
    region,service,item,unit,usd,source,date[,notes]

`#` comment lines at the top name the sources (one `# source` line each; other comments are
prose). `service`/`item` are spelled as in the us-east-1 services table and turned into catalog
keys by `shared_facts.service_key`. A row whose source was not declared, a malformed region or
date, an item without a known spelling, or a price <= 0 is refused at its line: a region without
a figure is simply absent, never filled in from another one.

The same format holds Azure facts when the file name starts with `azure-` (or `provider="azure"` is
given): regions are Azure names (`westeurope`, `eastus2`), and the one service is `disk`, whose item
is a managed disk tier (`S4`, `E10`, `P30`, ...) priced per disk and month, LRS.

Catalog facts: a header with `provider` and `key` columns instead of `item`,

    provider,region,service,key,unit,usd,source,date[,notes]

spells catalog keys directly (as the cost models read them, catalog.py), for any cloud and
service: what new cost models bring (`aws eip hour`, `azure public-ip standard/static`, ...).
Each row's region must have its provider's shape; keys are names, never paths.
"""
from __future__ import annotations

import csv
import math
import re
from pathlib import Path

from guardrails.pricing.catalog import Catalog, Source
from guardrails.pricing.importers.reading import PriceImportError, open_text
from guardrails.pricing.importers.shared_facts import service_key

COLUMNS = ["region", "service", "item", "unit", "usd", "source", "date"]
_REGION = re.compile(r"[a-z]{2}(?:-gov)?-[a-z]+-\d")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SOURCE = re.compile(r"source\s+([A-Za-z0-9._-]+)\s*:\s*(.*)")
_AZURE_REGION = re.compile(r"[a-z]+[a-z0-9]*")
_AZURE_DISK_TIER = re.compile(r"[SEP][0-9]{1,2}")
PROVIDERS = ("aws", "azure")
CATALOG_COLUMNS = ["provider", "region", "service", "key", "unit", "usd", "source", "date"]
_REGION_SHAPES = {"aws": _REGION, "azure": _AZURE_REGION, "gcp": re.compile(r"[a-z]+-[a-z]+\d+")}
_SERVICE = re.compile(r"[a-z0-9][a-z0-9-]*")
_CATALOG_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+:/-]*")


def import_regional_services_csv(path: str | Path, provider: str | None = None) -> Catalog:
    """The catalog of the table at `path`: one `Source` per declared source, rows under theirs.

    `provider` is aws unless given or the file name starts with `azure-`."""
    path = Path(path)
    if provider is None:
        provider = "azure" if path.name.startswith("azure-") else "aws"
    if provider not in PROVIDERS:
        raise PriceImportError(f"{path}: unknown provider {provider!r} (expected one of {', '.join(PROVIDERS)})")
    try:
        with open_text(path) as handle:
            lines = handle.read().splitlines()
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise PriceImportError(f"{path}: cannot read the price table: {exc}") from None
    catalog = Catalog()
    header: list[str] | None = None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        if line.startswith("#"):
            if header is not None:
                raise PriceImportError(f"{path}:{number}: a comment line below the header")
            _declare(catalog, path, number, line.lstrip("#").strip())
            continue
        try:
            values = next(csv.reader([line]))
        except csv.Error as exc:
            raise PriceImportError(f"{path}:{number}: not a CSV row: {exc}") from None
        if header is None:
            expected = CATALOG_COLUMNS if "key" in values and "provider" in values else COLUMNS
            missing = [c for c in expected if c not in values]
            if missing:
                raise PriceImportError(f"{path}:{number}: the header lacks {', '.join(missing)} "
                                       f"(expected {','.join(expected)}[,notes])")
            header = values
            continue
        if len(values) < len(header) - ("notes" in header):
            raise PriceImportError(f"{path}:{number}: {len(values)} fields where {len(header)} are expected")
        _row(catalog, path, number, dict(zip(header, (v.strip() for v in values))), provider)
    if header is None:
        raise PriceImportError(f"{path}: no header row")
    return catalog


def _declare(catalog: Catalog, path: Path, number: int, comment: str) -> None:
    found = _SOURCE.fullmatch(comment)
    if found is None:
        return  # prose
    sid, rest = found.groups()
    parts = [p.strip() for p in rest.split("|")]
    if len(parts) < 3 or not parts[0] or not parts[1]:
        raise PriceImportError(f"{path}:{number}: a source line needs 'source <id>: <url> | <name> | <date> | <notes>'")
    url, name, published = parts[0], parts[1], parts[2]
    if not _DATE.fullmatch(published):
        raise PriceImportError(f"{path}:{number}: source {sid} has no YYYY-MM-DD date ({published!r})")
    if sid in catalog.sources:
        raise PriceImportError(f"{path}:{number}: source {sid} is declared twice")
    catalog.sources[sid] = Source(id=sid, name=name, published=published,
                                  url=url,
                                  filters="on-demand list prices, USD", notes=" | ".join(parts[3:]))


def _catalog_key(where: str, row: dict[str, str]) -> tuple[str, str]:
    """(provider, key) of a catalog-facts row, after checking each part's shape."""
    provider, region, service, key = row["provider"], row["region"], row["service"], row["key"]
    if provider not in _REGION_SHAPES:
        raise PriceImportError(f"{where}: unknown provider {provider!r} (aws, azure or gcp)")
    if not _REGION_SHAPES[provider].fullmatch(region):
        raise PriceImportError(f"{where}: {region!r} is not a {provider} region name")
    if not _SERVICE.fullmatch(service):
        raise PriceImportError(f"{where}: {service!r} is not a service name")
    if not _CATALOG_KEY.fullmatch(key) or ".." in key:
        raise PriceImportError(f"{where}: {key!r} is not a catalog key")
    return provider, key


def _key(provider: str, where: str, row: dict[str, str]) -> str:
    """The catalog key of a row's item, after checking its region for the provider."""
    region = row["region"]
    if provider == "azure":
        if not _AZURE_REGION.fullmatch(region):
            raise PriceImportError(f"{where}: {region!r} is not an Azure region name")
        if row["service"] != "disk":
            raise PriceImportError(f"{where}: unknown azure service {row['service']!r} (only disk)")
        if not _AZURE_DISK_TIER.fullmatch(row["item"]):
            raise PriceImportError(f"{where}: unknown disk tier {row['item']!r} (S4, E10, P30, ...)")
        return row["item"]
    if not _REGION.fullmatch(region):
        raise PriceImportError(f"{where}: {region!r} is not an AWS region name")
    try:
        return service_key(row["service"], row["item"])
    except ValueError as exc:
        raise PriceImportError(f"{where}: {exc}") from None


def _row(catalog: Catalog, path: Path, number: int, row: dict[str, str], provider: str = "aws") -> None:
    where = f"{path}:{number}"
    region = row["region"]
    if "key" in row and "provider" in row:
        provider, key = _catalog_key(where, row)
    else:
        key = _key(provider, where, row)
    if row["source"] not in catalog.sources:
        raise PriceImportError(f"{where}: source {row['source']!r} is not declared in a '# source' line")
    if not _DATE.fullmatch(row["date"]):
        raise PriceImportError(f"{where}: {row['date']!r} is not a YYYY-MM-DD date")
    if not row["unit"]:
        raise PriceImportError(f"{where}: no unit")
    try:
        value = float(row["usd"])
    except ValueError:
        raise PriceImportError(f"{where}: {row['usd']!r} is not a price") from None
    if not value > 0 or not math.isfinite(value):  # also refuses nan and inf
        raise PriceImportError(f"{where}: a price must be above 0, not {row['usd']}")
    if (provider, row["service"], region, key) in catalog.prices:
        raise PriceImportError(f"{where}: {region} {row['service']} {row.get('item', key)} is given twice")
    catalog.add(provider, row["service"], region, key, value, row["unit"], row["source"])
