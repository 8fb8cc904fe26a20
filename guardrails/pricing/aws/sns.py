"""SNS topics: publish requests as usage, and for a FIFO topic its payload.

Every 64 KB of a standard topic's request is billed as one request. A FIFO topic (`fifo_topic`)
has a request price of its own and bills its payload per GB instead. Deliveries to subscribers (HTTP, email,
SMS, mobile push, ...) are billed by endpoint type and are not priced here (a note says so).

Catalog keys (service `sns`): `standard/requests`, `fifo/requests` (per 1M requests),
`fifo/payload` (per GB).
Usage keys (Infracost's): `monthly_requests`, `request_size_kb` (64 when not given).
"""
from __future__ import annotations

import math

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import PricingContext, flag, number, per_month

CHUNK_KB = 64.0


def sns_topic(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    fifo = flag(resource.attrs.get("fifo_topic"), "fifo_topic")
    size = number(ctx.usage.get(resource, "request_size_kb"), "usage request_size_kb", CHUNK_KB)
    requests = ctx.usage_value(resource, "monthly_requests")
    components: list[CostComponent] = []
    if fifo:
        with ctx.part("FIFO publish API requests"):
            price = ctx.price("aws", "sns", region, "fifo/requests", what="SNS FIFO publish requests")
            # A FIFO publish is one request whatever its size: the size is billed as payload.
            components.append(per_month("FIFO publish API requests", requests / 1_000_000, "1M requests", price,
                                        usage_based=True))
        with ctx.part("FIFO publish API payload"):
            price = ctx.price("aws", "sns", region, "fifo/payload", what="SNS FIFO publish payload")
            # KB to GB in decimal units, as AWS bills payload.
            components.append(per_month("FIFO publish API payload", requests * size / 1_000_000, "GB", price,
                                        usage_based=True))
    else:
        with ctx.part("API requests"):
            price = ctx.price("aws", "sns", region, "standard/requests", what="SNS API requests")
            billed = requests * max(1, math.ceil(size / CHUNK_KB))
            components.append(per_month("API requests", billed / 1_000_000, "1M requests", price, usage_based=True))
        ctx.notes.append("the free tier (1M requests a month per account) is not taken off")
    ctx.notes.append("deliveries to subscriptions are billed by endpoint type and not priced")
    return components
