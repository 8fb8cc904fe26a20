"""Secrets Manager secrets: a monthly fee per secret, and API calls as usage.

Each replica region (`replica` blocks) is billed as a secret of its own, priced in its region.

Catalog keys (service `secretsmanager`): `secret/month`, `api-requests` (per 10k requests).
Usage key: `monthly_requests`.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import PricingContext, blocks, per_month, required_text


def secretsmanager_secret(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    components: list[CostComponent] = []
    with ctx.part("Secret"):
        price = ctx.price("aws", "secretsmanager", region, "secret/month", what="Secrets Manager secret")
        components.append(per_month("Secret", 1, "months", price))
    for replica in blocks(resource.attrs.get("replica"), "replica"):
        where = required_text(replica.get("region"), "replica.region")
        with ctx.part(f"Replica secret ({where})"):
            price = ctx.price("aws", "secretsmanager", where, "secret/month", what=f"Secrets Manager secret in {where}")
            components.append(per_month(f"Replica secret ({where})", 1, "months", price))
    with ctx.part("API requests"):
        price = ctx.price("aws", "secretsmanager", region, "api-requests", what="Secrets Manager API requests")
        components.append(per_month("API requests", ctx.usage_value(resource, "monthly_requests") / 10_000,
                                    "10k requests", price, usage_based=True))
    return components
