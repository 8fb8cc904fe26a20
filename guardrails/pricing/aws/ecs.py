"""ECS services on Fargate: vCPU-hours and GB-hours of their tasks.

A Fargate service runs `desired_count` tasks (the provider's default is 0), each sized by its
task definition's `cpu` and `memory`, found among the scanned resources as compute.py finds a
launch template. `cpu` is CPU units (1024 a vCPU) or "N vCPU"; `memory` MiB or "N GB". A service
on the EC2 or EXTERNAL launch type costs nothing itself (its instances are priced where they are
declared). ARM64 and Windows tasks and ephemeral storage above the free 20 GiB have keys of their
own; a price the catalog lacks is listed missing.

Catalog keys (service `ecs`): `fargate/vcpu-hour`, `fargate/gb-hour` (Linux x86),
`fargate-arm64/...`, `fargate-windows/...`, `fargate/ephemeral-storage-gb-hour`.
"""
from __future__ import annotations

import re
from typing import Any

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.aws.fees_common import referenced
from guardrails.pricing.base import PricingContext, Unpriced, block, blocks, count, hours, known, number, text

FREE_EPHEMERAL_GIB = 20.0
# Linux on x86 is the base price; ARM64 and Windows have prices of their own.
_PLATFORM_KEYS = {"linux/x86_64": "fargate", "linux/arm64": "fargate-arm64", "windows/x86_64": "fargate-windows"}
_WITH_UNIT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(vcpu|gb)\s*$", re.IGNORECASE)


def _size(value: Any, what: str, unit: str, per_unit: float) -> float:
    """A task size in vCPU or GB: "N vCPU" / "N GB", else a number of CPU units / MiB."""
    value = known(value, what)
    if isinstance(value, str):
        match = _WITH_UNIT.match(value)
        if match:
            if match.group(2).lower() != unit:
                raise Unpriced(f"{what} is {value!r}, not in {unit}")
            return float(match.group(1))
    return number(value, what) / per_unit


def _fargate(attrs: Any) -> bool | None:
    """Whether the service runs on Fargate; None when the configuration does not say."""
    launch = text(attrs.get("launch_type"), "launch_type")
    if launch is not None:
        return launch == "FARGATE"
    providers = [text(s.get("capacity_provider"), "capacity_provider_strategy.capacity_provider")
                 for s in blocks(attrs.get("capacity_provider_strategy"), "capacity_provider_strategy")]
    if providers:
        if any(p in ("FARGATE", "FARGATE_SPOT") for p in providers):
            return True
        return False
    return None


def ecs_service(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    fargate = _fargate(attrs)
    if fargate is None:
        raise Unpriced("launch_type and capacity_provider_strategy are not set: the cluster's default "
                       "capacity provider decides whether tasks run on Fargate, which is not read")
    if not fargate:
        ctx.notes.append("not on Fargate: the instances it runs on are priced where they are declared")
        return []
    region = ctx.region(resource, "aws")
    tasks = count(attrs.get("desired_count"), "desired_count", 0)
    if attrs.get("desired_count") is None:
        ctx.notes.append("desired_count is not set: the provider's default is 0 tasks")
    definitions = referenced(ctx, resource, attrs.get("task_definition"), "aws_ecs_task_definition",
                             "task_definition", names=("arn", "family", "id"))
    sizes = {_task_size(d) for d in definitions}
    if len(sizes) > 1:
        raise Unpriced("task_definition is one of several task definitions that differ; which one cannot be evaluated")
    vcpu, memory_gb, platform, ephemeral_gib = sizes.pop()
    key = _PLATFORM_KEYS.get(platform)
    if key is None:
        raise Unpriced(f"Fargate tasks on {platform} are not modelled")
    components: list[CostComponent] = []
    with ctx.part("Per vCPU"):
        price = ctx.price("aws", "ecs", region, f"{key}/vcpu-hour", what=f"Fargate vCPU-hours ({platform})")
        components.append(hours(f"Per vCPU ({vcpu:g} vCPU x {tasks} tasks)", price, 730 * vcpu * tasks))
    with ctx.part("Per GB"):
        price = ctx.price("aws", "ecs", region, f"{key}/gb-hour", what=f"Fargate GB-hours ({platform})")
        components.append(hours(f"Per GB ({memory_gb:g} GB x {tasks} tasks)", price, 730 * memory_gb * tasks))
    if ephemeral_gib > FREE_EPHEMERAL_GIB:
        extra = ephemeral_gib - FREE_EPHEMERAL_GIB
        with ctx.part("Ephemeral storage"):
            price = ctx.price("aws", "ecs", region, "fargate/ephemeral-storage-gb-hour",
                              what="Fargate ephemeral storage above 20 GiB")
            components.append(hours(f"Ephemeral storage ({extra:g} GB above 20 x {tasks} tasks)", price,
                                    730 * extra * tasks))
    if any(text(s.get("capacity_provider"), "capacity_provider") == "FARGATE_SPOT"
           for s in blocks(attrs.get("capacity_provider_strategy"), "capacity_provider_strategy")):
        ctx.notes.append("FARGATE_SPOT: priced at the on-demand Fargate price (an upper bound)")
    return components


def _task_size(definition: Resource) -> tuple[float, float, str, float]:
    """(vCPU, GB, "os/architecture", ephemeral GiB) of a Fargate task definition."""
    attrs = definition.attrs
    where = definition.address
    vcpu = _size(attrs.get("cpu"), f"{where} cpu", "vcpu", 1024)
    memory_gb = _size(attrs.get("memory"), f"{where} memory", "gb", 1024)
    runtime = block(attrs.get("runtime_platform"), f"{where} runtime_platform") or {}
    system = (text(runtime.get("operating_system_family"), f"{where} runtime_platform.operating_system_family")
              or "LINUX")
    architecture = text(runtime.get("cpu_architecture"), f"{where} runtime_platform.cpu_architecture") or "X86_64"
    storage = block(attrs.get("ephemeral_storage"), f"{where} ephemeral_storage") or {}
    ephemeral = number(storage.get("size_in_gib"), f"{where} ephemeral_storage.size_in_gib", FREE_EPHEMERAL_GIB)
    os_name = "linux" if system == "LINUX" else "windows"
    return vcpu, memory_gb, f"{os_name}/{architecture.lower()}", ephemeral
