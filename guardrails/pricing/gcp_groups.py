"""Managed instance groups: `google_compute_instance_group_manager` and
`google_compute_region_instance_group_manager`.

A group prices nothing by itself: it runs `target_size` VMs made from its instance template, so
the template (`google_compute_instance_template` or `google_compute_region_instance_template`,
found in `ctx.resources` by reference or by name) gives the machine type, disks and GPUs, and the
group multiplies them. A group an autoscaler (`google_compute_autoscaler`,
`google_compute_region_autoscaler`) targets and that sets no `target_size` is priced at the
autoscaler's `min_replicas`; one without either runs none (the provider's default `target_size`
is 0). Template disks: `disk_type` defaults to pd-standard (pd-balanced would be the boot disk
default of a VM, but the template's documented default is pd-standard), a boot disk without
`disk_size_gb` is taken as 10 GB (the image's size, most public images), a SCRATCH disk is a 375 GB
local SSD. The template's first `version` is priced when a group has several.
"""
from __future__ import annotations

from typing import Any, Mapping

from guardrails.core.model import CostComponent, Resource, is_unknown
from guardrails.pricing import gcp_compute as compute
from guardrails.pricing.base import (
    PricingContext,
    Unpriced,
    block,
    blocks,
    count,
    known,
    number,
    required_text,
    text,
)
from guardrails.providers.references import Reference, references

TEMPLATE_TYPES = ("google_compute_instance_template", "google_compute_region_instance_template")
AUTOSCALER_TYPES = ("google_compute_autoscaler", "google_compute_region_autoscaler")
DEFAULT_BOOT_DISK_GB = 10.0  # the size of most public images
DEFAULT_TEMPLATE_DISK_TYPE = "pd-standard"


def instance_group_manager(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "gcp")
    template = _template(ctx, resource)
    size = _size(ctx, resource)
    if size == 0:
        return []
    attrs = template.attrs
    where = template.address
    compute.refuse_spot(block(attrs.get("scheduling"), f"{where} scheduling"), f"{where} scheduling")
    machine = required_text(attrs.get("machine_type"), f"{where} machine_type").rsplit("/", 1)[-1]
    components: list[CostComponent] = []
    label = f"Instance usage ({machine}, on-demand, x {compute.n(size)})"
    with ctx.part(label):
        components.append(compute.machine(ctx, region, machine, size, label))
    for index, disk in enumerate(blocks(attrs.get("disk"), f"{where} disk")):
        components.extend(_disk(ctx, region, disk, index, size, where))
    components.extend(compute.accelerators(attrs.get("guest_accelerator"), ctx, region, size, "GPUs",
                                           f"{where} guest_accelerator"))
    return components


def _disk(ctx: PricingContext, region: str, disk: Mapping[str, Any], index: int, size: float,
          where: str) -> list[CostComponent]:
    what = f"{where} disk[{index}]"
    if known(disk.get("source"), f"{what}.source") is not None:
        ctx.notes.append(f"{what} attaches an existing disk, priced on its own resource")
        return []
    kind = (text(disk.get("type"), f"{what}.type") or "PERSISTENT").upper()
    disk_type = required_text(disk.get("disk_type"), f"{what}.disk_type", DEFAULT_TEMPLATE_DISK_TYPE)
    if kind == "SCRATCH" or disk_type == "local-ssd":
        gb = number(disk.get("disk_size_gb"), f"{what}.disk_size_gb", compute.LOCAL_SSD_GB)
        label = f"Local SSD ({compute.n(size)} x {compute.n(gb)} GB)"
        with ctx.part(label):
            return [compute.local_ssd(ctx, region, gb * size, label)]
        return []
    if disk.get("disk_size_gb") is None:
        if disk.get("source_snapshot") is not None or not _is_boot(disk, index, what):
            raise Unpriced(f"{what}.disk_size_gb is not set: the size comes from its image or snapshot")
        ctx.notes.append(f"{what}: boot disk size not set, {compute.n(DEFAULT_BOOT_DISK_GB)} GB assumed "
                         f"(the size of most public images)")
    gb = number(disk.get("disk_size_gb"), f"{what}.disk_size_gb", DEFAULT_BOOT_DISK_GB)
    label = f"Disk {index} ({disk_type}, {compute.n(size)} x {compute.n(gb)} GB)"
    with ctx.part(label):
        return [compute.disk(ctx, region, disk_type, gb * size, label)]
    return []


def _is_boot(disk: Mapping[str, Any], index: int, what: str) -> bool:
    boot = known(disk.get("boot"), f"{what}.boot")
    # The provider makes the first disk the boot disk unless it says otherwise.
    return bool(boot) if boot is not None else index == 0


def _size(ctx: PricingContext, resource: Resource) -> float:
    """target_size, else the minimum of an autoscaler that targets the group, else 0 (the default)."""
    if resource.attrs.get("target_size") is not None:
        return float(count(resource.attrs.get("target_size"), "target_size"))
    for scaler in _find(ctx, resource, AUTOSCALER_TYPES, lambda r: r.attrs.get("target"), want_referrers=True):
        policy = block(scaler.attrs.get("autoscaling_policy"), f"{scaler.address} autoscaling_policy") or {}
        minimum = float(count(policy.get("min_replicas"), f"{scaler.address} autoscaling_policy.min_replicas"))
        ctx.notes.append(f"autoscaled by {scaler.address}: priced at its minimum, {compute.n(minimum)} instances")
        return minimum
    ctx.notes.append("target_size is not set and no scanned autoscaler targets the group: it runs no instances")
    return 0.0


def _template(ctx: PricingContext, resource: Resource) -> Resource:
    versions = blocks(resource.attrs.get("version"), "version")
    if len(versions) > 1:
        ctx.notes.append("several versions: priced with the first one's template")
    value = versions[0].get("instance_template") if versions else resource.attrs.get("instance_template")
    if value is None:
        raise Unpriced("version.instance_template is not set")
    found = _find(ctx, resource, TEMPLATE_TYPES, lambda _: value)
    if not found:
        shown = value.reason if is_unknown(value) else repr(value)
        raise Unpriced(f"version.instance_template ({shown}) is not among the scanned instance templates")
    if len(found) > 1:
        raise Unpriced(f"version.instance_template refers to several templates ({found[0].address}, ...); "
                       f"which one cannot be evaluated")
    return found[0]


def _find(ctx: PricingContext, resource: Resource, types: tuple[str, ...], value_of: Any,
          want_referrers: bool = False) -> list[Resource]:
    """Resources of `types` that `resource` refers to (or, with want_referrers, that refer to it).

    A reference the loader could not evaluate is an Unknown whose reason names it ("depends on
    google_compute_instance_template.web.id"); a literal is a name, an id or a self link.
    """
    found = []
    for other in ctx.of_type(*types):
        source, target = (other, resource) if want_referrers else (resource, other)
        value = value_of(source)
        if is_unknown(value):
            # References name resources by absolute address, so one passed into a module counts.
            if any(_meant(reference, target) for reference in references(value)):
                found.append(other)
        elif isinstance(value, str) and value and other.module == resource.module:
            name = target.attrs.get("name")
            if isinstance(name, str) and name and (value == name or value.endswith("/" + name)):
                found.append(other)
    return found


def _meant(reference: Reference, target: Resource) -> bool:
    """Whether `reference` is to `target` (any instance of it when the index was not evaluated)."""
    if reference.any_instance:
        return target.address.startswith(reference.base + "[") or target.address == reference.base
    return target.address == reference.address
