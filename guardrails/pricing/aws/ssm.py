"""Systems Manager: Parameter Store parameters (Advanced tier storage per parameter-month, and API
interactions as usage), and hybrid activations (on-premises instances in the advanced tier).

Standard tier parameters (`tier` unset is Standard, the provider's default) cost nothing to store,
and their API interactions are free at standard throughput; they are billed only when the
account turns on higher throughput (usage `api_throughput_limit: higher`, Infracost's key, which
also takes `advanced`). An Advanced parameter's interactions are always billed.
`Intelligent-Tiering` lets AWS choose: priced as Standard with a note, since the tier is only
known after apply.

A hybrid activation registers on-premises servers: the standard tier (up to 1,000 servers an
account and region) is free; the advanced tier bills each server's hours. `registration_limit`
above 1,000 needs the advanced tier, so it is assumed there (a note says so), as the usage key
`instance_tier` can also say.

Catalog keys (service `ssm`): `advanced-parameter/month` (per parameter-month),
`api-interactions/higher-throughput` (per 10k interactions), `advanced-instance/hour`.
Usage keys (Infracost's): `parameter_storage_hrs` (730 when not given), `monthly_api_interactions`,
`api_throughput_limit`; on an activation `instance_tier` and `instances` (servers registered).
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


# Servers a standard-tier activation can register, per account and region (Systems Manager quotas).
STANDARD_TIER_SERVERS = 1000


def ssm_activation(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    tier = ctx.usage.get(resource, "instance_tier")
    if tier is None:
        limit = number(resource.attrs.get("registration_limit"), "registration_limit", 1)
        tier = "advanced" if limit > STANDARD_TIER_SERVERS else "standard"
        if tier == "advanced":
            ctx.notes.append(f"registration_limit above {STANDARD_TIER_SERVERS}: the advanced instance tier")
    if str(tier).lower() != "advanced":
        ctx.notes.append("standard tier on-premises instances are managed at no charge")
        return []
    name = "On-premises instances (advanced tier)"
    with ctx.part(name):
        price = ctx.price("aws", "ssm", region, "advanced-instance/hour", what="SSM advanced on-premises instances")
        servers = ctx.usage_value(resource, "instances")
        return [per_month(name, servers * HOURS_PER_MONTH, "instance-hours", price, usage_based=True)]
    return []
