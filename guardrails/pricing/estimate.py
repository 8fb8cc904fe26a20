"""Price resources: pick each one's cost model, collect components or the reason it is unpriced."""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from decimal import Decimal
from types import ModuleType
from typing import Any, Mapping, Sequence

from guardrails.core.model import CostLine, Note, Resource, round_cents
from guardrails.core.policy import Settings
from guardrails.core.usage import Usage
from guardrails.pricing.base import PricingContext, Unpriced, WorstCaseUnknown
from guardrails.pricing.catalog import Catalog

# Resource.provider -> cost model module, imported only when a resource of it is priced.
MODEL_MODULES = {
    "aws": "guardrails.pricing.aws",
    "google": "guardrails.pricing.gcp",
    "google-beta": "guardrails.pricing.gcp",  # the same resource types, from the beta provider
    "azurerm": "guardrails.pricing.azure",
    "kubernetes": "guardrails.pricing.kubernetes",
}

# Providers that only compute values on the machine running Terraform: nothing to bill.
UTILITY_PROVIDERS = frozenset({"null", "random", "time", "tls", "local", "terraform", "archive",
                               "cloudinit", "external", "http"})

# Resources that install or create something guardrails cannot see into: unpriced with this
# reason, which the coverage figures count apart from types not modelled.
NOT_RENDERED = {
    "helm_release": "contents not rendered: a Helm release installs a chart's resources, which guardrails "
                    "does not render (price the chart's manifests, or its workloads, directly)",
    "kubectl_manifest": "contents not rendered: the manifest in yaml_body is not read yet",
    "azapi_resource": "contents not rendered: an azapi_resource creates an Azure resource of any type from "
                      "its body, which is not priced",
}
# azapi resources that act on, or update, a resource made elsewhere: billed there, not here.
AZAPI_FREE = frozenset({"azapi_update_resource", "azapi_resource_action"})
# The providers that have cost models; others (a SaaS such as okta or github, or a cloud
# guardrails does not price) are unpriced for that reason, not "type not modelled".
PRICED_PROVIDERS = frozenset(MODEL_MODULES)


@dataclass
class Estimate:
    lines: list[CostLine] = field(default_factory=list)
    free: int = 0  # resources that cost nothing by themselves (IAM, security groups, Services)
    used: set[tuple[str, str, str, str]] = field(default_factory=set)  # catalog keys read
    notes: list[Note] = field(default_factory=list)

    @property
    def total(self) -> float:
        return round_cents(float(sum((Decimal(repr(line.monthly)) for line in self.lines if line.monthly is not None), Decimal(0))))

    @property
    def unpriced(self) -> list[CostLine]:
        return [line for line in self.lines if line.unpriced is not None]


def modelled_types() -> dict[str, dict[str, list[str]]]:
    """Per Terraform provider (and Kubernetes kinds), the types priced and those known to be free."""
    found: dict[str, dict[str, list[str]]] = {}
    for provider in ("aws", "google", "azurerm", "kubernetes"):
        module = importlib.import_module(MODEL_MODULES[provider])
        found[provider] = {"priced": sorted(getattr(module, "MODELS", {})),
                           "free": sorted(getattr(module, "FREE_TYPES", ())),
                           "free_suffixes": sorted(getattr(module, "FREE_SUFFIXES", ()))}
    return found


def _module(provider: str) -> ModuleType | None:
    name = MODEL_MODULES.get(provider)
    return importlib.import_module(name) if name else None


def estimate(resources: Sequence[Resource], catalog: Catalog, settings: Settings | None = None,
             usage: Usage | None = None, environment_regions: Mapping[str, str] | None = None) -> Estimate:
    """Price each managed resource. `environment_regions` is the region each cloud's provider would
    take from the environment (the CLI reads AWS_REGION and the like), used where the
    configuration names none."""
    ctx = PricingContext(catalog=catalog, settings=settings or Settings(), usage=usage or Usage(),
                         resources={r.address: r for r in resources},
                         environment_regions=dict(environment_regions or {}))
    result = Estimate()
    for resource in resources:
        if resource.mode != "managed":
            continue
        line = _price(resource, ctx)
        if line is None:
            result.free += 1
        else:
            result.lines.append(line)
    result.lines.sort(key=lambda line: (line.file, line.line, line.address))
    result.used = set(ctx.used)
    return result


def _price(resource: Resource, ctx: PricingContext) -> CostLine | None:
    """The resource's cost line, or None when it costs nothing by itself."""
    base = dict(address=resource.address, type=resource.type, file=resource.location.file, line=resource.location.line)
    if resource.unknown:
        return CostLine(**base, unpriced=resource.unknown)
    module = _module(resource.provider)
    model = getattr(module, "MODELS", {}).get(resource.type) if module else None
    if model is None:
        if module is not None and (resource.type in getattr(module, "FREE_TYPES", ())
                                   or resource.type.endswith(getattr(module, "FREE_SUFFIXES", ()))):
            return None
        if module is None and (resource.provider in UTILITY_PROVIDERS or resource.type in AZAPI_FREE):
            return None
        if resource.kind == "kubernetes":
            return None  # kinds without a cost model (Service, ConfigMap, ...) cost nothing themselves
        if resource.type in NOT_RENDERED:
            return CostLine(**base, unpriced=NOT_RENDERED[resource.type])
        if module is None:
            return CostLine(**base, unpriced=f"provider {resource.provider} is not priced (guardrails prices AWS, "
                                             "Google Cloud, Azure and Kubernetes)")
        return CostLine(**base, unpriced=f"resource type {resource.type} is not modelled")
    count_unknown = resource.meta.get("count_unknown")
    if count_unknown:
        return CostLine(**base, unpriced=f"{count_unknown}, so the number of instances is unknown")
    ctx.notes = []
    ctx.missing = []
    ctx.usage.asked.clear()
    ctx.scales = False
    try:
        components = model(resource, ctx)
    except Unpriced as exc:
        return CostLine(**base, unpriced=exc.reason, notes=tuple(ctx.notes))
    base["usage_keys"] = tuple(ctx.usage.asked)
    missing = tuple(ctx.missing)
    notes = tuple(ctx.notes)
    if missing and not components:
        # Nothing priced: the resource is unpriced, not "at least $0".
        reasons = list(dict.fromkeys(part.reason for part in missing))
        return CostLine(**base, unpriced="; ".join(reasons), notes=notes)
    if ctx.scales:
        base.update(_worst_case(model, resource, ctx))
    return CostLine(**base, components=tuple(components), notes=notes, missing=missing)


def _worst_case(model: Any, resource: Resource, ctx: PricingContext) -> dict[str, Any]:
    """The resource priced again with every cap it has at its maximum (ctx.scaled)."""
    ctx.notes, ctx.missing, ctx.at_max = [], [], True
    try:
        components = model(resource, ctx)
    except WorstCaseUnknown as exc:
        return {"worst_case_unknown": exc.reason}
    except Unpriced as exc:
        return {"worst_case_unknown": f"at its maximum: {exc.reason}"}
    finally:
        ctx.at_max = False
    return {"worst_case": round_cents(sum(c.monthly for c in components))}


def cost_block(result: Estimate, catalog: Catalog, today: Any) -> dict[str, Any]:
    """The JSON report's `cost` block (DESIGN.md), outside diff: before and delta are null."""
    sources = catalog.sources_used(result.used)
    stale = {s.id for s in catalog.stale_sources(today, [s.id for s in sources])}
    return {
        "currency": "USD",
        "monthly": {"before": None, "after": result.total, "delta": None},
        "resources": [_line_json(line) for line in result.lines],
        "unpriced": len(result.unpriced),
        "incomplete": sum(1 for line in result.lines if line.incomplete),
        # Which totals leave out a part without a price (lower bounds), shaped like `monthly`.
        "lower_bound": {"before": None, "after": any(line.incomplete for line in result.lines), "delta": None},
        "catalog": [{"id": s.id, "name": s.name, "published": s.published, "stale": s.id in stale} for s in sources],
    }


def _line_json(line: CostLine) -> dict[str, Any]:
    monthly = line.monthly
    return {
        "address": line.address, "type": line.type, "file": line.file, "line": line.line,
        "monthly": {"before": None, "after": monthly, "delta": None},
        "components": [
            {"name": c.name, "unit": c.unit, "quantity": c.quantity, "unit_price": c.unit_price,
             "monthly": round_cents(c.monthly), "usage_based": c.usage_based}
            for c in line.components
        ],
        "unpriced": line.unpriced,
        "incomplete": line.incomplete,
        "missing": [{"name": part.name, "reason": part.reason} for part in line.missing],
        "usage_keys": list(line.usage_keys),
        "worst_case": {"before": None, "after": line.worst, "delta": None},
        "worst_case_unknown": line.worst_case_unknown,
        "notes": list(line.notes),
    }

