"""AWS Private CA certificate authorities: a monthly fee per CA by its mode, and the certificates
it issues as usage.

`usage_mode` unset is GENERAL_PURPOSE (the provider's default, stated as a note). A
general-purpose CA's certificates are tiered by the month's count (first 1,000, next 9,000, over
10,000, per AWS account and region, here per CA); a short-lived certificate CA's have one price.

Catalog keys (service `acmpca`): `general-purpose/month`, `short-lived/month` (per CA-month),
`certificates/first-1k`, `certificates/next-9k`, `certificates/over-10k`,
`certificates/short-lived` (per certificate).
Usage key (Infracost's): `monthly_requests` (certificates issued a month).
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import PricingContext, Unpriced, per_month, text

_MODES = {"GENERAL_PURPOSE": "general-purpose", "SHORT_LIVED_CERTIFICATE": "short-lived"}
# (component name, catalog key, certificates in the tier; None for the rest)
_TIERS = (("Certificates (first 1K)", "certificates/first-1k", 1_000),
          ("Certificates (next 9K)", "certificates/next-9k", 9_000),
          ("Certificates (over 10K)", "certificates/over-10k", None))


def certificate_authority(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    mode = text(resource.attrs.get("usage_mode"), "usage_mode")
    if not mode:
        ctx.notes.append("usage_mode unset: GENERAL_PURPOSE, the provider's default")
        mode = "GENERAL_PURPOSE"
    if mode not in _MODES:
        raise Unpriced(f"usage_mode {mode!r} is not one of {', '.join(_MODES)}")
    kind = _MODES[mode]
    components: list[CostComponent] = []
    name = "Private certificate authority" + (" (short-lived certificate mode)" if kind == "short-lived" else "")
    with ctx.part(name):
        price = ctx.price("aws", "acmpca", region, f"{kind}/month", what=f"Private CA ({kind})")
        components.append(per_month(name, 1, "months", price))
    issued = ctx.usage_value(resource, "monthly_requests")
    if kind == "short-lived":
        with ctx.part("Certificates (short-lived)"):
            price = ctx.price("aws", "acmpca", region, "certificates/short-lived", what="short-lived certificates")
            components.append(per_month("Certificates (short-lived)", issued, "certificates", price, usage_based=True))
        return components
    left = issued
    for index, (label, key, size) in enumerate(_TIERS):
        # Later tiers are listed only when the usage reaches them; the first is always listed.
        if index and left <= 0:
            break
        quantity = left if size is None else min(left, size)
        left -= quantity
        with ctx.part(label):
            price = ctx.price("aws", "acmpca", region, key, what=f"Private CA {label.lower()}")
            components.append(per_month(label, quantity, "certificates", price, usage_based=True))
    return components
