"""ACM certificates and AWS Private CA certificates: no monthly charge of their own.

A public ACM certificate is free. A private one (ACM with `certificate_authority_arn`, or
`aws_acmpca_certificate`) is charged once, when the CA issues it, at the CA's certificate tiers
($0.75 each for the first 1,000 a month in general-purpose mode, us-east-1): a one-time charge, not
a monthly one, so the resource costs 0 a month and a note says where the issuance is counted (the
`monthly_requests` usage of the aws_acmpca_certificate_authority that issues it).
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import PricingContext

_ISSUANCE = ("issued once by a private CA: a one-time charge at the CA's certificate tiers, not a monthly "
             "one; count the certificates a month in the CA's usage (aws_acmpca_certificate_authority "
             "monthly_requests)")


def acm_certificate(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    # Any value, an unevaluated reference to a CA included, names a private CA; the monthly cost is
    # 0 either way, only the note differs.
    authority = resource.attrs.get("certificate_authority_arn")
    ctx.notes.append(_ISSUANCE if authority not in (None, "") else "public ACM certificates are free")
    return []


def acmpca_certificate(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    ctx.notes.append(_ISSUANCE)
    return []
