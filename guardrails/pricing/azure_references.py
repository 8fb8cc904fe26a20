"""Azure resources that take their region from another one: a node pool from its cluster, a DNS
zone from its resource group. Found through `ctx.resources`, the resources of the same run."""
from __future__ import annotations

import re
from typing import Any

from guardrails.core.model import Resource, is_unknown
from guardrails.pricing.base import PricingContext, Unpriced

_REFERENCE = re.compile(r"^(?P<type>azurerm_[a-z_]+)\.(?P<name>[A-Za-z_][A-Za-z0-9_-]*)(?P<index>\[[^\]]*\])?(?:\.|$)")


def referenced(ctx: PricingContext, resource: Resource, value: Any, rtype: str) -> Resource | None:
    """The `rtype` resource an id attribute refers to, or None when it names none we scanned.

    An id is computed, so the loader leaves it Unknown with "depends on <address>.id"."""
    if not is_unknown(value) or not value.reason.startswith("depends on "):
        return None
    prefix = f"{resource.module}." if resource.module else ""
    for reference in value.reason[len("depends on "):].split(", "):
        match = _REFERENCE.match(reference.strip())
        if match and match.group("type") == rtype and match.group("index") != "[...]":
            found = ctx.resources.get(f"{prefix}{rtype}.{match.group('name')}{match.group('index') or ''}")
            if found is not None:
                return found
    return None


def resource_group(ctx: PricingContext, name: Any) -> Resource | None:
    """The scanned `azurerm_resource_group` of that name, or None."""
    if not isinstance(name, str) or not name:
        return None
    for _, found in sorted(ctx.resources.items()):
        if found.type == "azurerm_resource_group" and found.attrs.get("name") == name:
            return found
    return None


def region_of(ctx: PricingContext, resource: Resource, owner: Resource | None, what: str) -> str:
    """The region of the owner when it is known, else the resource's own (provider, policy)."""
    if owner is not None:
        return ctx.region(owner, "azure")
    try:
        return ctx.region(resource, "azure")
    except Unpriced as exc:
        raise Unpriced(f"the region is {what}'s, which is not among the scanned resources "
                       f"({exc.reason})") from None
