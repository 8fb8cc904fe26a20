"""Karpenter NodePools: the capacity a pool may reach is its worst case.

A NodePool (karpenter.sh/v1) launches nodes for the pods that need them; what they run is
priced through the pods, so the pool itself adds nothing to the monthly figure. Its `limits`
(cpu, memory) bound what it may launch: at full scale it costs those limits at the cluster's
rates (`settings.kubernetes.cpu_hour` and `memory_gib_hour`, OpenCost's defaults), and a pool
without limits may grow without bound (its worst case is unknown).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping

from guardrails.core.model import CostComponent, Resource, Unknown, is_unknown
from guardrails.pricing.base import HOURS_PER_MONTH, PricingContext, Unpriced
from guardrails.providers.quantity import QuantityError, parse_quantity

GIB = Decimal(2**30)


def nodepool(resource: Resource, ctx: PricingContext, cpu_hour: float, memory_hour: float) -> list[CostComponent]:
    spec = resource.attrs.get("spec")
    limits = spec.get("limits") if isinstance(spec, Mapping) else None
    ctx.notes.append("the nodes it launches are priced through the pods they run; its limits are its worst case")
    if limits is None:
        no_cap = Unknown("the NodePool sets no limits: it may launch without bound")
        cpu = ctx.scaled(0, no_cap, "limits.cpu")
        return [CostComponent("CPU capacity (no limits)", "vCPU-hours", cpu * float(HOURS_PER_MONTH), cpu_hour)]
    if is_unknown(limits) or not isinstance(limits, Mapping):
        raise Unpriced("limits cannot be read")
    components = []
    for name, unit, rate, scale in (("cpu", "vCPU-hours", cpu_hour, Decimal(1)),
                                    ("memory", "GiB-hours", memory_hour, GIB)):
        cap = _quantity(limits.get(name), name)
        if cap is None:
            cap = Unknown(f"limits.{name} is not set: the pool's {name} may grow without bound")
        else:
            cap = float(cap / scale)
        amount = ctx.scaled(0, cap, f"limits.{name}")
        label = "CPU" if name == "cpu" else "Memory"
        components.append(CostComponent(f"{label} capacity (limits.{name})", unit,
                                        amount * float(HOURS_PER_MONTH), rate))
    return components


def _quantity(value: Any, name: str) -> Decimal | None:
    if value is None:
        return None
    if is_unknown(value):
        raise Unpriced(f"limits.{name} cannot be evaluated: {value.reason}")
    try:
        return parse_quantity(value)
    except QuantityError as exc:
        raise Unpriced(f"limits.{name}: {exc}") from None
