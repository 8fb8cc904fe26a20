"""AKS: `azurerm_kubernetes_cluster` (its tier fee and default node pool) and
`azurerm_kubernetes_cluster_node_pool`.

Catalog keys: `azure aks standard/hour` and `azure aks premium/hour` (the cluster-hour fee of
the Standard and Premium tiers; the Free tier has none); the nodes are VM sizes (`azure vm`,
azure_instances.py) and their OS disks managed disk tiers (`azure disk`, azure_disks.py).

The choices made here:
- Nodes: `node_count`, or `min_count` when auto-scaling is on (`auto_scaling_enabled`, or
  `enable_auto_scaling` before azurerm 4.0); a pool that sets neither runs 1 node (a note).
  The usage file's `nodes` (under `default_node_pool` for a cluster), Infracost's key,
  overrides them for a pool an autoscaler resizes.
- The default node pool is Linux (AKS requires a Linux system pool); a separate pool with
  `os_type = "Windows"` pays the Windows price.
- OS disks: an `os_disk_type = "Ephemeral"` disk lives on the host and costs nothing. A managed
  one (the azurerm default) without `os_disk_size_gb` takes AKS's default size by vCPU count
  (AKS storage concepts, learn.microsoft.com/azure/aks/concepts-storage: 1-7 vCPUs 128 GB,
  8-15 256 GB, 16-63 512 GB, 64+ 1024 GB), the vCPUs read from the size's name, with a note.
  Its type is Premium SSD for a size that supports premium storage (an `s` among its
  features, or a DS/GS/FS family) and Standard HDD otherwise, as Infracost prices it.
- A separate pool is Windows with `os_type = "Windows"` or a Windows `os_sku`; its region is
  its cluster's (`kubernetes_cluster_id`), else the provider's or the policy's.
- Spot pools are unpriced (pay-as-you-go prices only).
"""
from __future__ import annotations

import re
from typing import Any, Mapping

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing import azure_instances, azure_references
from guardrails.pricing.azure_disks import disk
from guardrails.pricing.azure_references import referenced, region_of
from guardrails.pricing.base import (
    PricingContext,
    Unpriced,
    block,
    count,
    flag,
    hours,
    number,
    required_text,
)

_TIERS = {"free": None, "standard": "standard", "paid": "standard", "premium": "premium"}
_DEFAULT_DISK_GB = ((64, 1024.0), (16, 512.0), (8, 256.0), (1, 128.0))  # from this many vCPUs
_FALLBACK_DISK_GB = 128.0
# Standard_DS2_v2, Standard_D4s_v5, Standard_E16-8as_v4: family, vCPUs, features, version.
_SIZE = re.compile(r"^(?:Standard|Basic)_(?P<family>[A-Za-z]+)\d+(?:-\d+)?(?P<features>[a-z]*)", re.IGNORECASE)


def kubernetes_cluster(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    """The tier fee, and the nodes and OS disks of the default node pool."""
    attrs = resource.attrs
    region = azure_references.region(ctx, resource)
    tier = required_text(attrs.get("sku_tier"), "sku_tier", "Free")
    if tier.lower() not in _TIERS:
        raise Unpriced(f"sku_tier {tier} is unknown (expected Free, Standard or Premium)")
    components: list[CostComponent] = []
    key = _TIERS[tier.lower()]
    if key is None:
        ctx.notes.append("Free tier: no cluster fee")
    else:
        label = f"Cluster management ({tier} tier)"
        with ctx.part(label):
            components.append(hours(label, ctx.price("azure", "aks", region, f"{key}/hour",
                                                     what=f"the AKS {tier} tier fee")))
    pool = block(attrs.get("default_node_pool"), "default_node_pool")
    if pool is None:
        raise Unpriced("default_node_pool is not set")
    from_usage = ctx.usage.get(resource, "default_node_pool")
    nodes = from_usage.get("nodes") if isinstance(from_usage, Mapping) else None
    components.extend(_pool(ctx, region, pool, "default_node_pool.", "linux", "Default node pool", nodes))
    return components


def kubernetes_cluster_node_pool(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    """The nodes and OS disks of a separate node pool, in its cluster's region."""
    attrs = resource.attrs
    cluster = referenced(ctx, resource, attrs.get("kubernetes_cluster_id"), "azurerm_kubernetes_cluster")
    region = region_of(ctx, resource, cluster, "the cluster (kubernetes_cluster_id)")
    os_type = required_text(attrs.get("os_type"), "os_type", "Linux").lower()
    if os_type not in ("linux", "windows"):
        raise Unpriced(f"os_type {attrs.get('os_type')} is unknown")
    # os_sku Windows2019 / Windows2022 makes a Windows pool too.
    if required_text(attrs.get("os_sku"), "os_sku", "").lower().startswith("windows"):
        os_type = "windows"
    return _pool(ctx, region, attrs, "", os_type, "Node pool", ctx.usage.get(resource, "nodes"))


def _pool(ctx: PricingContext, region: str, pool: Mapping[str, Any], path: str, os: str,
          label: str, usage_nodes: Any) -> list[CostComponent]:
    azure_instances.refuse_spot(pool.get("priority"), f"{path}priority")
    size = required_text(pool.get("vm_size"), f"{path}vm_size")
    if usage_nodes is not None:
        nodes = number(usage_nodes, "the usage file's nodes")
        ctx.notes.append(f"{label}: {nodes:g} nodes from the usage file")
    else:
        nodes = _nodes(ctx, pool, path, label)
    components: list[CostComponent] = []
    name = f"{label}: {nodes:g} x {azure_instances.name(size, os)}"
    with ctx.part(name):
        component = azure_instances.instance_hours(ctx, region, size, os, instances=nodes)
        components.append(CostComponent(name=name, unit=component.unit, quantity=component.quantity,
                                        unit_price=component.unit_price))
    if nodes == 0:
        return components
    disk_type = required_text(pool.get("os_disk_type"), f"{path}os_disk_type", "Managed")
    if disk_type.lower() == "ephemeral":
        ctx.notes.append(f"{label}: ephemeral OS disks live on the host, no disk charge")
        return components
    account = _disk_account(size)
    size_gb = _disk_size(ctx, pool, path, size, label)
    disk_label = f"{label}: OS disks ({nodes:g} x {account}, {size_gb:g} GB)"
    with ctx.part(disk_label):
        components.append(disk(ctx, region, account, size_gb, f"{label}: OS disks", nodes))
    return components


def _nodes(ctx: PricingContext, pool: Mapping[str, Any], path: str, label: str) -> float:
    scaling = pool.get("auto_scaling_enabled")
    scaling_what = "auto_scaling_enabled"
    if scaling is None:
        scaling, scaling_what = pool.get("enable_auto_scaling"), "enable_auto_scaling"
    if flag(scaling, f"{path}{scaling_what}"):
        nodes = count(pool.get("min_count"), f"{path}min_count", 0)
        ctx.notes.append(f"{label}: auto-scaling, priced at min_count ({nodes})")
        return ctx.scaled(float(nodes), pool.get("max_count"), f"{path}max_count")
    if pool.get("node_count") is None:
        ctx.notes.append(f"{label}: node_count not set, 1 node assumed")
    return float(count(pool.get("node_count"), f"{path}node_count", 1))


def _disk_account(size: str) -> str:
    match = _SIZE.match(size)
    if match is None:
        return "Standard_LRS"
    family, features = match.group("family").upper(), match.group("features")
    premium = "s" in features or (len(family) > 1 and family.endswith("S"))
    return "Premium_LRS" if premium else "Standard_LRS"


def _disk_size(ctx: PricingContext, pool: Mapping[str, Any], path: str, size: str, label: str) -> float:
    if pool.get("os_disk_size_gb") is not None:
        return number(pool.get("os_disk_size_gb"), f"{path}os_disk_size_gb")
    cpus = azure_instances.vcpus(size)
    default = next((gb for least, gb in _DEFAULT_DISK_GB if cpus is not None and cpus >= least), _FALLBACK_DISK_GB)
    ctx.notes.append(f"{label}: os_disk_size_gb not set, AKS's default for "
                     f"{f'{cpus} vCPUs' if cpus else 'the size'} assumed ({default:g} GB)")
    return default


MODELS = {
    "azurerm_kubernetes_cluster": kubernetes_cluster,
    "azurerm_kubernetes_cluster_node_pool": kubernetes_cluster_node_pool,
}
