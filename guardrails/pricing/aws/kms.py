"""KMS keys: a monthly fee per customer managed key, and requests as usage.

Requests are priced by the key's spec: symmetric and HMAC keys and RSA 2048 at one price, other
asymmetric keys at AWS's asymmetric price. `customer_master_key_spec` unset is SYMMETRIC_DEFAULT,
the provider's default.

Catalog keys (service `kms`): `key/month`, `requests/symmetric`, `requests/rsa-2048`,
`requests/asymmetric` (per 10k requests). Usage key: `monthly_requests`.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import PricingContext, flag, per_month, text


def _request_kind(spec: str) -> str:
    if spec == "SYMMETRIC_DEFAULT" or spec.startswith("HMAC_"):
        return "symmetric"
    return "rsa-2048" if spec == "RSA_2048" else "asymmetric"


def kms_key(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "aws")
    spec = (text(attrs.get("customer_master_key_spec"), "customer_master_key_spec")
            or text(attrs.get("key_spec"), "key_spec") or "SYMMETRIC_DEFAULT")
    kind = _request_kind(spec)
    components: list[CostComponent] = []
    with ctx.part("Customer managed key"):
        price = ctx.price("aws", "kms", region, "key/month", what="KMS customer managed key")
        components.append(per_month("Customer managed key", 1, "months", price))
    label = f"Requests ({spec})"
    with ctx.part(label):
        price = ctx.price("aws", "kms", region, f"requests/{kind}", what=f"KMS {kind} requests")
        components.append(per_month(label, ctx.usage_value(resource, "monthly_requests") / 10_000, "10k requests",
                                    price, usage_based=True))
    if flag(attrs.get("enable_key_rotation"), "enable_key_rotation"):
        ctx.notes.append("key rotation: AWS bills each of the first two rotated key versions as a key, not priced")
    return components
