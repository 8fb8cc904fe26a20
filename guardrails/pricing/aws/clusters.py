"""The cluster a cluster instance belongs to (Aurora, DocumentDB, Neptune), found among the scanned
resources: an instance's engine and storage configuration are often written as references to its
cluster (`engine = aws_rds_cluster.main.engine`), which Terraform resolves only at apply.

Shared by the database service modules so that none of them imports another.
"""
from __future__ import annotations

import re
from typing import Any

from guardrails.core.model import Resource, is_unknown
from guardrails.pricing.base import PricingContext

# The Terraform loader writes an unresolved reference as "depends on aws_rds_cluster.main.id"
# (several joined by ", "; an index it cannot evaluate as [...]).
_REFERENCE = re.compile(r"^(?P<type>[a-z0-9_]+)\.(?P<name>[A-Za-z_][A-Za-z0-9_-]*)(?P<index>\[[^\]]*\])?(?:\.|$)")


def referenced(ctx: PricingContext, resource: Resource, value: Any, rtype: str,
               id_key: str = "cluster_identifier") -> Resource | None:
    """The resource of type `rtype` that `value` names, or None when none of the scanned ones is it.

    `value` is a reference Terraform could not resolve, or a literal identifier matched against
    each candidate's `id_key`. A reference into a counted resource with an unknown index is
    resolved only when every instance of it is the same for our purpose, so it is left out here.
    """
    prefix = f"{resource.module}." if resource.module else ""
    if is_unknown(value):
        reason = value.reason
        if not reason.startswith("depends on "):
            return None
        for reference in reason[len("depends on "):].split(", "):
            match = _REFERENCE.match(reference.strip())
            if not match or match.group("type") != rtype or match.group("index") == "[...]":
                continue
            return ctx.resources.get(f"{prefix}{rtype}.{match.group('name')}{match.group('index') or ''}")
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
