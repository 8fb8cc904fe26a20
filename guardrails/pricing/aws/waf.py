"""WAF (v2) web ACLs: a monthly fee per web ACL, per rule, and requests as usage.

Each `rule` block of the web ACL is a rule-month, a reference to a rule group or a managed rule
group included (each counts as one rule of the ACL). The rules inside those groups are not in the
web ACL's configuration, so they are usage (Infracost's keys), priced as rules.

Catalog keys (service `waf`): `web-acl/month`, `rule/month`, `requests` (per 1M).
Usage keys: `rule_group_rules`, `managed_rule_group_rules`, `monthly_requests`.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import PricingContext, blocks, per_month


def wafv2_web_acl(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    rules = len(blocks(resource.attrs.get("rule"), "rule"))
    components: list[CostComponent] = []
    with ctx.part("Web ACL"):
        price = ctx.price("aws", "waf", region, "web-acl/month", what="WAF web ACL")
        components.append(per_month("Web ACL", 1, "months", price))
    with ctx.part("Rules"):
        price = ctx.price("aws", "waf", region, "rule/month", what="WAF rules")
        if rules:
            components.append(per_month("Rules", rules, "rules", price))
        grouped = ctx.usage_value(resource, "rule_group_rules") + ctx.usage_value(resource, "managed_rule_group_rules")
        components.append(per_month("Rules in rule groups", grouped, "rules", price, usage_based=True))
    with ctx.part("Requests"):
        price = ctx.price("aws", "waf", region, "requests", what="WAF requests")
        components.append(per_month("Requests", ctx.usage_value(resource, "monthly_requests") / 1_000_000,
                                    "1M requests", price, usage_based=True))
    return components
