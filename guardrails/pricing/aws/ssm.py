"""Systems Manager Parameter Store parameters: Advanced tier storage per parameter-month, and API
interactions as usage.

Standard tier parameters (`tier` unset is Standard, the provider's default) cost nothing to store,
and their API interactions are free at standard throughput; they are billed only when the
account turns on higher throughput (usage `api_throughput_limit: higher`, Infracost's key, which
also takes `advanced`). An Advanced parameter's interactions are always billed.
`Intelligent-Tiering` lets AWS choose: priced as Standard with a note, since the tier is only
known after apply.

Catalog keys (service `ssm`): `advanced-parameter/month` (per parameter-month),
`api-interactions/higher-throughput` (per 10k interactions).
Usage keys (Infracost's): `parameter_storage_hrs` (730 when not given), `monthly_api_interactions`,
`api_throughput_limit`.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import HOURS_PER_MONTH, PricingContext, Unpriced, number, per_month, text

_TIERS = ("Standard", "Advanced", "Intelligent-Tiering")


def ssm_parameter(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    tier = text(resource.attrs.get("tier"), "tier") or "Standard"
    if tier not in _TIERS:
        raise Unpriced(f"tier {tier!r} is not one of {', '.join(_TIERS)}")
    throughput = ctx.usage.get(resource, "api_throughput_limit")
    higher = isinstance(throughput, str) and throughput.lower() in ("higher", "advanced")
    components: list[CostComponent] = []
    if tier == "Advanced":
        stored = number(ctx.usage.get(resource, "parameter_storage_hrs"), "usage parameter_storage_hrs",
                        HOURS_PER_MONTH)
        with ctx.part("Parameter storage (advanced)"):
            price = ctx.price("aws", "ssm", region, "advanced-parameter/month", what="SSM advanced parameter")
            components.append(per_month("Parameter storage (advanced)", stored / HOURS_PER_MONTH, "months", price))
    else:
        if tier == "Intelligent-Tiering":
            ctx.notes.append("Intelligent-Tiering: priced as Standard (free); AWS makes it Advanced "
                             "($ per month) when its value or policies need it")
        else:
            ctx.notes.append("Standard tier parameters are stored at no charge")
    if tier == "Advanced" or higher:
        name = "API interactions" + (" (advanced)" if tier == "Advanced" else " (higher throughput)")
        with ctx.part(name):
            price = ctx.price("aws", "ssm", region, "api-interactions/higher-throughput",
                              what="SSM API interactions")
            components.append(per_month(name, ctx.usage_value(resource, "monthly_api_interactions") / 10_000,
                                        "10k interactions", price, usage_based=True))
    return components
