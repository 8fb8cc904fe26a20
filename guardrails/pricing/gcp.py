"""Google Cloud cost models: Compute Engine instances and disks, GKE clusters and node pools.

Prices are the catalog's `gcp` rows (keys in catalog.py). The choices made here:

- Machine types are priced at the catalog's `<type>/month` figure when it has one: the source's
  full-month price, which includes the sustained-use discount Google applies on its own to the
  families that have one (N1, N2, C2, ...) and equals the hourly list price x 730 for those that
  do not (E2, ...). Without a monthly figure the hourly list price x 730 is used. A note on every
  priced machine says which of the two it is.
- Custom machine types (`custom-4-16384`, `n2-custom-...`) are priced only when the catalog names
  the exact type: it carries no per-vCPU and per-GB rates to build their price from.
- Spot and preemptible VMs are unpriced: the catalog holds on-demand list prices only.
- Hyperdisk and pd-extreme disks are unpriced: their provisioned IOPS and throughput are billed
  on top of capacity and the catalog has capacity prices only.
- A GKE node pool runs its node count in each of its zones: as many zones as `node_locations`
  names, else 3 for a regional location (GKE's default spread) and 1 for a zonal one.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Mapping

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import (
    HOURS_PER_MONTH,
    PricingContext,
    Unpriced,
    block,
    blocks,
    first_block,
    flag,
    hours,
    known,
    number,
    per_month,
    readable,
    required_text,
)
from guardrails.providers import disks

PROVIDER = "google"

# Disk types, and their defaults, come from providers/disks.py, which the storage-tier rule
# judges by; the sizes assumed where none is written are pricing's own.
DEFAULT_BOOT_DISK_GB = 10.0  # the size of most public images
DEFAULT_DISK_GB = 10.0  # google_compute_disk without size, image or snapshot
LOCAL_SSD_GB = 375.0  # one local SSD partition
GKE_DEFAULT_MACHINE = "e2-medium"
GKE_DEFAULT_DISK_GB = 100.0
GKE_REGIONAL_ZONES = 3  # GKE spreads a regional cluster's node pools over three zones
_CUSTOM = re.compile(r"(^|-)custom-\d+-\d+(-ext)?$")
_ZONE = re.compile(r"^[a-z]+-[a-z]+\d+-[a-z]$")
_UNMODELLED_DISKS = ("pd-extreme", "hyperdisk-")


def compute_instance(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    """Machine type, boot disk, local SSDs and GPUs of a `google_compute_instance`."""
    region = ctx.region(resource, "gcp")
    _refuse_spot(first_block(resource, "scheduling"), "scheduling")
    machine = required_text(resource.attrs.get("machine_type"), "machine_type").rsplit("/", 1)[-1]
    components: list[CostComponent] = []
    with ctx.part():
        components.append(_machine(ctx, region, machine, 1, f"Instance usage ({machine}, on-demand)"))
    with ctx.part():
        components.extend(_boot_disk(resource, ctx, region))
    scratch = blocks(resource.attrs.get("scratch_disk"), "scratch_disk")
    if scratch:
        sizes = [number(block.get("size"), "scratch_disk.size", LOCAL_SSD_GB) for block in scratch]
        label = f"Local SSD ({len(sizes)} x {_n(sizes[0])} GB)" if len(set(sizes)) == 1 \
            else f"Local SSD ({_n(sum(sizes))} GB)"
        with ctx.part(label):
            price = ctx.price("gcp", "disk", region, "local-ssd", what="local SSD")
            components.append(per_month(label, sum(sizes), "GB-months", price))
    components.extend(_accelerators(resource.attrs.get("guest_accelerator"), ctx, region, 1, "GPU"))
    return components


def compute_disk(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    """A persistent disk: size x the type's GB-month price."""
    region = ctx.region(resource, "gcp")
    disk = disks.compute_disk(resource.attrs)
    disk_type = required_text(disk.type, "type")
    size = disk.size
    if size is None:
        for origin in ("image", "snapshot", "source_disk"):
            if resource.attrs.get(origin) is not None:
                raise Unpriced(f"size is not set: it comes from the {origin.replace('_', ' ')}")
    gb = number(size, "size", DEFAULT_DISK_GB)
    return [_disk(ctx, region, disk_type, gb, f"Persistent disk ({disk_type}, {_n(gb)} GB)")]


def container_cluster(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    """The GKE management fee, plus the default node pool or the inline `node_pool` blocks."""
    attrs = resource.attrs
    region = ctx.region(resource, "gcp")
    if flag(attrs.get("enable_autopilot"), "enable_autopilot"):
        raise Unpriced("Autopilot is billed per pod: not modelled")
    components: list[CostComponent] = []
    with ctx.part("Cluster management fee"):
        components.append(hours("Cluster management fee",
                                ctx.price("gcp", "gke", region, "cluster/hour", what="the GKE cluster fee")))
    ctx.notes.append("the GKE free tier credit (one zonal or Autopilot cluster per billing account) "
                     "is not deducted")
    zones = _zones(resource, add_own_zone=True)
    pools = blocks(attrs.get("node_pool"), "node_pool")
    for index, pool in enumerate(pools):
        name = pool.get("name")
        label = f"Node pool {name}" if isinstance(name, str) and name else f"Node pool {index}"
        pool_zones = _zones_of(pool.get("node_locations"), "node_pool.node_locations") or zones
        nodes = _pool_nodes(pool, pool_zones, ctx, "node_pool.")
        components.extend(_nodes(ctx, region, block(pool.get("node_config"), "node_pool.node_config"),
                                 nodes, label))
    # Inline node pools replace the default pool; otherwise it exists unless removed.
    if not pools and not flag(attrs.get("remove_default_node_pool"), "remove_default_node_pool"):
        per_zone = number(attrs.get("initial_node_count"), "initial_node_count", 1)
        _say_zones(ctx, zones, per_zone)
        components.extend(_nodes(ctx, region, first_block(resource, "node_config"), per_zone * zones,
                                 "Default node pool"))
    return components


def container_node_pool(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    """The nodes of a `google_container_node_pool`, in each of its zones."""
    region = ctx.region(resource, "gcp")
    zones = _zones(resource, add_own_zone=False)
    nodes = _pool_nodes(resource.attrs, zones, ctx, "")
    return _nodes(ctx, region, first_block(resource, "node_config"), nodes, "Node pool")


# Types that cost nothing by themselves: attaching a disk is free, the disk is priced on its own.
FREE_TYPES = frozenset({
    "google_compute_attached_disk",
    # Configuration Google does not bill for: APIs, identities, networks, firewall rules, tags.
    "google_project_service", "google_project_service_identity", "google_service_account",
    "google_service_account_key", "google_project_iam_custom_role",
    "google_organization_iam_custom_role", "google_compute_network", "google_compute_subnetwork",
    "google_compute_firewall", "google_compute_route", "google_compute_project_metadata_item",
    "google_compute_disk_resource_policy_attachment", "google_folder", "google_project",
    "google_tags_tag_key", "google_tags_tag_value", "google_tags_tag_binding",
    "google_tags_location_tag_binding",
})
# IAM grants on any resource (google_<thing>_iam_member, ..._binding, ...) are free.
FREE_SUFFIXES = ("_iam_member", "_iam_binding", "_iam_policy", "_iam_audit_config")

MODELS: dict[str, Callable[[Resource, PricingContext], list[CostComponent]]] = {
    "google_compute_instance": compute_instance,
    "google_compute_disk": compute_disk,
    "google_container_cluster": container_cluster,
    "google_container_node_pool": container_node_pool,
}


def _machine(ctx: PricingContext, region: str, machine: str, count: float, label: str) -> CostComponent:
    """`count` machines for a month, at the monthly figure when the catalog has one (see above)."""
    monthly = ctx.maybe_price("gcp", "compute", region, f"{machine}/month")
    hourly = ctx.maybe_price("gcp", "compute", region, machine)
    if monthly is None and hourly is None:
        if _CUSTOM.search(machine) and region in ctx.catalog.regions("gcp", "compute"):
            raise Unpriced(f"custom machine type {machine} is not in the price catalog "
                           f"(it has no per-vCPU and per-GB rates to build its price from)")
        ctx.price("gcp", "compute", region, machine, what=f"machine type {machine}")  # raises
    if monthly is not None:
        # Half a cent of tolerance: the source rounds its figures differently.
        if hourly is None:
            ctx.notes.append(f"{machine}: priced at the source's monthly price")
        elif monthly.value < hourly.value * HOURS_PER_MONTH - 0.005:
            ctx.notes.append(f"{machine}: sustained-use discount applied (source's monthly price)")
        else:
            ctx.notes.append(f"{machine}: no sustained-use discount for this machine type "
                             f"(source's monthly price)")
        return per_month(label, count, "months", monthly)
    assert hourly is not None
    ctx.notes.append(f"{machine}: hourly list price x {HOURS_PER_MONTH}, no sustained-use discount")
    return hours(label, hourly, HOURS_PER_MONTH * count)


def _disk(ctx: PricingContext, region: str, disk_type: str, gb: float, label: str) -> CostComponent:
    if disk_type.startswith(_UNMODELLED_DISKS):
        raise Unpriced(f"{disk_type} disks are not modelled (provisioned IOPS and throughput are "
                       f"billed on top of capacity)")
    price = ctx.price("gcp", "disk", region, disk_type, what=f"disk type {disk_type}")
    return per_month(label, gb, "GB-months", price)


def _boot_disk(resource: Resource, ctx: PricingContext, region: str) -> list[CostComponent]:
    disk = readable(disks.boot_disk(resource.attrs))
    if known(disk.existing, "boot_disk.source") is not None:
        ctx.notes.append("the boot disk is an existing disk, priced on its own resource")
        return []
    if disk.size is None:
        ctx.notes.append(f"boot disk size not set: {_n(DEFAULT_BOOT_DISK_GB)} GB assumed "
                         f"(the size of most public images)")
    gb = number(disk.size, disk.what("size"), DEFAULT_BOOT_DISK_GB)
    disk_type = required_text(disk.type, disk.what("type"))
    return [_disk(ctx, region, disk_type, gb, f"Boot disk ({disk_type}, {_n(gb)} GB)")]


def _accelerators(value: Any, ctx: PricingContext, region: str, nodes: float, label: str) -> list[CostComponent]:
    components = []
    for accelerator in blocks(value, "guest_accelerator"):
        kind = required_text(accelerator.get("type"), "guest_accelerator.type").rsplit("/", 1)[-1]
        count = number(accelerator.get("count"), "guest_accelerator.count")
        if count == 0:
            continue
        per = f"{_n(nodes)} x {_n(count)}" if nodes != 1 else _n(count)
        with ctx.part(f"{label} ({kind} x {per})"):
            price = ctx.price("gcp", "compute", region, f"gpu/{kind}", what=f"GPU {kind}")
            components.append(hours(f"{label} ({kind} x {per})", price, HOURS_PER_MONTH * count * nodes))
    return components


def _nodes(ctx: PricingContext, region: str, config: Mapping[str, Any] | None, nodes: float,
           label: str) -> list[CostComponent]:
    """`nodes` GKE nodes of one `node_config`: machines, boot disks, local SSDs and GPUs."""
    config = config or {}
    _refuse_spot(config, "node_config")
    machine = required_text(config.get("machine_type"), "node_config.machine_type", GKE_DEFAULT_MACHINE)
    disk = disks.node_disk(config)
    gb = number(disk.size, disk.what("disk_size_gb"), GKE_DEFAULT_DISK_GB)
    disk_type = required_text(disk.type, disk.what("disk_type"))
    components: list[CostComponent] = []
    with ctx.part(f"{label}: nodes ({machine}, on-demand, x {_n(nodes)})"):
        components.append(_machine(ctx, region, machine, nodes, f"{label}: nodes ({machine}, on-demand, x {_n(nodes)})"))
    with ctx.part(f"{label}: node disks ({disk_type}, {_n(nodes)} x {_n(gb)} GB)"):
        components.append(_disk(ctx, region, disk_type, gb * nodes,
                                f"{label}: node disks ({disk_type}, {_n(nodes)} x {_n(gb)} GB)"))
    local_ssds = number(config.get("local_ssd_count"), "node_config.local_ssd_count", 0)
    for name in ("ephemeral_storage_local_ssd_config", "local_nvme_ssd_block_config"):
        ssd_config = block(config.get(name), f"node_config.{name}") or {}
        local_ssds += number(ssd_config.get("local_ssd_count"), f"node_config.{name}.local_ssd_count", 0)
    if local_ssds:
        name = f"{label}: local SSD ({_n(nodes)} x {_n(local_ssds)} x {_n(LOCAL_SSD_GB)} GB)"
        with ctx.part(name):
            price = ctx.price("gcp", "disk", region, "local-ssd", what="local SSD")
            components.append(per_month(name, nodes * local_ssds * LOCAL_SSD_GB, "GB-months", price))
    components.extend(_accelerators(config.get("guest_accelerator"), ctx, region, nodes, f"{label}: GPUs"))
    return components


def _pool_nodes(pool: Mapping[str, Any], zones: int, ctx: PricingContext, prefix: str) -> float:
    """Nodes of a pool in all its zones: node_count, else initial_node_count, else the autoscaling minimum."""
    for key in ("node_count", "initial_node_count"):
        if pool.get(key) is not None:
            per_zone = number(pool.get(key), prefix + key)
            _say_zones(ctx, zones, per_zone)
            return per_zone * zones
    scaling = block(pool.get("autoscaling"), prefix + "autoscaling")
    if scaling is not None:
        if scaling.get("total_min_node_count") is not None:
            # A total over all zones, not per zone.
            total = number(scaling.get("total_min_node_count"), prefix + "autoscaling.total_min_node_count")
            ctx.notes.append(f"autoscaling: priced at its minimum, {_n(total)} nodes in total")
            return total
        if scaling.get("min_node_count") is not None:
            per_zone = number(scaling.get("min_node_count"), prefix + "autoscaling.min_node_count")
            ctx.notes.append("autoscaling: priced at its minimum")
            _say_zones(ctx, zones, per_zone)
            return per_zone * zones
    ctx.notes.append("node count not set: 1 node per zone assumed")
    _say_zones(ctx, zones, 1)
    return float(zones)


def _zones(resource: Resource, add_own_zone: bool) -> int:
    """How many zones the nodes run in: node_locations, else 3 for a region and 1 for a zone.

    A zonal cluster's `node_locations` are zones added to its own (the provider asks to leave the
    cluster's zone out of the list); a node pool's list is complete.
    """
    location = _location(resource)
    listed = _zone_names(resource.attrs.get("node_locations"), "node_locations")
    if listed:
        if add_own_zone and _ZONE.match(location):
            listed.add(location)
        return len(listed)
    return 1 if _ZONE.match(location) else GKE_REGIONAL_ZONES


def _zones_of(value: Any, what: str) -> int:
    return len(_zone_names(value, what))


def _zone_names(value: Any, what: str) -> set[str]:
    value = known(value, what)
    if value is None:
        return set()
    if not isinstance(value, (list, tuple, set)):
        raise Unpriced(f"{what} is not a list of zones: {value!r}")
    return {str(known(zone, what)) for zone in value}


def _location(resource: Resource) -> str:
    """The raw location (zone or region) of a cluster or node pool, before region normalising."""
    for source, key in ((resource.attrs, "location"), (resource.provider_config, "zone"),
                        (resource.provider_config, "region")):
        value = known(source.get(key), key)
        if isinstance(value, str) and value:
            return value
    return ""  # the default region: regional


def _say_zones(ctx: PricingContext, zones: int, per_zone: float) -> None:
    if zones > 1:
        ctx.notes.append(f"{_n(per_zone)} node(s) in each of {zones} zones (x{zones})")


def _refuse_spot(settings: Mapping[str, Any] | None, what: str) -> None:
    if not settings:
        return
    model = known(settings.get("provisioning_model"), f"{what}.provisioning_model")
    if (flag(settings.get("preemptible"), f"{what}.preemptible") or flag(settings.get("spot"), f"{what}.spot")
            or (isinstance(model, str) and model.upper() == "SPOT")):
        raise Unpriced("spot pricing not in catalog (spot and preemptible VMs are not modelled)")


def _n(value: float) -> str:
    """A count or size for a label: 3, not 3.0."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"

