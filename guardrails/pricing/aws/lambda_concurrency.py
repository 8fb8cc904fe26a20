"""Lambda provisioned concurrency: the concurrency configured, and the duration run on it.

Provisioned concurrency is billed for the time it is configured (all month unless the usage file
says `monthly_duration_hrs`) times the concurrent executions times the function's memory, in
GB-seconds; the duration of requests served by it is billed at a rate of its own (usage).
Requests are billed on the function (aws_lambda_function). The memory and architecture are the
function's, found among the scanned resources by `function_name` (128 MB and x86_64 when it sets
none, the provider's defaults); the usage keys `memory_mb` and `architecture` (Infracost's) stand
in when the function is not scanned.

Catalog keys (service `lambda`): `provisioned-concurrency/<arch>`, `provisioned-duration/<arch>`
(GB-second; arch x86_64 or arm64).
Usage keys: `monthly_duration_hrs`, `monthly_requests`, `request_duration_ms`, `memory_mb`, `architecture`.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.aws.fees_common import referenced
from guardrails.pricing.base import HOURS_PER_MONTH, PricingContext, Unpriced, count, known, number, per_month

DEFAULT_MEMORY_MB = 128.0


def _function(resource: Resource, ctx: PricingContext) -> tuple[float, str]:
    """(memory MB, architecture) of the function the configuration is for."""
    memory = ctx.usage.get(resource, "memory_mb")
    architecture = ctx.usage.get(resource, "architecture")
    if memory is not None:
        return number(memory, "usage memory_mb"), str(architecture or "x86_64").lower()
    functions = referenced(ctx, resource, resource.attrs.get("function_name"), "aws_lambda_function", "function_name",
                           names=("function_name", "arn"))
    sizes = set()
    for function in functions:
        memory_mb = number(function.attrs.get("memory_size"), f"{function.address} memory_size", DEFAULT_MEMORY_MB)
        architectures = known(function.attrs.get("architectures"), f"{function.address} architectures") or []
        sizes.add((memory_mb, "arm64" if "arm64" in architectures else "x86_64"))
    if len(sizes) > 1:
        raise Unpriced("function_name is one of several functions that differ; which one cannot be evaluated")
    return sizes.pop()


def provisioned_concurrency_config(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    executions = count(resource.attrs.get("provisioned_concurrent_executions"), "provisioned_concurrent_executions")
    memory_mb, architecture = _function(resource, ctx)
    gb = memory_mb / 1024
    configured_hours = ctx.usage.get(resource, "monthly_duration_hrs")
    hours_on = HOURS_PER_MONTH if configured_hours is None else number(configured_hours, "usage monthly_duration_hrs")
    components: list[CostComponent] = []
    name = f"Provisioned concurrency ({executions} x {memory_mb:g} MB, {architecture})"
    with ctx.part(name):
        price = ctx.price("aws", "lambda", region, f"provisioned-concurrency/{architecture}",
                          what=f"Lambda provisioned concurrency ({architecture})")
        components.append(per_month(name, executions * gb * hours_on * 3600, "GB-seconds", price))
    duration = (ctx.usage_value(resource, "monthly_requests") * ctx.usage_value(resource, "request_duration_ms")
                / 1000 * gb)
    with ctx.part("Duration"):
        price = ctx.price("aws", "lambda", region, f"provisioned-duration/{architecture}",
                          what=f"Lambda duration with provisioned concurrency ({architecture})")
        components.append(per_month("Duration", duration, "GB-seconds", price, usage_based=True))
    ctx.notes.append("requests are priced on the function")
    return components
