"""SkyPilot's VM catalogs (skypilot-org/skypilot-catalog, `catalogs/v<N>/<cloud>/vms.csv`).

The original layout is one CSV row per instance type, region and availability zone:

    InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,GpuInfo,Price,SpotPrice,Region,AvailabilityZone,...

(Azure's has no AvailabilityZone.) `Price` is the on-demand Linux hourly list price in USD: SkyPilot's
fetcher (sky/catalog/data_fetchers/fetch_aws.py) takes it from the AWS Price List offer file with
TermType OnDemand, Operating System Linux, no pre-installed software, CapacityStatus Used, tenancy
Shared or Host and a price above 0; fetch_azure.py from the Azure Retail Prices API, Consumption,
without Windows and Spot meters. `SpotPrice` is not read. Only the columns InstanceType, Price and
Region are needed, so their position does not matter (newer schema versions append columns).

The AZ rows of one type in one region carry the region's price and normally agree. Where they do
not, the highest is kept (a guardrail would rather over- than under-estimate; never an average),
and the Source notes say how many pairs disagreed. An empty or 0 price is no price, never free.

The compact layout is our own table of the facts we use (see `write_compact_table`):

    # source: skypilot-org/skypilot-catalog
    # path: catalogs/v9/aws/vms.csv
    # commit: <sha>
    # published: YYYY-MM-DD
    # provider: aws
    region,instance_type,usd_per_hour

Either may be gzip. A missing column, a malformed name or a non-numeric price is refused at `file:line`.
The original layout carries no date: pass `published`; the compact one records it.
"""
from __future__ import annotations

import csv
import gzip
import io
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from guardrails.pricing.catalog import Catalog, Source
from guardrails.pricing.importers.reading import PriceImportError, open_text

URL = "https://github.com/skypilot-org/skypilot-catalog"
COMPACT_HEADER = ("region", "instance_type", "usd_per_hour")
_SKYPILOT_COLUMNS = ("InstanceType", "Price", "Region")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_META = re.compile(r"^#\s*([a-z_]+)\s*:\s*(.*?)\s*$")
_NAMES = {
    # provider: (catalog service, region pattern, instance type pattern)
    "aws": ("ec2", re.compile(r"^[a-z]{2}(?:-gov)?-[a-z]+-\d+$"), re.compile(r"^[a-z][a-z0-9-]*\.[a-z0-9-]+$")),
    "azure": ("vm", re.compile(r"^[a-z][a-z0-9]+$"), re.compile(r"^(?:Standard|Basic)_[A-Za-z0-9_-]+$")),
}


def import_skypilot_vms(path: str | Path, provider: str = "aws", published: str | None = None,
                        source_id: str = "", name: str = "", url: str = URL) -> Catalog:
    """The file's on-demand Linux prices as catalog rows (aws ec2 / azure vm, region, type), hourly."""
    path = Path(path)
    if provider not in _NAMES:
        raise PriceImportError(f"{path}: provider must be aws or azure, not {provider!r}")
    service, region_name, type_name = _NAMES[provider]
    source_id = source_id or f"skypilot-{provider}-{service}"
    meta: dict[str, str] = {}
    chosen: dict[tuple[str, str], float] = {}
    disagreements: set[tuple[str, str]] = set()
    compact = False
    with open_text(path) as handle:
        try:
            skipped, header_line = _read_comments(handle, meta)
            if header_line is None:
                raise PriceImportError(f"{path}: empty file: no header line")
            if meta.get("provider", provider) != provider:
                raise PriceImportError(f"{path}: the table is for {meta['provider']}, not {provider}")
            header = next(csv.reader([header_line]))
            compact = tuple(h.strip() for h in header) == COMPACT_HEADER
            columns = {h.strip(): i for i, h in enumerate(header)}
            if compact:
                want = dict(zip(("Region", "InstanceType", "Price"), COMPACT_HEADER))
            else:
                missing = [c for c in _SKYPILOT_COLUMNS if c not in columns]
                if missing:
                    raise PriceImportError(
                        f"{path}:{skipped + 1}: no {', '.join(missing)} column: not a SkyPilot vms.csv "
                        f"(nor the compact {','.join(COMPACT_HEADER)} table)")
                want = {c: c for c in _SKYPILOT_COLUMNS}
            i_region, i_type, i_price = (columns[want[c]] for c in ("Region", "InstanceType", "Price"))
            width = max(i_region, i_type, i_price) + 1
            reader = csv.reader(handle)
            for row in reader:
                number = skipped + 1 + reader.line_num
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if len(row) < width:
                    raise PriceImportError(f"{path}:{number}: {len(row)} fields, the header has {len(header)}")
                region, instance_type, text = row[i_region].strip(), row[i_type].strip(), row[i_price].strip()
                if not region_name.match(region):
                    raise PriceImportError(f"{path}:{number}: {region!r} is not a region of {provider}")
                if not type_name.match(instance_type):
                    raise PriceImportError(f"{path}:{number}: {instance_type!r} is not an instance type of {provider}")
                value = _price(text, path, number)
                if not value:
                    continue  # empty or 0: no price here, never free
                key = (region, instance_type)
                held = chosen.get(key)
                if held is None:
                    chosen[key] = value
                elif compact:
                    raise PriceImportError(f"{path}:{number}: {region} {instance_type} is listed twice")
                elif held != value:
                    disagreements.add(key)
                    chosen[key] = max(held, value)
        except csv.Error as exc:
            raise PriceImportError(f"{path}: malformed CSV: {exc}") from None
        except UnicodeDecodeError as exc:
            raise PriceImportError(f"{path}: not UTF-8 text: {exc.reason}") from None
        except (OSError, EOFError) as exc:  # a truncated gzip stream
            raise PriceImportError(f"{path}: cannot read the price file: {exc}") from None
    published = published or meta.get("published", "")
    if not published:
        raise PriceImportError(f"{path}: no date: a SkyPilot vms.csv states none, pass published=YYYY-MM-DD")
    if not _DATE.match(published):
        raise PriceImportError(f"{path}: published {published!r} is not a YYYY-MM-DD date")
    if not chosen:
        raise PriceImportError(f"{path}: no prices")
    catalog = Catalog()
    for (region, instance_type), value in sorted(chosen.items()):
        catalog.add(provider, service, region, instance_type, value, "hour", source_id)
    notes = [f"{meta[k]}" if k == "source" else f"{k} {meta[k]}" for k in ("source", "path", "commit") if meta.get(k)]
    notes += [meta["note"]] if meta.get("note") else []
    if disagreements:
        notes.append(f"{len(disagreements)} (region, type) pairs had availability-zone rows with different "
                     "prices; the highest was kept")
    catalog.sources[source_id] = Source(
        id=source_id,
        name=name or f"{'EC2' if provider == 'aws' else 'Azure VM'} on-demand Linux prices per region "
                     "(skypilot-org/skypilot-catalog's vms.csv)",
        published=published,
        url=url,
        filters="on-demand, Linux, USD per hour (SkyPilot's Price column); one price per region and type; "
                "an empty or 0 price is left out",
        notes="; ".join(notes) + (" (Apache-2.0)" if notes else "Apache-2.0"),
    )
    return catalog


def write_compact_table(source: str | Path, target: str | Path, provider: str, *, published: str,
                        repo: str = "skypilot-org/skypilot-catalog", path: str = "", commit: str = "",
                        note: str = "") -> int:
    """Write `source` (a SkyPilot vms.csv, or a compact table) as our compact table; returns the rows.

    Gzip when `target` ends in .gz, without a timestamp, so the same input gives the same bytes.
    """
    catalog = import_skypilot_vms(source, provider, published=published)
    service = _NAMES[provider][0]
    lines = [f"# source: {repo}"]
    lines += [f"# path: {path}"] if path else []
    lines += [f"# commit: {commit}"] if commit else []
    lines += [f"# published: {published}", f"# provider: {provider}"]
    lines += [f"# note: {' '.join(note.split())}"] if note else []
    body = io.StringIO()
    writer = csv.writer(body, lineterminator="\n")
    writer.writerow(COMPACT_HEADER)
    rows = 0
    for (p, s, region, key), price in sorted(catalog.prices.items()):
        if p == provider and s == service:
            writer.writerow((region, key, repr(price.value)))
            rows += 1
    data = ("\n".join(lines) + "\n" + body.getvalue()).encode()
    target = Path(target)
    if target.name.endswith(".gz"):
        buffer = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as out:
            out.write(data)
        data = buffer.getvalue()
    target.write_bytes(data)
    return rows


def _read_comments(handle: TextIO, meta: dict[str, str]) -> tuple[int, str | None]:
    """Consume the leading `#` lines (recording `# key: value`); the count and the header line."""
    skipped = 0
    for line in _lines(handle):
        if line.startswith("#"):
            skipped += 1
            found = _META.match(line.rstrip("\r\n"))
            if found:
                meta.setdefault(found.group(1), found.group(2))
            continue
        if not line.strip():
            skipped += 1
            continue
        return skipped, line
    return skipped, None


def _lines(handle: TextIO) -> Iterator[str]:
    while True:
        line = handle.readline()
        if not line:
            return
        yield line


def _price(text: str, path: Path, number: int) -> float:
    if not text:
        return 0.0
    try:
        value = float(text)
    except ValueError:
        raise PriceImportError(f"{path}:{number}: price {text!r} is not a number") from None
    if not math.isfinite(value) or value < 0:
        raise PriceImportError(f"{path}:{number}: price {text!r} is not a price")
    return value
