"""Route 53: hosted zones and Resolver endpoints, with their DNS queries.

A hosted zone is billed per month (the price of the first 25 zones of an account; AWS lists a lower
one beyond). A Resolver endpoint is billed for each of its IP addresses (one elastic network
interface per `ip_address` block) by the hour.

Catalog keys (service `route53`): `hosted-zone/month`, `standard-queries/first-1b`,
`standard-queries/over-1b`, `resolver-endpoint/eni-hour`, `resolver-queries/first-1b`,
`resolver-queries/over-1b` (queries per million).
Usage keys: `monthly_standard_queries` (aws_route53_zone, Infracost's aws_route53_record key),
`monthly_queries` (aws_route53_resolver_endpoint).
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.aws.common import GLOBAL_BILLING_REGION, times
from guardrails.pricing.aws.fees_common import tiered
from guardrails.pricing.base import PricingContext, Unpriced, blocks, hours, per_month

_BILLION = 1000.0  # in millions of queries
_ZONE_QUERIES = (("Standard queries (first 1B)", "standard-queries/first-1b", _BILLION),
                 ("Standard queries (over 1B)", "standard-queries/over-1b", None))
_RESOLVER_QUERIES = (("DNS queries (first 1B)", "resolver-queries/first-1b", _BILLION),
                     ("DNS queries (over 1B)", "resolver-queries/over-1b", None))


def route53_zone(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    # Hosted zones and their queries are billed globally: the same price whatever region the
    # provider block names (that is the price, not another region's).
    region = GLOBAL_BILLING_REGION
    components: list[CostComponent] = []
    with ctx.part("Hosted zone"):
        price = ctx.price("aws", "route53", region, "hosted-zone/month", what="Route 53 hosted zone")
        components.append(per_month("Hosted zone", 1, "months", price))
    components += tiered(ctx, resource, "route53", region, "monthly_standard_queries", _ZONE_QUERIES,
                         "1M queries", per=1_000_000)
    ctx.notes.append("hosted zone price of the first 25 zones of an account")
    return components


def route53_resolver_endpoint(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    interfaces = len(blocks(resource.attrs.get("ip_address"), "ip_address"))
    if interfaces == 0:
        raise Unpriced("ip_address is not set, so the number of endpoint interfaces is unknown")
    components: list[CostComponent] = []
    label = f"Resolver endpoint interfaces{times(interfaces)}"
    with ctx.part(label):
        components.append(hours(label, ctx.price("aws", "route53", region, "resolver-endpoint/eni-hour",
                                                 what="Resolver endpoint ENI-hours"), 730 * interfaces))
    components += tiered(ctx, resource, "route53", region, "monthly_queries", _RESOLVER_QUERIES,
                         "1M queries", per=1_000_000)
    return components
