"""Pub/Sub topics: message ingestion (publish throughput) as usage.

Subscriptions bill their own delivery throughput and retained messages (google_pubsub_subscription,
not priced here). The first 10 GiB a month of a billing account is free: not taken off, a note.
Pub/Sub is global: the rate is read in the region the configuration prices in.

Catalog key (service `pubsub`): `message-data` (per TiB). Usage key (Infracost's):
`monthly_message_data_tb` (TiB a month).
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import PricingContext, per_month


def pubsub_topic(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "gcp")
    components: list[CostComponent] = []
    with ctx.part("Message ingestion data"):
        price = ctx.price("gcp", "pubsub", region, "message-data", what="Pub/Sub message data")
        components.append(per_month("Message ingestion data", ctx.usage_value(resource, "monthly_message_data_tb"),
                                    "TiB", price, usage_based=True))
    ctx.notes.append("the free tier (10 GiB a month per billing account) is not taken off")
    return components
