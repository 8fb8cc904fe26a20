"""SQS queues: requests only, as usage.

Every 64 KB of a request's payload is billed as one request. A FIFO queue (`fifo_queue`) has a
price of its own.

Catalog keys (service `sqs`): `standard/requests`, `fifo/requests` (per 1M requests).
Usage keys (Infracost's): `monthly_requests`, `request_size_kb` (64 when not given).
"""
from __future__ import annotations

import math

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import PricingContext, flag, number, per_month

CHUNK_KB = 64.0


def sqs_queue(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    kind = "fifo" if flag(resource.attrs.get("fifo_queue"), "fifo_queue") else "standard"
    size = number(ctx.usage.get(resource, "request_size_kb"), "usage request_size_kb", CHUNK_KB)
    chunks = max(1, math.ceil(size / CHUNK_KB))
    requests = ctx.usage_value(resource, "monthly_requests") * chunks
    components: list[CostComponent] = []
    name = f"Requests ({kind})"
    with ctx.part(name):
        price = ctx.price("aws", "sqs", region, f"{kind}/requests", what=f"SQS {kind} requests")
        components.append(per_month(name, requests / 1_000_000, "1M requests", price, usage_based=True))
    ctx.notes.append("the free tier (1M requests a month per account) is not taken off")
    return components
