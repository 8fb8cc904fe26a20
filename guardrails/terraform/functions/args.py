"""Argument handling shared by the Terraform function modules (tffuncs, tfregex, tfyaml)."""
from __future__ import annotations

import functools
import math
from typing import Any, Callable

from guardrails.terraform.evaluate import EvalError, first_unknown


def strict(function: Callable[..., Any]) -> Callable[..., Any]:
    """Unknown in, Unknown out, for functions whose every argument matters."""

    def wrapper(*args: Any) -> Any:
        for arg in args:
            unknown = first_unknown(arg)
            if unknown is not None:
                return unknown
        return function(*args)

    return functools.wraps(function)(wrapper)


def from_float(result: float, function: str) -> int | float:
    """A float64 result as the module keeps numbers: whole values as int, like Terraform prints them."""
    if math.isnan(result) or math.isinf(result):
        raise EvalError(f"{function}(): the result is not a finite number")
    return int(result) if result.is_integer() else result
