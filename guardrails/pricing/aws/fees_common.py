"""What the fee modules share: a list's length, a tiered usage quantity, a referenced resource.

Kept apart from the services so that each fee module imports it without importing another service.
"""
from __future__ import annotations

from typing import Any, Sequence

from guardrails.core.model import CostComponent, Resource, is_unknown
from guardrails.pricing.base import PricingContext, Unpriced, known, per_month
from guardrails.providers.references import references


def list_length(value: Any, what: str) -> int:
    """How many items a list attribute holds (0 when unset); Unpriced when the list is Unknown.

    An item that is Unknown (`[aws_subnet.a.id, aws_subnet.b.id]` before apply) still counts: how
    many there are is known.
    """
    value = known(value, what)
    if value is None:
        return 0
    if not isinstance(value, (list, tuple)):
        raise Unpriced(f"{what} is not a list")
    return len(value)


def tiered(ctx: PricingContext, resource: Resource, service: str, region: str, usage_key: str,
           tiers: Sequence[tuple[str, str, float | None]], unit: str, per: float = 1.0) -> list[CostComponent]:
    """Usage-based tiers: (label, catalog key, size of the tier or None for the last), in order.

    The first tier is always listed (at 0 without a usage file); a later one only when the usage
    reaches it, as the provider bills it. `per` turns the usage quantity into the priced unit.
    """
    remaining = ctx.usage_value(resource, usage_key) / per
    components: list[CostComponent] = []
    for index, (label, key, size) in enumerate(tiers):
        if index and remaining <= 0:
            break
        quantity = remaining if size is None else min(remaining, size)
        remaining -= quantity
        with ctx.part(label):
            price = ctx.price("aws", service, region, key, what=f"{service} {label.lower()}")
            components.append(per_month(label, quantity, unit, price, usage_based=True))
    return components


def referenced(ctx: PricingContext, resource: Resource, value: Any, rtype: str, what: str,
               names: Sequence[str] = ("id", "arn", "name")) -> list[Resource]:
    """The resources of type `rtype` that `value` can mean, among the scanned resources (several
    when it indexes a counted one: the caller checks that they agree).

    A reference Terraform cannot evaluate before apply is an Unknown whose reason names it
    ("depends on aws_ecs_task_definition.app.arn"); a literal matches the resources whose `names`
    attributes carry it. Unpriced when none is meant.
    """
    resources = ctx.resources
    if is_unknown(value):
        reason = value.reason
        for reference in references(value):
            if reference.type != rtype:
                continue
            base = reference.base
            if reference.any_instance:
                found = [r for r in ctx.of_type(rtype) if r.address.startswith(base + "[")]
            else:
                found = [resources[base + reference.index]] if base + reference.index in resources else []
            if not found:
                raise Unpriced(f"{what} refers to {base}{reference.index}, which is not among the scanned resources")
            return found
        raise Unpriced(f"{what} cannot be evaluated: {reason}")
    if isinstance(value, str) and value:
        found = [r for r in ctx.of_type(rtype) if any(r.attrs.get(k) == value for k in names)]
        if not found:
            raise Unpriced(f"{what} {value!r} is not among the scanned resources")
        return found
    raise Unpriced(f"{what} is not set")
