"""Terraform's numeric functions: min, max, ceil, log, parseint, ..."""
from __future__ import annotations

import math
from typing import Any

from guardrails.terraform.functions.args import need
from guardrails.terraform.functions.args import from_float as _from_float
from guardrails.terraform.functions.args import strict as _strict
from guardrails.terraform.values import EvalError, to_number, type_name


@_strict
def min_(*numbers: Any) -> Any:
    if not numbers:
        raise EvalError("min(): no arguments")
    return min(to_number(n) for n in numbers)


@_strict
def max_(*numbers: Any) -> Any:
    if not numbers:
        raise EvalError("max(): no arguments")
    return max(to_number(n) for n in numbers)


@_strict
def sum_(items: Any) -> Any:
    items = need(items, list, "sum")
    if not items:
        raise EvalError("sum(): the list is empty")
    return sum(to_number(i) for i in items)


@_strict
def abs_(number: Any) -> Any:
    return abs(to_number(number))


@_strict
def ceil(number: Any) -> Any:
    return math.ceil(to_number(number))


@_strict
def floor(number: Any) -> Any:
    return math.floor(to_number(number))


def whole_number(value: Any, function: str, what: str) -> int:
    number = to_number(value)
    if isinstance(number, float):
        if not number.is_integer():
            raise EvalError(f"{function}(): {what} must be a whole number")
        number = int(number)
    return number


@_strict
def log(number: Any, base: Any) -> Any:
    value, radix = float(to_number(number)), float(to_number(base))
    if value <= 0 or radix <= 0 or radix == 1:
        raise EvalError("log(): the number and the base must be positive and the base not 1")
    # Terraform divides the natural logarithms in float64; so do we, for the same last digits.
    return _from_float(math.log(value) / math.log(radix), "log")


@_strict
def pow_(base: Any, exponent: Any) -> Any:
    try:
        result = math.pow(float(to_number(base)), float(to_number(exponent)))
    except (OverflowError, ValueError):
        raise EvalError("pow(): the result is not a finite number") from None
    return _from_float(result, "pow")


@_strict
def signum(number: Any) -> Any:
    value = whole_number(number, "signum", "the number")
    return (value > 0) - (value < 0)


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


@_strict
def parseint(number: Any, base: Any) -> Any:
    if not isinstance(number, str):
        raise EvalError(f"parseint(): the number must be a string, not a {type_name(number)}")
    radix = whole_number(base, "parseint", "the base")
    if not 2 <= radix <= 62:
        raise EvalError("parseint(): the base must be a whole number between 2 and 62")
    if len(number) > 1000:
        raise EvalError("parseint(): a number over 1000 digits is not parsed offline")
    text = number
    sign = -1 if text[:1] == "-" else 1
    if text[:1] in "+-" and text:
        text = text[1:]
    if not text:
        raise EvalError(f"parseint(): cannot parse {number!r} as a base {radix} integer")
    result = 0
    for char in text:
        # Up to base 36 letters are case-blind; above it, upper case letters are the digits 36..61.
        digit = _DIGITS.find(char.lower() if radix <= 36 else char)
        if digit < 0 or digit >= radix:
            raise EvalError(f"parseint(): cannot parse {number!r} as a base {radix} integer")
        result = result * radix + digit
    return sign * result
