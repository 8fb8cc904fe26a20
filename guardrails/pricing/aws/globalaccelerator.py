"""AWS Global Accelerator: the fixed hourly fee of an accelerator.

Its data transfer premium (per GB, by the source and destination regions) is not modelled: it is
listed as a note, never as $0.

Catalog key: `globalaccelerator fixed/hour`.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import PricingContext, hours


# An accelerator is a global resource (its provider block must be us-west-2, where the API
# lives); its fixed fee is one global price, kept in the catalog under us-east-1.
GLOBAL_REGION = "us-east-1"


def accelerator(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = GLOBAL_REGION
    components: list[CostComponent] = []
    with ctx.part("Fixed fee"):
        components.append(hours("Fixed fee", ctx.price("aws", "globalaccelerator", region, "fixed/hour",
                                                       what="Global Accelerator fixed fee")))
    ctx.notes.append("the data transfer premium (per GB) is not modelled")
    return components
