"""The price catalog: on-demand list prices by (provider, service, region, key), with sources.

The bundled catalog ships in the package as `data/catalog/`: an `index.json` (the sources, and
which shard holds which provider and region) and one shard per provider and region
(`aws-eu-west-1.json.gz`, rows `[service, key, value, unit, source]`). A run reads the index,
and a shard only when it first needs a price of that provider and region, so the catalog can
hold every region without slowing the runs that price one. A user catalog (`settings.prices` or
`GUARDRAILS_PRICES`) is one file in the format below; it extends the bundled one, its rows
winning. The format:

    {"format": "guardrails.catalog/v1",
     "sources": [{"id": "aws-ec2", "name": "...", "published": "2026-07-20",
                  "url": "...", "filters": "...", "notes": "..."}],
     "prices": [["aws", "ec2", "us-east-1", "m5.large", 0.096, "hour", "aws-ec2"], ...]}

Providers are `aws`, `gcp`, `azure`. Keys by service (parts joined with `/`):
- aws ec2: `<instance type>` (Linux, shared tenancy), `<type>/dedicated`,
  `ebs-optimized/<type>`, `detailed-monitoring/metric`, `cpu-credits` (vCPU-hour)
- aws ebs: `<volume type>` (GB-month), `gp3/iops`, `gp3/throughput`, `io1/iops`, `io2/iops`
- aws rds: `<class>/<engine>` (Single-AZ hour; engine as `aws_db_instance.engine` spells it,
  `sqlserver-se` etc.), `storage/<type>` (GB-month), `storage/<type>/iops`, `backup-storage`
- aws natgateway: `hour`, `data-processed` (GB); aws elb: `application/hour`, `application/lcu`,
  `network/hour`, `network/lcu`, `classic/hour`, `classic/data` (GB)
- aws eks: `cluster/hour`, `cluster-extended/hour`; aws elasticache: `<node type>` (node-hour)
- aws s3: `standard`, `standard-ia`, `onezone-ia`, `glacier-flexible`, `glacier-deep-archive`
  (GB-month); aws lambda: `requests` (1M-requests), `duration` (GB-second)
- gcp compute: `<machine type>` (hour, list price without sustained-use discount),
  `<machine type>/month` (month, with the sustained-use discount where the source applies it),
  `gpu/<accelerator>` (hour); gcp disk: `pd-standard`, `pd-balanced`, `pd-ssd`, `pd-extreme`,
  ... (GB-month); gcp gke: `cluster/hour`
- azure vm: `<arm sku>` (Linux hour), `<arm sku>/windows`; azure disk: `<tier>` (`S4`, `E30`,
  `P10`: month per disk)

The newer cost models (issue 16) document their services' keys in their own module docstrings:
guardrails/pricing/aws/<service>.py (aurora, docdb, neptune, redshift, dynamodb, opensearch, msk,
mq, kinesis; addresses, endpoints, transit, vpn, firewall, resolver, efs, kms, secrets,
cloudwatch, route53, waf, ...), guardrails/pricing/azure_<service>.py and gcp_<service>.py; their
prices are in data/facts/catalog-*.csv.
"""
from __future__ import annotations

import datetime as _dt
import gzip
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, NamedTuple, Sequence

FORMAT = "guardrails.catalog/v1"
INDEX_FORMAT = "guardrails.catalog-index/v1"
BUNDLED = Path(__file__).with_name("data") / "catalog"  # a directory: index.json and its shards
_SHARD_NAME = re.compile(r"^[a-z]+-[a-z0-9-]+\.json\.gz$")
STALE_AFTER_DAYS = 90


class CatalogError(Exception):
    """A catalog file that cannot be used (missing, corrupt, wrong format)."""


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    published: str  # ISO date the prices were generated or published
    url: str = ""
    filters: str = ""
    notes: str = ""


class Price(NamedTuple):
    # A NamedTuple, not a dataclass: the bundled catalog builds tens of thousands on every run.
    value: float
    unit: str
    source: str  # Source.id


@dataclass
class Catalog:
    prices: dict[tuple[str, str, str, str], Price] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    _regions: tuple[int, dict[tuple[str, str], set[str]]] | None = field(default=None, repr=False, compare=False)
    # Bundled shards not read yet: (provider, region) -> (file, the services it holds). Their rows
    # are the bottom layer: read late, they never replace a row a user catalog gave.
    _shards: dict[tuple[str, str], tuple[Path, frozenset[str]]] = field(default_factory=dict, repr=False, compare=False)
    _shard_services: dict[tuple[str, str], set[str]] = field(default_factory=dict, repr=False, compare=False)

    def get(self, provider: str, service: str, region: str, key: str) -> Price | None:
        price = self.prices.get((provider, service, region, key))
        if price is None and (provider, region) in self._shards:
            self._read_shard(provider, region)
            price = self.prices.get((provider, service, region, key))
        return price

    def regions(self, provider: str, service: str) -> set[str]:
        return self._region_index().get((provider, service), set())

    def provider_regions(self, provider: str) -> set[str]:
        """Every region the catalog prices anything in for a provider."""
        return {region for (p, _), regions in self._region_index().items() if p == provider for region in regions}

    def _region_index(self) -> dict[tuple[str, str], set[str]]:
        # Asked once per unpriced resource; computed once per catalog state.
        if self._regions is None or self._regions[0] != len(self.prices):
            index: dict[tuple[str, str], set[str]] = {key: set(regions) for key, regions in self._shard_services.items()}
            for (p, s, r, _) in self.prices:
                index.setdefault((p, s), set()).add(r)
            self._regions = (len(self.prices), index)
        return self._regions[1]

    def everything(self) -> dict[tuple[str, str, str, str], Price]:
        """Every row, the bundled shards read first (for `prices show` and writing)."""
        for provider, region in list(self._shards):
            self._read_shard(provider, region)
        return self.prices

    def _read_shard(self, provider: str, region: str) -> None:
        path, _ = self._shards.pop((provider, region))
        document = _read_document(path, "bundled price shard")
        prices = self.prices
        try:
            for service, key, value, unit, source in document["prices"]:
                _check_value(value, provider, service, region, key)
                prices.setdefault((provider, service, region, key), Price(float(value), unit, source))
        except (KeyError, TypeError, ValueError) as exc:
            raise CatalogError(f"{path}: malformed price shard ({exc})") from None
        self._regions = None

    def add(self, provider: str, service: str, region: str, key: str, value: float, unit: str, source: str) -> None:
        self.prices[(provider, service, region, key)] = Price(float(value), unit, source)

    def merge(self, other: "Catalog") -> None:
        self.prices.update(other.prices)
        self.sources.update(other.sources)
        self.files.extend(other.files)
        self._shards.update(other._shards)
        for key, regions in other._shard_services.items():
            self._shard_services.setdefault(key, set()).update(regions)
        self._regions = None

    def sources_used(self, keys: Iterable[tuple[str, str, str, str]]) -> list[Source]:
        ids = {self.prices[k].source for k in keys if k in self.prices}
        return [self.sources[i] for i in sorted(ids) if i in self.sources]

    def stale_sources(self, today: _dt.date, ids: Iterable[str] | None = None) -> list[Source]:
        wanted = set(ids) if ids is not None else set(self.sources)
        old = []
        for source_id in sorted(wanted):
            source = self.sources.get(source_id)
            if source is None:
                continue
            try:
                published = _dt.date.fromisoformat(source.published[:10])
            except ValueError:
                continue
            if (today - published).days > STALE_AFTER_DAYS:
                old.append(source)
        return old

    def to_json(self) -> dict[str, Any]:
        rows = [[*key, price.value, price.unit, price.source] for key, price in sorted(self.everything().items())]
        return {
            "format": FORMAT,
            "sources": [vars(s) for s in sorted(self.sources.values(), key=lambda s: s.id)],
            "prices": rows,
        }

    def write(self, path: Path) -> None:
        data = json.dumps(self.to_json(), separators=(",", ":"), sort_keys=False).encode("utf-8")
        if path.suffix == ".gz":
            # mtime=0 keeps the file byte-identical when the prices are.
            data = gzip.compress(data, mtime=0)
        path.write_bytes(data)


    def write_bundle(self, directory: Path) -> None:
        """Write the catalog as the bundled directory: index.json and one shard per provider and region.

        Byte-identical for the same rows (sorted, gzip without a timestamp); shards of an earlier
        build that no longer exist are removed.
        """
        groups: dict[tuple[str, str], list[list[Any]]] = {}
        for (provider, service, region, key), price in sorted(self.everything().items()):
            groups.setdefault((provider, region), []).append([service, key, price.value, price.unit, price.source])
        directory.mkdir(parents=True, exist_ok=True)
        shards = []
        for (provider, region), rows in sorted(groups.items()):
            name = f"{provider}-{region}.json.gz"
            if not _SHARD_NAME.match(name):
                raise CatalogError(f"cannot name a shard for {provider} {region}")
            data = json.dumps({"prices": rows}, separators=(",", ":")).encode("utf-8")
            (directory / name).write_bytes(gzip.compress(data, mtime=0))
            shards.append({"provider": provider, "region": region, "file": name, "rows": len(rows),
                           "services": sorted({row[0] for row in rows})})
        for stale in directory.glob("*.json.gz"):
            if stale.name not in {shard["file"] for shard in shards}:
                stale.unlink()
        index = {"format": INDEX_FORMAT,
                 "sources": [vars(s) for s in sorted(self.sources.values(), key=lambda s: s.id)],
                 "shards": shards}
        (directory / "index.json").write_text(json.dumps(index, indent=1, sort_keys=False) + "\n", encoding="utf-8")


def _check_value(value: Any, provider: str, service: str, region: str, key: str) -> None:
    if value.__class__ is not float and (value.__class__ is not int or value < 0):
        raise ValueError(f"bad price {value!r} for {provider} {service} {region} {key}")
    if value < 0:
        raise ValueError(f"negative price {value!r} for {provider} {service} {region} {key}")


def _read_document(path: Path, what: str = "price catalog") -> Any:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read the {what}: {exc.strerror or exc}") from None
    try:
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        return json.loads(raw)
    except (OSError, EOFError, ValueError) as exc:
        raise CatalogError(f"{path}: the {what} is corrupt or truncated ({exc})") from None


def read(path: Path) -> Catalog:
    """A catalog file (`.json` or `.json.gz`), or the bundled directory; CatalogError if unusable."""
    if path.is_dir():
        return read_bundle(path)
    return from_json(_read_document(path), str(path))


def read_bundle(directory: Path) -> Catalog:
    """The bundled catalog's index: its sources, and its shards to read when first needed."""
    index = _read_document(directory / "index.json", "price catalog index")
    name = str(directory / "index.json")
    if not isinstance(index, dict) or index.get("format") != INDEX_FORMAT:
        raise CatalogError(f"{name}: not a guardrails price catalog index (expected format {INDEX_FORMAT})")
    catalog = Catalog(files=[str(directory)])
    try:
        for item in index.get("sources", []):
            source = Source(**{k: str(v) for k, v in item.items() if k in Source.__dataclass_fields__})
            catalog.sources[source.id] = source
        for shard in index["shards"]:
            provider, region, file = str(shard["provider"]), str(shard["region"]), str(shard["file"])
            if not _SHARD_NAME.match(file):  # a name, never a path: nothing outside the directory
                raise ValueError(f"bad shard file name {file!r}")
            services = frozenset(str(s) for s in shard["services"])
            catalog._shards[(provider, region)] = (directory / file, services)
            for service in services:
                catalog._shard_services.setdefault((provider, service), set()).add(region)
    except (KeyError, TypeError, ValueError) as exc:
        raise CatalogError(f"{name}: malformed price catalog index ({exc})") from None
    return catalog


def from_json(document: Any, name: str) -> Catalog:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise CatalogError(f"{name}: not a guardrails price catalog (expected format {FORMAT})")
    catalog = Catalog(files=[name])
    try:
        for item in document.get("sources", []):
            source = Source(**{k: str(v) for k, v in item.items() if k in Source.__dataclass_fields__})
            catalog.sources[source.id] = source
        prices = catalog.prices
        for provider, service, region, key, value, unit, source in document["prices"]:
            _check_value(value, provider, service, region, key)
            prices[(provider, service, region, key)] = Price(float(value), unit, source)
    except (KeyError, TypeError, ValueError) as exc:
        raise CatalogError(f"{name}: malformed price catalog ({exc})") from None
    return catalog


_cache: dict[tuple[str, ...], Catalog] = {}


def load(extra: Sequence[str | Path] = ()) -> Catalog:
    """The bundled catalog extended by user catalogs (GUARDRAILS_PRICES, then `extra`)."""
    paths = [str(BUNDLED)]
    env = os.environ.get("GUARDRAILS_PRICES")
    if env:
        paths.extend(p for p in env.split(os.pathsep) if p)
    paths.extend(str(p) for p in extra)
    key = tuple(paths)
    if key not in _cache:
        catalog = Catalog()
        for path in paths:
            catalog.merge(read(Path(path)))
        _cache[key] = catalog
    return _cache[key]


def empty(sources: Mapping[str, Source] | None = None) -> Catalog:
    return Catalog(sources=dict(sources or {}))
