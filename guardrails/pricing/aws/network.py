"""NAT gateways and load balancers: an hourly price plus a usage-based part.

Usage keys: `monthly_data_processed_gb` (aws_nat_gateway, aws_elb) and `monthly_lcu_hours` (aws_lb,
aws_alb: LCU-hours a month, NLCU-hours for a network load balancer). Without a usage file those
parts are listed at 0, never dropped.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import PricingContext, Unpriced, hours, per_month, text


def nat_gateway(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    components: list[CostComponent] = []
    with ctx.part("NAT gateway"):
        components.append(hours("NAT gateway", ctx.price("aws", "natgateway", region, "hour", what="NAT gateway")))
    with ctx.part("Data processed"):
        data = ctx.price("aws", "natgateway", region, "data-processed", what="NAT gateway data processed")
        components.append(per_month("Data processed", ctx.usage_value(resource, "monthly_data_processed_gb"), "GB",
                                    data, usage_based=True))
    return components


def load_balancer(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    kind = text(resource.attrs.get("load_balancer_type"), "load_balancer_type") or "application"
    if kind not in ("application", "network"):
        raise Unpriced(f"{kind} load balancers are not modelled")
    label = "Application" if kind == "application" else "Network"
    components: list[CostComponent] = []
    with ctx.part(f"{label} load balancer"):
        hour = ctx.price("aws", "elb", region, f"{kind}/hour", what=f"{kind} load balancer")
        components.append(hours(f"{label} load balancer", hour))
    with ctx.part("Load balancer capacity units"):
        lcu = ctx.price("aws", "elb", region, f"{kind}/lcu", what=f"{kind} load balancer capacity units")
        components.append(per_month("Load balancer capacity units", ctx.usage_value(resource, "monthly_lcu_hours"),
                                    "LCU-hours", lcu, usage_based=True))
    return components


def classic_elb(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    components: list[CostComponent] = []
    with ctx.part("Classic load balancer"):
        components.append(hours("Classic load balancer",
                                ctx.price("aws", "elb", region, "classic/hour", what="classic load balancer")))
    with ctx.part("Data processed"):
        data = ctx.price("aws", "elb", region, "classic/data", what="classic load balancer data processed")
        components.append(per_month("Data processed", ctx.usage_value(resource, "monthly_data_processed_gb"), "GB",
                                    data, usage_based=True))
    return components
