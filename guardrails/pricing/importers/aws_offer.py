"""AWS Price List bulk offer files (`offers/v1.0/aws/<Offer>/<version>/<region>/index.csv|json`).

Both formats are streamed, because a regional AmazonEC2 file is about 450 MB:
- CSV: five metadata rows (FormatVersion, Disclaimer, Publication Date, Version, OfferCode), the
  header on row 6, then one row per price dimension, read one at a time with csv.reader.
- JSON: `products[sku].attributes` and `terms.OnDemand[sku][term].priceDimensions[rate]`. A small
  scanner (`JsonScanner`) walks the file through a window of CHUNK characters; it builds one
  product or one SKU's terms at a time and skips everything else (Reserved terms, unwanted
  SKUs) without building it. Memory is bounded by the window, the largest single product or
  term entry, and the products that pass the filters (a few thousand small tuples), whatever
  the file's size. When `terms` comes before `products` (AWS writes products first), the terms
  are read in a second pass.

What is kept (anything else is skipped; a row whose price is 0 is never a price here, since
every item below is paid, so it is skipped too, as are prices in other currencies and the
upper tiers of tiered prices):

| offer | rows | catalog |
|---|---|---|
| AmazonEC2 | Compute Instance (and "(bare metal)"), Linux, Pre Installed S/W NA, CapacityStatus Used, License Model "No License required", OnDemand, Hrs: Tenancy Shared + BoxUsage | ec2 `<type>` |
| | same, Tenancy Dedicated + DedicatedUsage | ec2 `<type>/dedicated` |
| | Storage, EBS:VolumeUsage*, Volume API Name gp2 gp3 io1 io2 st1 sc1 standard, GB-Mo | ebs `<volume type>` |
| | EBS:VolumeP-IOPS.gp3 / .piops / .io2 (first tier), IOPS-Mo | ebs `gp3/iops`, `io1/iops`, `io2/iops` |
| | EBS:VolumeP-Throughput.gp3, GiBps-mo divided by 1024 | ebs `gp3/throughput` (MBps-month) |
| AmazonEC2, AmazonVPC | NAT Gateway: NatGateway-Hours, NatGateway-Bytes | natgateway `hour`, `data-processed` |
| AWSELB | Load Balancer-Application / -Network: LoadBalancerUsage, LCUUsage | elb `application/hour`, `application/lcu`, `network/...` |
| | Load Balancer (classic): LoadBalancerUsage, DataProcessing-Bytes | elb `classic/hour`, `classic/data` |
| AmazonEKS | AmazonEKS-Hours:perCluster; extendedSupport is a surcharge, added to it | eks `cluster/hour`, `cluster-extended/hour` |
| AmazonRDS | Database Instance, Single-AZ, InstanceUsage:, not BYOL, engines below | rds `<class>/<engine>` |
| | RDS:GP2-Storage, GP3-Storage, PIOPS-Storage, StorageUsage; RDS:PIOPS, GP3-PIOPS; ChargedBackupUsage | rds `storage/gp2`, `storage/gp3`, `storage/io1`, `storage/standard`, `storage/io1/iops`, `storage/gp3/iops`, `backup-storage` |
| AmazonElastiCache | Cache Instance, Redis, NodeUsage: | elasticache `<node type>` (Memcached is priced the same on demand) |

Rows outside an AWS Region (Local Zones, Wavelength, Outposts) are skipped. The region is the
Region Code, else the Location name mapped by `LOCATIONS`. Should two rows give one key
different prices, the key is left out (and named in the source notes) rather than guessed.
"""
from __future__ import annotations

import csv
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from guardrails.pricing.catalog import Catalog, Source
from guardrails.pricing.importers.json_stream import CHUNK, JsonScanner, Malformed
from guardrails.pricing.importers.reading import PriceImportError, open_text

BASE_URL = "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws"
FILTERS = ("on-demand USD list prices; EC2: Linux, Shared (and Dedicated as <type>/dedicated), Pre Installed S/W NA, "
           "CapacityStatus Used, No License required, BoxUsage/DedicatedUsage, Hrs; EBS volumes, IOPS and gp3 "
           "throughput; NAT gateway; ELB; EKS; RDS Single-AZ instances and storage; ElastiCache Redis nodes; "
           "AWS Regions only; first price tier; zero prices skipped")

# Location names of the offer files, for files without a Region Code column (older ones).
LOCATIONS = {
    "US East (N. Virginia)": "us-east-1", "US East (Ohio)": "us-east-2", "US West (N. California)": "us-west-1",
    "US West (Oregon)": "us-west-2", "Africa (Cape Town)": "af-south-1", "Asia Pacific (Hong Kong)": "ap-east-1",
    "Asia Pacific (Hyderabad)": "ap-south-2", "Asia Pacific (Jakarta)": "ap-southeast-3",
    "Asia Pacific (Melbourne)": "ap-southeast-4", "Asia Pacific (Mumbai)": "ap-south-1",
    "Asia Pacific (Osaka)": "ap-northeast-3", "Asia Pacific (Seoul)": "ap-northeast-2",
    "Asia Pacific (Singapore)": "ap-southeast-1", "Asia Pacific (Sydney)": "ap-southeast-2",
    "Asia Pacific (Tokyo)": "ap-northeast-1", "Canada (Central)": "ca-central-1", "Canada West (Calgary)": "ca-west-1",
    "EU (Frankfurt)": "eu-central-1", "EU (Ireland)": "eu-west-1", "EU (London)": "eu-west-2", "EU (Milan)": "eu-south-1",
    "EU (Paris)": "eu-west-3", "EU (Spain)": "eu-south-2", "EU (Stockholm)": "eu-north-1", "EU (Zurich)": "eu-central-2",
    "Israel (Tel Aviv)": "il-central-1", "Middle East (Bahrain)": "me-south-1", "Middle East (UAE)": "me-central-1",
    "South America (Sao Paulo)": "sa-east-1", "AWS GovCloud (US-East)": "us-gov-east-1",
    "AWS GovCloud (US-West)": "us-gov-west-1",
}

_EBS_VOLUMES = {"gp2", "gp3", "io1", "io2", "st1", "sc1", "standard"}
# RDS engines as aws_db_instance.engine spells them: (Database Engine, Database Edition) -> engine.
_RDS_ENGINES = {
    ("MySQL", ""): "mysql", ("PostgreSQL", ""): "postgres", ("MariaDB", ""): "mariadb",
    ("Aurora MySQL", ""): "aurora-mysql", ("Aurora PostgreSQL", ""): "aurora-postgresql",
    ("Oracle", "Standard Two"): "oracle-se2",
    ("SQL Server", "Express"): "sqlserver-ex", ("SQL Server", "Web"): "sqlserver-web",
    ("SQL Server", "Standard"): "sqlserver-se", ("SQL Server", "Enterprise"): "sqlserver-ee",
}
_ELB_KINDS = {"Load Balancer-Application": "application", "Load Balancer-Network": "network", "Load Balancer": "classic"}
_EKS_SURCHARGE = "cluster-extended/surcharge"  # internal: becomes cluster-extended/hour


@dataclass(frozen=True)
class Target:
    """Where an offer row lands in the catalog, and the offer unit it must be priced in."""

    service: str
    key: str
    offer_unit: str  # lower case, as the offer writes it ("hrs", "gb-mo", ...)
    unit: str  # the catalog's unit
    factor: float = 1.0  # offer price x factor = catalog price


def _hour(service: str, key: str, unit: str = "hour") -> Target:
    return Target(service, key, "hrs", unit)


_EBS_PERFORMANCE = {
    "EBS:VolumeP-IOPS.gp3": Target("ebs", "gp3/iops", "iops-mo", "IOPS-month"),
    "EBS:VolumeP-IOPS.piops": Target("ebs", "io1/iops", "iops-mo", "IOPS-month"),
    "EBS:VolumeP-IOPS.io2": Target("ebs", "io2/iops", "iops-mo", "IOPS-month"),  # .io2.tier2/3 are the upper tiers
    # The offer prices gp3 throughput per GiBps-month (40.96 in us-east-1); the catalog per MBps-month.
    "EBS:VolumeP-Throughput.gp3": Target("ebs", "gp3/throughput", "gibps-mo", "MBps-month", 1 / 1024),
}
_RDS_STORAGE = {
    "RDS:GP2-Storage": Target("rds", "storage/gp2", "gb-mo", "GB-month"),
    "RDS:GP3-Storage": Target("rds", "storage/gp3", "gb-mo", "GB-month"),
    "RDS:PIOPS-Storage": Target("rds", "storage/io1", "gb-mo", "GB-month"),
    "RDS:StorageUsage": Target("rds", "storage/standard", "gb-mo", "GB-month"),
    "RDS:PIOPS": Target("rds", "storage/io1/iops", "iops-mo", "IOPS-month"),
    "RDS:GP3-PIOPS": Target("rds", "storage/gp3/iops", "iops-mo", "IOPS-month"),
    "RDS:ChargedBackupUsage": Target("rds", "backup-storage", "gb-mo", "GB-month"),
}
_REGION_PREFIX = re.compile(r"^[A-Z]{2,4}[0-9]?-")  # "USE1-BoxUsage:..."; us-east-1 has none


def norm(name: str) -> str:
    """One spelling for CSV headers and JSON attribute names: "Pre Installed S/W" = "preInstalledSw"."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def classify(attrs: Mapping[str, str], offer_code: str = "") -> tuple[str, Target] | None:
    """(region, target) for a product's attributes (keys as `norm` spells them), or None to skip it."""
    location_type = attrs.get("locationtype", "")
    if location_type and location_type != "AWS Region":
        return None
    region = attrs.get("regioncode") or LOCATIONS.get(attrs.get("location", ""), "")
    if not region:
        return None
    service = attrs.get("servicecode") or offer_code
    usage = _REGION_PREFIX.sub("", attrs.get("usagetype", ""))
    family = attrs.get("productfamily", "")
    if service in ("AmazonEC2", "AmazonVPC") and family == "NAT Gateway":
        target = {"NatGateway-Hours": _hour("natgateway", "hour"),
                  "NatGateway-Bytes": Target("natgateway", "data-processed", "gb", "GB")}.get(usage)
    elif service == "AmazonEC2":
        target = _ec2(attrs, family, usage)
    elif service == "AWSELB":
        target = _elb(family, usage)
    elif service == "AmazonEKS":
        target = {"AmazonEKS-Hours:perCluster": _hour("eks", "cluster/hour"),
                  "AmazonEKS-Hours:extendedSupport": _hour("eks", _EKS_SURCHARGE)}.get(usage)
    elif service == "AmazonRDS":
        target = _rds(attrs, family, usage)
    elif service == "AmazonElastiCache":
        target = _elasticache(attrs, family, usage)
    else:
        target = None
    return (region, target) if target else None


def _ec2(attrs: Mapping[str, str], family: str, usage: str) -> Target | None:
    if family in ("Compute Instance", "Compute Instance (bare metal)"):
        wanted = (attrs.get("operatingsystem") == "Linux" and attrs.get("preinstalledsw") == "NA"
                  and attrs.get("capacitystatus") == "Used" and attrs.get("licensemodel") == "No License required")
        instance_type = attrs.get("instancetype", "")
        if not wanted or not instance_type:
            return None
        tenancy = attrs.get("tenancy")
        if tenancy == "Shared" and usage.startswith("BoxUsage"):
            return _hour("ec2", instance_type)
        if tenancy == "Dedicated" and usage.startswith("DedicatedUsage"):
            return _hour("ec2", f"{instance_type}/dedicated")
        return None
    if family == "Storage" and usage.startswith("EBS:VolumeUsage"):
        volume = attrs.get("volumeapiname", "")
        return Target("ebs", volume, "gb-mo", "GB-month") if volume in _EBS_VOLUMES else None
    return _EBS_PERFORMANCE.get(usage)


def _elb(family: str, usage: str) -> Target | None:
    kind = _ELB_KINDS.get(family)
    if kind is None:
        return None
    if usage == "LoadBalancerUsage":
        return _hour("elb", f"{kind}/hour")
    if usage == "LCUUsage" and kind != "classic":
        return Target("elb", f"{kind}/lcu", "lcu-hrs", "LCU-hour")
    if usage == "DataProcessing-Bytes" and kind == "classic":
        return Target("elb", "classic/data", "gb", "GB")
    return None


def _elasticache(attrs: Mapping[str, str], family: str, usage: str) -> Target | None:
    node = attrs.get("instancetype", "")
    if (family == "Cache Instance" and attrs.get("cacheengine") == "Redis" and usage.startswith("NodeUsage:")
            and node.startswith("cache.")):
        return _hour("elasticache", node, "node-hour")
    return None


def _rds(attrs: Mapping[str, str], family: str, usage: str) -> Target | None:
    if family != "Database Instance":
        return _RDS_STORAGE.get(usage)
    if attrs.get("deploymentoption") != "Single-AZ" or not usage.startswith("InstanceUsage:"):
        return None
    if "bring your own" in attrs.get("licensemodel", "").lower():
        return None  # a BYOL price leaves the licence out: not the list price of the engine
    engine = attrs.get("databaseengine", "")
    edition = attrs.get("databaseedition", "") if engine in ("Oracle", "SQL Server") else ""
    key = _RDS_ENGINES.get((engine, edition))
    instance_class = attrs.get("instancetype", "")
    if key is None or not instance_class.startswith("db."):
        return None
    return _hour("rds", f"{instance_class}/{key}")


class _Collector:
    """Prices by (service, region, key); a key given two different prices is left out."""

    def __init__(self) -> None:
        self.prices: dict[tuple[str, str, str], tuple[float, str]] = {}
        self.ambiguous: set[tuple[str, str, str]] = set()

    def offer(self, region: str, target: Target, unit: str, price_text: str) -> None:
        if unit.lower() != target.offer_unit:
            return
        try:
            price = float(price_text)
        except ValueError:
            return
        if price <= 0:
            return
        where = (target.service, region, target.key)
        value = price * target.factor
        known = self.prices.get(where)
        if known is not None and known[0] != value:
            self.ambiguous.add(where)
        self.prices.setdefault(where, (value, target.unit))

    def finish(self) -> None:
        for where in self.ambiguous:
            self.prices.pop(where, None)
        # EKS extended support is billed on top of the standard cluster-hour; the catalog keeps the total.
        for (service, region, key), (value, _) in list(self.prices.items()):
            if key == _EKS_SURCHARGE:
                del self.prices[(service, region, key)]
                base = self.prices.get((service, region, "cluster/hour"))
                if base is not None:
                    self.prices[(service, region, "cluster-extended/hour")] = (base[0] + value, "hour")


def import_aws_offer(path: str | Path, source_id: str | None = None, chunk: int = CHUNK) -> Catalog:
    """An AWS offer file (CSV or JSON, decided by its first character; gzip allowed) as a catalog."""
    path = Path(path)
    collector = _Collector()
    try:
        with open_text(path) as handle:
            first = _first_char(handle)
            if first == "{":
                meta = _read_json(handle, path, collector, chunk)
                fmt = "json"
            else:
                meta = _read_csv(handle, path, collector)
                fmt = "csv"
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, csv.Error) as exc:
        raise PriceImportError(f"{path}: cannot read the offer file (corrupt or truncated?): {exc}") from None
    collector.finish()
    offer = meta.get("offercode", "") or "unknown"
    if not collector.prices:
        raise PriceImportError(f"{path}: no on-demand prices this importer maps in offer {offer} "
                               "(AmazonEC2, AmazonVPC, AWSELB, AmazonEKS, AmazonRDS, AmazonElastiCache)")
    regions = sorted({region for _, region, _ in collector.prices})
    where = regions[0] if len(regions) == 1 else "multi-region"
    version = meta.get("version", "")
    url = f"{BASE_URL}/{offer}/{version}/{where}/index.{fmt}" if version and len(regions) == 1 else f"{BASE_URL}/index.json"
    notes = f"imported from {path.name}"
    if collector.ambiguous:
        left_out = sorted("/".join(k) for k in collector.ambiguous)
        notes += f"; left out, priced twice differently: {', '.join(left_out[:10])}" + (" ..." if len(left_out) > 10 else "")
    sid = source_id or f"aws-{offer.lower()}-{where}"
    source = Source(id=sid, name=f"AWS Price List, {offer} offer, {', '.join(regions)}",
                    published=meta.get("publicationdate", "")[:10], url=url, filters=FILTERS, notes=notes)
    catalog = Catalog(sources={sid: source})
    for (service, region, key), (value, unit) in collector.prices.items():
        catalog.add("aws", service, region, key, value, unit, sid)
    return catalog


def _first_char(handle: TextIO) -> str:
    while True:
        char = handle.read(1)
        if not char or not char.isspace():
            return char


# --- CSV -------------------------------------------------------------------------------------

def _read_csv(handle: TextIO, path: Path, collector: _Collector) -> dict[str, str]:
    handle.seek(0)
    reader = csv.reader(handle)
    meta: dict[str, str] = {}
    for _ in range(5):
        row = next(reader, None)
        if not row or len(row) < 2:
            raise PriceImportError(f"{path}: not an AWS offer CSV (expected five metadata rows, FormatVersion first)")
        meta[norm(row[0])] = row[1]
    if "formatversion" not in meta:
        raise PriceImportError(f"{path}: not an AWS offer CSV (no FormatVersion row)")
    header = next(reader, None)
    if not header:
        raise PriceImportError(f"{path}: the offer CSV ends before its header row (row 6)")
    columns = {norm(name): index for index, name in enumerate(header)}
    missing = [c for c in ("termtype", "unit", "priceperunit", "currency", "productfamily", "usagetype") if c not in columns]
    if missing or ("regioncode" not in columns and "location" not in columns):
        raise PriceImportError(f"{path}: the offer CSV header lacks {', '.join(missing) or 'Region Code and Location'}")
    # Only the columns the filters read are copied out of each (about 90-column) row.
    wanted = {name: index for name, index in columns.items() if name in _ATTRIBUTES}
    width = len(header)
    for row in reader:
        if len(row) != width:
            raise PriceImportError(f"{path}:{reader.line_num}: {len(row)} fields where the header has {width}: "
                                   "the file is truncated or not an offer CSV")
        if row[columns["termtype"]] != "OnDemand" or row[columns["currency"]] != "USD":
            continue
        if "startingrange" in columns and row[columns["startingrange"]] not in ("", "0"):
            continue
        attrs = {name: row[index] for name, index in wanted.items()}
        hit = classify(attrs, meta.get("offercode", ""))
        if hit:
            collector.offer(hit[0], hit[1], row[columns["unit"]], row[columns["priceperunit"]])
    return meta


_ATTRIBUTES = {
    "productfamily", "servicecode", "location", "locationtype", "regioncode", "instancetype", "tenancy",
    "operatingsystem", "licensemodel", "preinstalledsw", "capacitystatus", "usagetype", "volumeapiname",
    "databaseengine", "databaseedition", "deploymentoption", "cacheengine",
}


# --- JSON ------------------------------------------------------------------------------------

def _read_json(handle: TextIO, path: Path, collector: _Collector, chunk: int) -> dict[str, str]:
    handle.seek(0)
    walk = _Walk(collector)
    try:
        walk.run(JsonScanner(handle, chunk), first=True)
        if "formatversion" not in walk.meta or not walk.products_seen:
            raise PriceImportError(f"{path}: not an AWS offer JSON file (no formatVersion or products)")
        if walk.terms_pending:
            handle.seek(0)
            walk.run(JsonScanner(handle, chunk), first=False)
    except Malformed as exc:
        raise PriceImportError(f"{path}: not valid offer JSON (truncated or corrupt): {exc}") from None
    return walk.meta


class _Walk:
    """Passes over an offer JSON: metadata and products on the first, OnDemand terms when known."""

    def __init__(self, collector: _Collector) -> None:
        self.collector = collector
        self.meta: dict[str, str] = {}
        self.kept: dict[str, tuple[str, Target]] = {}  # SKU -> where its price goes
        self.products_seen = False
        self.terms_pending = False  # OnDemand terms came before the products: read them again

    def run(self, scanner: JsonScanner, first: bool) -> None:
        for name in scanner.members():
            if name == "products" and first:
                for sku in scanner.members():
                    hit = _product(scanner.read(), self.meta.get("offercode", ""))
                    if hit:
                        self.kept[sku] = hit
                self.products_seen = True
            elif name == "terms":
                for term_type in scanner.members():
                    if term_type == "OnDemand" and self.products_seen:
                        _on_demand(scanner, self.kept, self.collector)
                    else:
                        self.terms_pending = self.terms_pending or term_type == "OnDemand"
                        scanner.skip()
            elif name in ("formatVersion", "offerCode", "version", "publicationDate") and first:
                value = scanner.read()
                self.meta[norm(name)] = value if isinstance(value, str) else ""
            else:
                scanner.skip()


def _product(product: Any, offer_code: str) -> tuple[str, Target] | None:
    if not isinstance(product, dict) or not isinstance(product.get("attributes"), dict):
        return None
    attrs = {norm(k): v for k, v in product["attributes"].items() if isinstance(v, str)}
    attrs["productfamily"] = str(product.get("productFamily", ""))
    return classify(attrs, offer_code)


def _on_demand(scanner: JsonScanner, kept: Mapping[str, tuple[str, Target]], collector: _Collector) -> None:
    for sku in scanner.members():
        hit = kept.get(sku)
        if hit is None:
            scanner.skip()
            continue
        terms = scanner.read()
        for term in terms.values() if isinstance(terms, dict) else ():
            dimensions = term.get("priceDimensions") if isinstance(term, dict) else None
            for dimension in dimensions.values() if isinstance(dimensions, dict) else ():
                if not isinstance(dimension, dict) or str(dimension.get("beginRange", "0")) != "0":
                    continue
                usd = (dimension.get("pricePerUnit") or {}).get("USD")
                if isinstance(usd, str):
                    collector.offer(hit[0], hit[1], str(dimension.get("unit", "")), usd)


