"""The two simplified AWS fact tables (CSV with `#` comment lines above the header).

- `instance_type,usd_per_hour`: EC2 on-demand Linux shared-tenancy prices -> aws ec2 `<type>` (hour).
- `service,item,unit,usd,notes`: single facts of other services; `service_key` turns each item into
  the catalog key conventions of catalog.py (`gp3-iops` -> `gp3/iops`, `mysql-db.t3.micro` ->
  `db.t3.micro/mysql`, ...), refusing an item it cannot name rather than guessing.

The region comes from the file name (`...-us-east-1.csv`) unless given; the date from the first
YYYY-MM-DD in the comment lines unless given (a table without one must be given a date).
"""
from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

from guardrails.pricing.catalog import Catalog, Source
from guardrails.pricing.importers.reading import PriceImportError, open_text

_REGION = re.compile(r"[a-z]{2}(?:-gov)?-[a-z]+-\d")
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_SERVICES = {"ec2", "ebs", "rds", "natgateway", "elb", "eks", "elasticache", "s3", "lambda"}


def service_key(service: str, item: str) -> str:
    """The catalog key of a services-table item; ValueError when the item has no known spelling."""
    if service not in _SERVICES:
        raise ValueError(f"unknown service {service!r}")
    if service == "ebs":
        volume, _, what = item.partition("-")
        return f"{volume}/{what}" if what in ("iops", "throughput") else item
    if service == "ec2":
        if item.startswith("ebs-optimized-"):
            return f"ebs-optimized/{item[len('ebs-optimized-'):]}"
        if item == "detailed-monitoring-metric":
            return "detailed-monitoring/metric"
        if item == "cpu-credits":
            return item
        raise ValueError(f"unknown ec2 item {item!r}")
    if service == "rds":
        if item.startswith("storage-"):
            return "storage/" + item[len("storage-"):].replace("-", "/")
        if item == "backup-storage":
            return item
        engine, sep, size = item.partition("-db.")
        if sep and engine and size:
            return f"db.{size}/{engine}"
        raise ValueError(f"unknown rds item {item!r}")
    if service == "elb":
        kind, _, what = item.partition("-")
        if kind in ("application", "network", "classic") and what:
            return f"{kind}/{what}"
        raise ValueError(f"unknown elb item {item!r}")
    if service == "eks":
        known = {"cluster-hour": "cluster/hour", "cluster-extended-support-hour": "cluster-extended/hour"}
        if item in known:
            return known[item]
        raise ValueError(f"unknown eks item {item!r}")
    return item  # natgateway, elasticache, s3, lambda: the item is the key


def import_ec2_csv(path: str | Path, region: str | None = None, source_id: str | None = None,
                   name: str | None = None, url: str = "", published: str | None = None) -> Catalog:
    path = Path(path)
    comments, rows = _read(path, ["instance_type", "usd_per_hour"])
    where = _region(path, region)
    sid = source_id or f"aws-ec2-{where}"
    catalog = _catalog(path, comments, sid, name, url, published, f"EC2 on-demand Linux prices, {where}")
    for line, row in rows:
        catalog.add("aws", "ec2", where, row["instance_type"], _price(path, line, row["usd_per_hour"]), "hour", sid)
    return catalog


def import_services_csv(path: str | Path, region: str | None = None, source_id: str | None = None,
                        name: str | None = None, url: str = "", published: str | None = None) -> Catalog:
    path = Path(path)
    comments, rows = _read(path, ["service", "item", "unit", "usd"])
    where = _region(path, region)
    sid = source_id or f"aws-services-{where}"
    catalog = _catalog(path, comments, sid, name, url, published, f"AWS service prices, {where}")
    for line, row in rows:
        try:
            key = service_key(row["service"], row["item"])
        except ValueError as exc:
            raise PriceImportError(f"{path}:{line}: {exc}") from None
        catalog.add("aws", row["service"], where, key, _price(path, line, row["usd"]), row["unit"], sid)
    return catalog


def _read(path: Path, columns: list[str]) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    try:
        with open_text(path) as handle:
            lines = handle.read().splitlines()
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise PriceImportError(f"{path}: cannot read the price table: {exc}") from None
    comments = [line.lstrip("#").strip() for line in lines if line.startswith("#")]
    numbered = [(n, line) for n, line in enumerate(lines, 1) if line.strip() and not line.startswith("#")]
    if not numbered:
        raise PriceImportError(f"{path}: no header row")
    try:
        parsed = list(csv.reader(line for _, line in numbered))
    except csv.Error as exc:
        raise PriceImportError(f"{path}: not a CSV price table: {exc}") from None
    header = parsed[0]
    missing = [c for c in columns if c not in header]
    if missing:
        raise PriceImportError(f"{path}: the header lacks {', '.join(missing)} (expected {','.join(columns)})")
    rows = []
    for (line, _), values in zip(numbered[1:], parsed[1:]):
        if len(values) < len(columns):
            raise PriceImportError(f"{path}:{line}: {len(values)} fields where {len(columns)} are needed")
        rows.append((line, dict(zip(header, values))))
    return comments, rows


def _catalog(path: Path, comments: list[str], sid: str, name: str | None, url: str, published: str | None,
             fallback_name: str) -> Catalog:
    date = published or next(iter(_dates(comments)), None)
    if date is None:
        raise PriceImportError(f"{path}: no date in the comment lines; give the date the prices were published")
    source = Source(id=sid, name=name or (comments[0] if comments else fallback_name), published=date, url=url,
                    filters="", notes=" ".join(comments))
    return Catalog(sources={sid: source})


def _dates(comments: list[str]) -> Iterator[str]:
    for comment in comments:
        yield from _DATE.findall(comment)


def _region(path: Path, region: str | None) -> str:
    if region:
        return region
    found = _REGION.search(path.name)
    if found is None:
        raise PriceImportError(f"{path}: no region in the file name; give the region")
    return found.group(0)


def _price(path: Path, line: int, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise PriceImportError(f"{path}:{line}: {text!r} is not a price") from None
    if not value > 0:
        raise PriceImportError(f"{path}:{line}: a price must be above 0, not {text}")
    return value
