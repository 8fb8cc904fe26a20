"""Terraform's values as we hold them, and its conversions and operators on them.

Strings, numbers (int, or float where Terraform's big decimals are not whole), bools, lists,
maps, null (None) and `Unknown`. What the evaluator and every function share; imports no
function and no evaluator, so the function modules can use it without an import cycle.
"""
from __future__ import annotations

import math
import re
from typing import Any, Callable, Iterator, Mapping

from guardrails.core.model import Unknown, is_unknown
from guardrails.terraform.budget import MAX_BITS


class EvalError(Exception):
    """The expression is wrong for its values (Terraform would refuse it too)."""


# Decimal digits of the largest integer within MAX_BITS: a literal longer than this is not parsed.
_MAX_DIGITS = len(str(2**MAX_BITS))


class NumberLimit(EvalError):
    """A number past what we compute exactly: the value is unknown, and the run says where."""

    recorded = False


def check_number(value: Any) -> Any:
    """An integer within Terraform's 512 bits, as is; past them, a value we do not compute exactly."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_BITS:
        raise NumberLimit(f"a number beyond {MAX_BITS} bits, more than guardrails computes with exactly")
    return value


def parse_int(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_DIGITS:
        raise NumberLimit(f"a number of {len(text):,} digits, beyond the {MAX_BITS} bits guardrails computes with")
    return check_number(int(text))


class Lazy:
    """A mapping whose values are evaluated on first use (locals, module outputs).

    Cycles (`local.a = local.b`, `local.b = local.a`) become Unknown, as Terraform refuses them.
    """

    def __init__(self, thunks: Mapping[str, Callable[[], Any]], what: str) -> None:
        self._thunks = thunks
        self._values: dict[str, Any] = {}
        self._busy: set[str] = set()
        self._what = what

    def __contains__(self, key: object) -> bool:
        return key in self._thunks

    def get(self, key: str) -> Any:
        if key in self._values:
            return self._values[key]
        if key not in self._thunks:
            raise EvalError(f"{self._what}.{key} is not declared")
        if key in self._busy:
            return Unknown(f"{self._what}.{key} refers to itself")
        self._busy.add(key)
        try:
            value = self._thunks[key]()
        finally:
            self._busy.discard(key)
        self._values[key] = value
        return value


def to_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if value is None:
        raise EvalError("a null value cannot be used in a string template")
    raise EvalError(f"a {type_name(value)} cannot be used as a string")


_DECIMAL = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


def to_number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise EvalError("a bool cannot be used as a number")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        # Terraform's decimal syntax only: Python's float() would also take "1_000" and " 5".
        if not _DECIMAL.fullmatch(value):
            raise EvalError(f"{value[:40]!r} is not a number")
        number = float(value)
        if math.isinf(number) or math.isnan(number):
            # "inf", "nan", or beyond a float: Terraform's big numbers hold what ours cannot.
            raise EvalError(f"{value[:40]!r} is not a number we can compute with")
        return int(number) if number.is_integer() and "." not in value and "e" not in value.lower() else number
    raise EvalError(f"a {type_name(value)} cannot be used as a number")


def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise EvalError(f"a {type_name(value)} cannot be used as a bool")


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def contains_unknown(value: Any) -> bool:
    if is_unknown(value):
        return True
    if isinstance(value, list):
        return any(contains_unknown(v) for v in value)
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    return False


def first_unknown(value: Any) -> Unknown | None:
    if is_unknown(value):
        return value
    items = value if isinstance(value, list) else value.values() if isinstance(value, dict) else ()
    for item in items:
        found = first_unknown(item)
        if found is not None:
            return found
    return None


def iterate(collection: Any) -> Iterator[tuple[Any, Any]]:
    if isinstance(collection, dict):
        for key in sorted(collection):
            yield key, collection[key]
    elif isinstance(collection, list):
        yield from enumerate(collection)
    elif collection is None:
        raise EvalError("cannot iterate over null")
    else:
        raise EvalError(f"cannot iterate over a {type_name(collection)}")


def binary(operator: str, lhs: Any, rhs: Any) -> Any:
    if operator == "==":
        return _equal(lhs, rhs)
    if operator == "!=":
        return not _equal(lhs, rhs)
    if operator in ("&&", "||"):
        return to_bool(lhs) and to_bool(rhs) if operator == "&&" else to_bool(lhs) or to_bool(rhs)
    a, b = to_number(lhs), to_number(rhs)
    if operator == "+":
        return check_number(a + b)
    if operator == "-":
        return check_number(a - b)
    if operator == "*":
        return check_number(a * b)
    if operator == "/":
        if b == 0:
            raise EvalError("division by zero")
        try:
            result = a / b
        except OverflowError:
            raise EvalError("a quotient beyond the numbers guardrails computes with") from None
        return int(result) if float(result).is_integer() and isinstance(a, int) and isinstance(b, int) else result
    if operator == "%":
        if b == 0:
            raise EvalError("division by zero")
        return a % b
    if operator == "<":
        return a < b
    if operator == ">":
        return a > b
    if operator == "<=":
        return a <= b
    if operator == ">=":
        return a >= b
    raise EvalError(f"unknown operator {operator}")


def _equal(lhs: Any, rhs: Any) -> bool:
    if isinstance(lhs, bool) or isinstance(rhs, bool):
        return type(lhs) is type(rhs) and lhs == rhs
    return lhs == rhs
