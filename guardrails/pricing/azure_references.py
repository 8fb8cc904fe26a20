"""Azure resources that take their region from another one: a node pool from its cluster, a DNS
zone from its resource group, any resource whose `location` is its resource group's. Found
through `ctx.resources`, the resources of the same run."""
from __future__ import annotations

import dataclasses
from typing import Any

from guardrails.core.model import Resource, is_unknown
from guardrails.pricing.base import PricingContext, Unpriced
from guardrails.providers.references import references


def referenced(ctx: PricingContext, resource: Resource, value: Any, rtype: str) -> Resource | None:
    """The `rtype` resource an id attribute refers to, or None when it names none we scanned.

    An id is computed, so the loader leaves it Unknown with "depends on <address>.id"."""
    for reference in references(value):
        if reference.type == rtype and not reference.any_instance:
            found = ctx.resources.get(reference.address)
            if found is not None:
                return found
    return None


def region(ctx: PricingContext, resource: Resource) -> str:
    """`ctx.region`, with a `location` the loader left Unknown as a reference to another scanned
    resource's location (`location = azurerm_resource_group.rg.location`, the usual Azure
    spelling) read from that resource."""
    return ctx.region(_located(ctx, resource, 0), "azure")


def _located(ctx: PricingContext, resource: Resource, depth: int) -> Resource:
    found = references(resource.attrs.get("location")) if depth <= 3 else []
    if len(found) != 1 or found[0].attribute != "location" or found[0].any_instance:
        return resource
    owner = ctx.resources.get(found[0].address)
    if owner is None:
        return resource
    owner = _located(ctx, owner, depth + 1)
    if owner.attrs.get("location") is None:
        return resource
    return dataclasses.replace(resource, attrs={**resource.attrs, "location": owner.attrs["location"]})


def resource_group(ctx: PricingContext, resource: Resource, name: Any) -> Resource | None:
    """The scanned `azurerm_resource_group` that `name` (a resource_group_name) names, or None."""
    if is_unknown(name):
        return referenced(ctx, resource, name, "azurerm_resource_group")
    if not isinstance(name, str) or not name:
        return None
    for found in ctx.of_type("azurerm_resource_group"):
        if found.attrs.get("name") == name:
            return found
    return None


def region_of(ctx: PricingContext, resource: Resource, owner: Resource | None, what: str) -> str:
    """The region of the owner when it is known, else the resource's own (provider, policy)."""
    if owner is not None:
        return region(ctx, owner)
    try:
        return region(ctx, resource)
    except Unpriced as exc:
        raise Unpriced(f"the region is {what}'s, which is not among the scanned resources "
                       f"({exc.reason})") from None
