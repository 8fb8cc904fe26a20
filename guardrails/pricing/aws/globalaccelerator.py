"""AWS Global Accelerator: the fixed hourly fee of an accelerator.

Its data transfer premium (per GB, by the source and destination regions) is not modelled: it is
listed as a note, never as $0.

Catalog key: `globalaccelerator fixed/hour`.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.aws.common import GLOBAL_BILLING_REGION
from guardrails.pricing.base import PricingContext, hours


def accelerator(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    # A global resource (its provider block must be us-west-2, where the API lives) with one
    # global fixed fee.
    region = GLOBAL_BILLING_REGION
    components: list[CostComponent] = []
    with ctx.part("Fixed fee"):
        components.append(hours("Fixed fee", ctx.price("aws", "globalaccelerator", region, "fixed/hour",
                                                       what="Global Accelerator fixed fee")))
    ctx.notes.append("the data transfer premium (per GB) is not modelled")
    return components
