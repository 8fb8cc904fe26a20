"""Argument handling shared by the Terraform function modules."""
from __future__ import annotations

import functools
import math
from typing import Any, Callable

from guardrails.core.model import Unknown, is_unknown
from guardrails.terraform.values import EvalError, first_unknown, type_name


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


def unknown_arg(*args: Any) -> Unknown | None:
    """The first argument that is itself Unknown (not one holding an Unknown), else None."""
    for arg in args:
        if is_unknown(arg):
            return arg
    return None


def need(value: Any, kind: type | tuple, function: str) -> Any:
    """`value` if it is of `kind` (a bool is never a number here), else the EvalError Terraform gives."""
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise EvalError(f"{function}(): a {type_name(value)} is not allowed here")
    return value
