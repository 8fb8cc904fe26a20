"""Key Vault: `azurerm_key_vault` bills its operations by SKU, `azurerm_key_vault_key` its key
operations, and an HSM-protected key (key_type `RSA-HSM` or `EC-HSM`, premium vaults only) per
key-month.

A vault has no monthly fee: its secrets operations (secrets, and software-key management calls)
and storage-account key rotations are usage, priced at its `sku_name` (standard or premium).
A key's cryptographic operations are usage, at the price of its protection (software or HSM) and
strength: RSA 2048 one price, RSA 3072/4096 and EC keys ("advanced") another. An HSM key is billed
each month; advanced HSM keys are tiered by the count a vault holds (first 250, next 1,250,
next 2,500, over 4,000). Each key version counts as a key: the usage key `hsm_protected_keys`
(Infracost's) gives the count, 1 (the key) when not given. A key takes its vault's location
(`key_vault_id`), else the provider's or the policy's region.

Catalog keys (service `key-vault`): `<sku>/secrets-operations` (per 10k), `<sku>/key-rotations`
(per renewal); `software/<strength>/operations` and `hsm/<strength>/operations` (per 10k; strength
`rsa-2048` or `advanced`), `hsm/rsa-2048/month`, `hsm/advanced/month/first-250`, `/next-1250`,
`/next-2500`, `/over-4000` (per key-month).
Usage keys (Infracost's): `monthly_secrets_operations`, `monthly_key_rotation_renewals` (vault);
`monthly_protected_keys_operations`, `hsm_protected_keys` (key).
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.azure_references import referenced, region, region_of
from guardrails.pricing.base import PricingContext, Unpriced, number, per_month, required_text

_SKUS = ("standard", "premium")
_KEY_TYPES = ("RSA", "RSA-HSM", "EC", "EC-HSM", "oct", "oct-HSM")
# (label, key suffix, keys in the tier; None for the rest)
_HSM_TIERS = (("first 250", "first-250", 250.0), ("next 1250", "next-1250", 1_250.0),
              ("next 2500", "next-2500", 2_500.0), ("over 4000", "over-4000", None))


def key_vault(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    where = region(ctx, resource)
    sku = required_text(resource.attrs.get("sku_name"), "sku_name").lower()
    if sku not in _SKUS:
        raise Unpriced(f"sku_name {sku!r} is not one of {', '.join(_SKUS)}")
    components: list[CostComponent] = []
    with ctx.part("Secrets operations"):
        price = ctx.price("azure", "key-vault", where, f"{sku}/secrets-operations",
                          what=f"Key Vault {sku} secrets operations")
        components.append(per_month("Secrets operations", ctx.usage_value(resource, "monthly_secrets_operations")
                                    / 10_000, "10k operations", price, usage_based=True))
    with ctx.part("Storage key rotations"):
        price = ctx.price("azure", "key-vault", where, f"{sku}/key-rotations", what=f"Key Vault {sku} key rotations")
        components.append(per_month("Storage key rotations", ctx.usage_value(resource, "monthly_key_rotation_renewals"),
                                    "renewals", price, usage_based=True))
    ctx.notes.append("a vault has no monthly fee; its keys' operations are priced on azurerm_key_vault_key")
    return components


def _strength(key_type: str, size: float | None) -> str:
    if key_type.startswith("RSA"):
        # RSA 2048 is billed at the lower rate; 3072 and 4096 as advanced keys.
        return "rsa-2048" if size == 2048 else "advanced"
    return "advanced"


def key_vault_key(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    vault = referenced(ctx, resource, attrs.get("key_vault_id"), "azurerm_key_vault")
    where = region_of(ctx, resource, vault, "its key vault (key_vault_id)")
    key_type = required_text(attrs.get("key_type"), "key_type")
    if key_type not in _KEY_TYPES:
        raise Unpriced(f"key_type {key_type!r} is not one of {', '.join(_KEY_TYPES)}")
    if key_type.startswith("oct"):
        raise Unpriced(f"key_type {key_type}: symmetric keys live in Managed HSM pools, billed per pool-hour")
    # The provider requires key_size for RSA keys: unset, the key is unpriced with that reason.
    size = number(attrs.get("key_size"), "key_size") if key_type.startswith("RSA") else None
    strength = _strength(key_type, size)
    hsm = key_type.endswith("-HSM")
    # Only a note: the key is priced the same whatever its vault says, so an unreadable SKU is no reason to stop.
    if hsm and vault is not None and vault.attrs.get("sku_name") == "standard":
        ctx.notes.append("an HSM-protected key needs a premium vault; its vault is standard")
    protection = "hsm" if hsm else "software"
    components: list[CostComponent] = []
    if hsm:
        keys = number(ctx.usage.get(resource, "hsm_protected_keys"), "usage hsm_protected_keys", 1.0)
        components.extend(_hsm_keys(ctx, where, strength, keys))
    label = f"{'HSM' if hsm else 'Software'}-protected key operations"
    with ctx.part(label):
        price = ctx.price("azure", "key-vault", where, f"{protection}/{strength}/operations",
                          what=f"Key Vault {protection} {strength} key operations")
        components.append(per_month(label, ctx.usage_value(resource, "monthly_protected_keys_operations") / 10_000,
                                    "10k operations", price, usage_based=True))
    return components


def _hsm_keys(ctx: PricingContext, where: str, strength: str, keys: float) -> list[CostComponent]:
    if strength == "rsa-2048":
        with ctx.part("HSM-protected keys"):
            price = ctx.price("azure", "key-vault", where, "hsm/rsa-2048/month", what="Key Vault HSM RSA 2048 key")
            return [per_month("HSM-protected keys", keys, "months", price)]
        return []
    components: list[CostComponent] = []
    left = keys
    for label, suffix, size in _HSM_TIERS:
        if left <= 0:
            break
        quantity = left if size is None else min(left, size)
        left -= quantity
        name = f"HSM-protected keys ({label})"
        with ctx.part(name):
            price = ctx.price("azure", "key-vault", where, f"hsm/advanced/month/{suffix}",
                              what=f"Key Vault HSM key ({label})")
            components.append(per_month(name, quantity, "months", price))
    return components


MODELS = {"azurerm_key_vault": key_vault, "azurerm_key_vault_key": key_vault_key}
