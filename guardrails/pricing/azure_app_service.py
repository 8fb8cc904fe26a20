"""App Service plans (`azurerm_service_plan`): each worker of the plan's SKU, by the hour.

Catalog key: `azure app-service <os>/<sku>` (worker-hour; `linux/P1v3`, `windows/S1`). A
WindowsContainer plan pays the Windows price. `worker_count` unset is 1 (a note). The Free
tier (F1) costs nothing; Consumption (Y1) and Flex Consumption (FC1) plans bill per execution
and are unpriced here.
"""
from __future__ import annotations

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing import azure_references
from guardrails.pricing.base import PricingContext, Unpriced, count, hours, required_text

_OS = {"linux": "linux", "windows": "windows", "windowscontainer": "windows"}


def service_plan(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    attrs = resource.attrs
    region = azure_references.region(ctx, resource)
    sku = required_text(attrs.get("sku_name"), "sku_name")
    os_type = required_text(attrs.get("os_type"), "os_type")
    os = _OS.get(os_type.lower())
    if os is None:
        raise Unpriced(f"os_type {os_type} is unknown")
    if sku == "F1":
        ctx.notes.append("Free tier (F1): no charge")
        return []
    if sku in ("Y1", "FC1"):
        raise Unpriced(f"{sku} plans are billed per execution: not modelled")
    if attrs.get("worker_count") is None:
        ctx.notes.append("worker_count not set: 1 worker")
    workers = count(attrs.get("worker_count"), "worker_count", 1)
    name = f"Instance usage ({sku}, {os_type}, {workers} workers)"
    with ctx.part(name):
        price = ctx.price("azure", "app-service", region, f"{os}/{sku}", what=f"App Service {sku} ({os_type})")
        return [hours(name, price, 730 * workers)]
    return []


MODELS = {"azurerm_service_plan": service_plan}
