"""Cloud KMS crypto keys: key versions per month by protection level and algorithm, and
cryptographic operations as usage.

`version_template` unset is a SOFTWARE GOOGLE_SYMMETRIC_ENCRYPTION key (the provider's and
Cloud KMS's default, a note). Every enabled version is billed each month: without the usage key
`key_versions` the key is priced with its one primary version, and a `rotation_period` adds a
version each period (a note: destroyed versions stop billing, so only a usage file can say how
many are kept). HSM versions of asymmetric algorithms are tiered: the first 2,000 a month at one
price, the rest at another (per billing account; here per key). EXTERNAL and EXTERNAL_VPC keys,
and algorithms without a catalog price, are listed missing.

The key's location is its key ring's; the model reads the region the configuration prices in.

Catalog keys (service `kms`): `<LEVEL>/<ALGORITHM>/version` (per version-month; HSM tiers
`HSM/<ALGORITHM>/version/first-2k` and `/over-2k`), `<LEVEL>/<ALGORITHM>/operations` (per 10k).
Usage keys (Infracost's): `key_versions`, `monthly_key_operations`.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import PricingContext, Unpriced, first_block, number, per_month, text

_LEVELS = ("SOFTWARE", "HSM", "EXTERNAL", "EXTERNAL_VPC")
HSM_TIER = 2_000.0


def kms_crypto_key(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "gcp")
    template = first_block(resource, "version_template") or {}
    level = text(template.get("protection_level"), "version_template.protection_level") or "SOFTWARE"
    algorithm = text(template.get("algorithm"), "version_template.algorithm") or "GOOGLE_SYMMETRIC_ENCRYPTION"
    if not template:
        ctx.notes.append("version_template unset: a SOFTWARE GOOGLE_SYMMETRIC_ENCRYPTION key, the default")
    if level not in _LEVELS:
        raise Unpriced(f"version_template.protection_level {level!r} is not one of {', '.join(_LEVELS)}")
    rotation = text(resource.attrs.get("rotation_period"), "rotation_period")
    given = ctx.usage.get(resource, "key_versions")
    versions = number(given, "usage key_versions", 1.0)
    if given is None:
        ctx.notes.append("priced with one key version (the primary); set key_versions for more"
                         + (f": rotation_period {rotation} adds one each period until old ones are destroyed"
                            if rotation else ""))
    components: list[CostComponent] = []
    prefix = f"{level}/{algorithm}"
    tiered = ctx.maybe_price("gcp", "kms", region, f"{prefix}/version/first-2k")
    if tiered is not None:
        first = min(versions, HSM_TIER)
        components.append(per_month("Key versions (first 2K)", first, "months", tiered))
        if versions > HSM_TIER:
            with ctx.part("Key versions (over 2K)"):
                price = ctx.price("gcp", "kms", region, f"{prefix}/version/over-2k",
                                  what=f"Cloud KMS {level} {algorithm} versions over 2K")
                components.append(per_month("Key versions (over 2K)", versions - HSM_TIER, "months", price))
    else:
        with ctx.part(f"Key versions ({level})"):
            price = ctx.price("gcp", "kms", region, f"{prefix}/version", what=f"Cloud KMS {level} {algorithm} version")
            components.append(per_month(f"Key versions ({level})", versions, "months", price))
    with ctx.part("Operations"):
        price = ctx.price("gcp", "kms", region, f"{prefix}/operations", what=f"Cloud KMS {level} {algorithm} operations")
        components.append(per_month("Operations", ctx.usage_value(resource, "monthly_key_operations") / 10_000,
                                    "10k operations", price, usage_based=True))
    return components
