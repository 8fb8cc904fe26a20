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
    hour = ctx.price("aws", "natgateway", region, "hour", what="NAT gateway")
    data = ctx.price("aws", "natgateway", region, "data-processed", what="NAT gateway data processed")
    return [hours("NAT gateway", hour),
            per_month("Data processed", ctx.usage_value(resource, "monthly_data_processed_gb"), "GB", data, usage_based=True)]


def load_balancer(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    kind = text(resource.attrs.get("load_balancer_type"), "load_balancer_type") or "application"
    if kind not in ("application", "network"):
        raise Unpriced(f"{kind} load balancers are not modelled")
    hour = ctx.price("aws", "elb", region, f"{kind}/hour", what=f"{kind} load balancer")
    lcu = ctx.price("aws", "elb", region, f"{kind}/lcu", what=f"{kind} load balancer capacity units")
    label = "Application" if kind == "application" else "Network"
    return [hours(f"{label} load balancer", hour),
            per_month("Load balancer capacity units", ctx.usage_value(resource, "monthly_lcu_hours"), "LCU-hours",
                      lcu, usage_based=True)]


def classic_elb(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    hour = ctx.price("aws", "elb", region, "classic/hour", what="classic load balancer")
    data = ctx.price("aws", "elb", region, "classic/data", what="classic load balancer data processed")
    return [hours("Classic load balancer", hour),
            per_month("Data processed", ctx.usage_value(resource, "monthly_data_processed_gb"), "GB", data, usage_based=True)]
