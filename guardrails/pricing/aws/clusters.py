"""The cluster a cluster instance belongs to (Aurora, DocumentDB, Neptune), found among the scanned
resources: an instance's engine and storage configuration are often written as references to its
cluster (`engine = aws_rds_cluster.main.engine`), which Terraform resolves only at apply.

Shared by the database service modules so that none of them imports another.
"""
from __future__ import annotations

from typing import Any

from guardrails.core.model import Resource, is_unknown
from guardrails.pricing.base import PricingContext
from guardrails.providers.references import references


def referenced(ctx: PricingContext, resource: Resource, value: Any, rtype: str,
               id_key: str = "cluster_identifier") -> Resource | None:
    """The resource of type `rtype` that `value` names, or None when none of the scanned ones is it.

    `value` is a reference Terraform could not resolve, or a literal identifier matched against
    each candidate's `id_key`. A reference into a counted resource with an unknown index is
    resolved only when every instance of it is the same for our purpose, so it is left out here.
    """
    if is_unknown(value):
        for reference in references(value):
            if reference.type == rtype and not reference.any_instance:
                return ctx.resources.get(reference.address)
        return None
    if isinstance(value, str) and value:
        found = [r for r in ctx.of_type(rtype) if r.module == resource.module and r.attrs.get(id_key) == value]
        return found[0] if len(found) == 1 else None
    return None


def inherited(ctx: PricingContext, resource: Resource, key: str, cluster: Resource | None) -> Any:
    """The instance's own `key`, or its cluster's when the instance's refers to it unresolved."""
    own = resource.attrs.get(key)
    if is_unknown(own) and cluster is not None:
        theirs = cluster.attrs.get(key)
        if theirs is not None:
            return theirs
    return own
