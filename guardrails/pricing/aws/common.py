"""What the AWS cost models share beyond pricing/base.py: how component names show sizes and counts.

Kept apart from the services so that each service module imports it without importing another
service.
"""
from __future__ import annotations

from typing import Callable, Sequence

from guardrails.core.model import CostComponent, Resource
from guardrails.pricing.base import PricingContext

ModelFunction = Callable[[Resource, PricingContext], Sequence[CostComponent]]


def size_text(gb: float) -> str:
    return f"{gb:g} GB"


def times(count: int) -> str:
    """The " x N" of a component priced for N identical things; nothing for one."""
    return f" x {count}" if count != 1 else ""
