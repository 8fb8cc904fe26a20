"""GPUs a pod claims through Dynamic Resource Allocation (resource.k8s.io/v1).

A pod's `resourceClaims` name a ResourceClaimTemplate (`resourceClaimTemplateName`) or a
ResourceClaim (`resourceClaimName`) of its namespace; each device request of the claim's spec
that asks for a GPU device class (a `deviceClassName` naming a GPU: gpu.nvidia.com,
gpu.amd.com, gpu.intel.com, ...) counts `count` GPUs (1 when unset; `allocationMode: All` is
not countable before allocation and is left out with a note). v1 writes the request under
`exactly`; v1beta1 wrote it on the request itself: both are read.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping

from guardrails.core.model import is_unknown
from guardrails.pricing.base import PricingContext


def is_gpu_class(name: Any) -> bool:
    return isinstance(name, str) and "gpu" in name.lower()


def claimed_gpus(spec: Mapping[str, Any], namespace: str, ctx: PricingContext) -> Decimal:
    claims = spec.get("resourceClaims")
    if not isinstance(claims, list):
        return Decimal(0)
    by_name: dict[tuple[str, str], Any] = {}
    for kind in ("ResourceClaimTemplate", "ResourceClaim"):
        for found in ctx.of_type(kind):
            metadata = found.attrs.get("metadata")
            name = metadata.get("name") if isinstance(metadata, Mapping) else None
            if found.namespace == namespace and isinstance(name, str):
                by_name[(kind, name)] = found.attrs.get("spec")
    total = Decimal(0)
    for claim in claims:
        if not isinstance(claim, Mapping):
            continue
        if isinstance(claim.get("resourceClaimTemplateName"), str):
            template = by_name.get(("ResourceClaimTemplate", claim["resourceClaimTemplateName"]))
            claim_spec = template.get("spec") if isinstance(template, Mapping) else None
        elif isinstance(claim.get("resourceClaimName"), str):
            claim_spec = by_name.get(("ResourceClaim", claim["resourceClaimName"]))
        else:
            continue
        total += _devices(claim_spec, ctx)
    return total


def _devices(claim_spec: Any, ctx: PricingContext) -> Decimal:
    devices = claim_spec.get("devices") if isinstance(claim_spec, Mapping) else None
    requests = devices.get("requests") if isinstance(devices, Mapping) else None
    total = Decimal(0)
    for request in requests if isinstance(requests, list) else ():
        if not isinstance(request, Mapping):
            continue
        exact = request.get("exactly") if isinstance(request.get("exactly"), Mapping) else request
        if not is_gpu_class(exact.get("deviceClassName")):
            continue
        if exact.get("allocationMode") == "All":
            ctx.notes.append(f"a claim asks for all devices of {exact['deviceClassName']}: not counted")
            continue
        count = exact.get("count", 1)
        if is_unknown(count) or not isinstance(count, int) or isinstance(count, bool) or count < 0:
            ctx.notes.append("a claim's device count cannot be read: not counted")
            continue
        total += count
    return total
