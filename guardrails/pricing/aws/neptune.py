"""Neptune cluster instances: instance hours, at the I/O-Optimized price on an I/O-Optimized cluster.

Catalog keys, service `neptune`: `<instance class>` (hour), `iopt1/<instance class>` (hour, a
cluster with `storage_type = "iopt1"`), `cpu-credits` (vCPU-hour, db.t classes). Usage key,
Infracost's name: `monthly_cpu_credit_hrs`. The cluster's storage and I/O are not modelled.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.aws.clusters import referenced
from guardrails.pricing.base import PricingContext, Unpriced, hours, per_month, text


def neptune_cluster_instance(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "aws")
    instance_class = text(attrs.get("instance_class"), "instance_class")
    if instance_class is None:
        raise Unpriced("instance_class is not set")
    cluster = referenced(ctx, resource, attrs.get("cluster_identifier"), "aws_neptune_cluster")
    if cluster is None:
        ctx.notes.append("the cluster is not among the scanned resources: priced as standard storage")
    iopt = cluster is not None and text(cluster.attrs.get("storage_type"), "cluster storage_type") == "iopt1"
    shown = f"Database instance ({instance_class}" + (", I/O-Optimized)" if iopt else ")")
    components: list[CostComponent] = []
    with ctx.part(shown):
        price = ctx.price("aws", "neptune", region, ("iopt1/" if iopt else "") + instance_class,
                          what=f"Neptune instance class {instance_class}" + (" (I/O-Optimized)" if iopt else ""))
        components.append(hours(shown, price))
    if instance_class.startswith("db.t"):
        with ctx.part("CPU credits"):
            credit = ctx.price("aws", "neptune", region, "cpu-credits", what="Neptune CPU credits")
            components.append(per_month("CPU credits", ctx.usage_value(resource, "monthly_cpu_credit_hrs"),
                                        "vCPU-hours", credit, usage_based=True))
    ctx.notes.append("the cluster's storage and I/O are not modelled")
    return components
