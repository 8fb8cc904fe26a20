"""S3 buckets and Lambda functions, which cost only what they are used for.

Every part is listed, at 0 unless the usage file gives a quantity. Usage keys: `storage_gb` for
aws_s3_bucket ({standard: GB, standard-ia: GB, ...}; a bare number is S3 Standard), and
`monthly_requests` and `average_duration_ms` for aws_lambda_function.
"""
from __future__ import annotations

from typing import Any, Mapping

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import PricingContext, known, number, per_month

S3_STORAGE_CLASSES = ("standard", "standard-ia", "onezone-ia", "glacier-flexible", "glacier-deep-archive")
LAMBDA_DEFAULT_MEMORY_MB = 128.0


def s3_bucket(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    region = ctx.region(resource, "aws")
    given = ctx.usage.get(resource, "storage_gb")
    if given is None:
        by_class: Mapping[str, Any] = {}
    elif isinstance(given, Mapping):
        by_class = given
    else:
        by_class = {"standard": given}  # one number: all of it in S3 Standard
    classes = list(S3_STORAGE_CLASSES) + sorted(c for c in by_class if c not in S3_STORAGE_CLASSES)
    components = []
    for storage_class in classes:
        quantity = number(by_class.get(storage_class), f"usage storage_gb.{storage_class}", 0.0)
        with ctx.part(f"Storage ({storage_class})"):
            price = ctx.price("aws", "s3", region, storage_class, what=f"S3 storage class {storage_class}")
            components.append(per_month(f"Storage ({storage_class})", quantity, "GB-months", price, usage_based=True))
    ctx.notes.append("requests and data transfer are not modelled")
    return components


def lambda_function(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = ctx.region(resource, "aws")
    memory_mb = number(attrs.get("memory_size"), "memory_size", LAMBDA_DEFAULT_MEMORY_MB)
    requests = ctx.usage_value(resource, "monthly_requests")
    duration_ms = ctx.usage_value(resource, "average_duration_ms")
    gb_seconds = requests * (duration_ms / 1000) * (memory_mb / 1024)
    architectures = known(attrs.get("architectures"), "architectures")
    components: list[CostComponent] = []
    with ctx.part("Requests"):
        request_price = ctx.price("aws", "lambda", region, "requests", what="Lambda requests")
        components.append(per_month("Requests", requests / 1_000_000, "requests (1M)", request_price, usage_based=True))
    with ctx.part(f"Duration ({memory_mb:g} MB)"):
        duration_price = ctx.price("aws", "lambda", region, "duration", what="Lambda duration")
        components.append(per_month(f"Duration ({memory_mb:g} MB)", gb_seconds, "GB-seconds", duration_price,
                                    usage_based=True))
    if isinstance(architectures, list) and "arm64" in architectures:
        ctx.notes.append("arm64: priced at the x86 duration price, which AWS lists higher")
    ctx.notes.append("free tier ignored")
    return components
