"""What the AWS cost models share beyond pricing/base.py: how component names show sizes and counts.

Kept apart from the services so that each service module imports it without importing another
service.
"""
from __future__ import annotations

import importlib
from typing import Callable, Sequence

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import PricingContext

ModelFunction = Callable[[Resource, PricingContext], Sequence[CostComponent]]

# Services AWS bills globally (Route 53 zones, Global Accelerator): the Price List's location
# "Global", whose rows the catalog keeps under us-east-1, whatever region a provider block names.
GLOBAL_BILLING_REGION = "us-east-1"


def size_text(gb: float) -> str:
    return f"{gb:g} GB"


def times(count: int) -> str:
    """The " x N" of a component priced for N identical things; nothing for one."""
    return f" x {count}" if count != 1 else ""


class Lazy:
    """A cost model named by its module and function, imported the first time it prices something.

    The type tables list dozens of services; a run that prices an instance and a volume then
    imports two modules, not forty (each import is paid on every run, pre-commit hooks included).
    """

    __slots__ = ("module", "name", "_function")

    def __init__(self, module: str, name: str) -> None:
        self.module = f"guardrails.pricing.aws.{module}"
        self.name = name
        self._function: ModelFunction | None = None

    def __call__(self, resource: Resource, ctx: PricingContext) -> Sequence[CostComponent]:
        if self._function is None:
            self._function = getattr(importlib.import_module(self.module), self.name)
        return self._function(resource, ctx)
