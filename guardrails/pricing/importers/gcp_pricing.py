"""The `pricing.yml` of the public Cyclenerd/google-cloud-pricing-cost-calculator project.

Read (per region; anything else in the file is left out):
- `compute.instance.<machine type>.cost.<region>.hour`  -> compute `<machine type>` (hour, list price)
- `compute.instance.<machine type>.cost.<region>.month` -> compute `<machine type>/month` (month; the
  file's monthly figure includes the sustained-use discount where GCP gives one)
- `compute.storage.<disk>.cost.<region>.month` -> disk, per GB-month, keyed as Terraform spells the
  disk type: hdd pd-standard, balanced pd-balanced, ssd pd-ssd, extreme pd-extreme,
  hyperdisk-* as it is; the `-replicated` (regional) variants as `<type>/regional`, `local` as
  `local-ssd` and `snapshot` as `snapshot`.
- `compute.network.ip.unused` -> network `ip/unused` (hour: a reserved external IPv4 address not
  in use), `compute.network.ip.vm` -> network `ip/vm` (hour: an external IPv4 address in use by a
  standard VM), `compute.network.nat.gateway` -> network `nat/gateway` (hour: a Cloud NAT gateway
  serving more than 32 VMs), `compute.network.nat.data` -> network `nat/data` (GB processed),
  `compute.network.vpn.tunnel` -> network `vpn/tunnel` (hour: one Cloud VPN tunnel).
- GPUs: the file has no per-accelerator prices (an accelerator-optimized machine type such as
  a2-highgpu-1g includes its GPUs in its own price), so no `gpu/<name>` keys come from it.

The source date is `about.generated` (else `about.timestamp`, else a date in the file name).
"""
from __future__ import annotations

import datetime as _dt
import re
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from guardrails.pricing.catalog import Catalog, Source
from guardrails.pricing.importers.reading import PriceImportError, open_text

URL = "https://github.com/Cyclenerd/google-cloud-pricing-cost-calculator"
FILTERS = ("on-demand machine types per hour and per month (sustained use included), persistent disks per "
           "GB-month, external IPv4 addresses, Cloud NAT and Cloud VPN tunnels; no spot, commitments, licences, "
           "local SSD bundled with machine types")
DISKS = {
    "hdd": "pd-standard", "balanced": "pd-balanced", "ssd": "pd-ssd", "extreme": "pd-extreme",
    "hdd-replicated": "pd-standard/regional", "balanced-replicated": "pd-balanced/regional",
    "ssd-replicated": "pd-ssd/regional", "local": "local-ssd", "snapshot": "snapshot",
}
# compute.network.<group>.<item> -> (network key, unit, the figure read)
NETWORK = {
    ("ip", "unused"): ("ip/unused", "hour", "hour"), ("ip", "vm"): ("ip/vm", "hour", "hour"),
    ("nat", "gateway"): ("nat/gateway", "hour", "hour"), ("nat", "data"): ("nat/data", "GB", "month"),
    ("vpn", "tunnel"): ("vpn/tunnel", "hour", "hour"),
}
_REGION = re.compile(r"^[a-z]+-[a-z]+[0-9]+$")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def import_gcp_pricing(path: str | Path, source_id: str = "gcp-pricing", name: str | None = None) -> Catalog:
    path = Path(path)
    try:
        with open_text(path) as handle:
            document = yaml.load(handle, Loader=_Loader)
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PriceImportError(f"{path}: not readable YAML (corrupt or truncated?): {exc}") from None
    compute = document.get("compute") if isinstance(document, dict) else None
    instances = compute.get("instance") if isinstance(compute, dict) else None
    if not isinstance(instances, dict) or not instances:
        raise PriceImportError(f"{path}: no compute.instance section: not a google-cloud-pricing-cost-calculator pricing.yml")
    catalog = Catalog()
    for machine_type, entry in instances.items():
        for region, costs in _costs(entry):
            _add(catalog, "compute", region, str(machine_type), costs.get("hour"), "hour", source_id)
            _add(catalog, "compute", region, f"{machine_type}/month", costs.get("month"), "month", source_id)
    storage = compute.get("storage") if isinstance(compute.get("storage"), dict) else {}
    for disk, entry in storage.items():
        key = DISKS.get(disk) or (disk if str(disk).startswith("hyperdisk-") else None)
        for region, costs in _costs(entry) if key else ():
            _add(catalog, "disk", region, key, costs.get("month"), "GB-month", source_id)
    network = compute.get("network") if isinstance(compute.get("network"), dict) else {}
    for (group, item), (key, unit, figure) in NETWORK.items():
        entries = network.get(group) if isinstance(network.get(group), dict) else {}
        for region, costs in _costs(entries.get(item)):
            _add(catalog, "network", region, key, costs.get(figure), unit, source_id)
    if not catalog.prices:
        raise PriceImportError(f"{path}: no prices found under compute.instance")
    about = document.get("about") if isinstance(document.get("about"), dict) else {}
    catalog.sources[source_id] = Source(
        id=source_id, name=name or "Google Cloud prices from Cyclenerd/google-cloud-pricing-cost-calculator (pricing.yml)",
        published=_published(about, path), url=str(about.get("url") or URL), filters=FILTERS,
        notes=f"imported from {path.name}")
    return catalog


def _costs(entry: Any) -> list[tuple[str, Mapping[str, Any]]]:
    cost = entry.get("cost") if isinstance(entry, dict) else None
    if not isinstance(cost, dict):
        return []
    # Multi-region locations (`us-multi`, for snapshots) are not regions a resource names.
    return [(str(region), values) for region, values in cost.items()
            if isinstance(values, dict) and _REGION.match(str(region))]


def _add(catalog: Catalog, service: str, region: str, key: str, value: Any, unit: str, source: str) -> None:
    # Absent or zero figures are gaps in the file, not free machines: leave them unpriced.
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        catalog.add("gcp", service, region, key, value, unit, source)


def _published(about: Mapping[str, Any], path: Path) -> str:
    generated = about.get("generated")
    if isinstance(generated, _dt.date):  # YAML may read an ISO timestamp as a date itself
        return (generated.date() if isinstance(generated, _dt.datetime) else generated).isoformat()
    if isinstance(generated, str):
        try:
            return _dt.datetime.strptime(generated.strip(), "%a %b %d %H:%M:%S %Y").date().isoformat()
        except ValueError:
            pass
    timestamp = about.get("timestamp")
    if isinstance(timestamp, int) and not isinstance(timestamp, bool):
        return _dt.datetime.fromtimestamp(timestamp, _dt.timezone.utc).date().isoformat()
    found = re.search(r"\d{4}-\d{2}-\d{2}", path.name)
    if found:
        return found.group(0)
    raise PriceImportError(f"{path}: no date in about.generated, about.timestamp or the file name")
