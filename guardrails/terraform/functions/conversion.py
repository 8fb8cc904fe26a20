"""Terraform's type conversions (tostring, tolist, toset, ...) and the set ordering they share."""
from __future__ import annotations

import json
from typing import Any

from guardrails.core.model import is_unknown
from guardrails.terraform.functions.args import need
from guardrails.terraform.functions.args import strict as _strict
from guardrails.terraform.values import contains_unknown, EvalError, first_unknown, to_bool, to_number, to_string, type_name


def tomap(value: Any) -> Any:
    if is_unknown(value):
        return value
    return dict(need(value, dict, "tomap"))


def tolist(value: Any) -> Any:
    if is_unknown(value):
        return value
    return list(need(value, list, "tolist"))


def toset(value: Any) -> Any:
    if is_unknown(value):
        return value
    items = need(value, list, "toset")
    if contains_unknown(items):
        return first_unknown(items)
    return as_set(items, "toset")


def canonical(value: Any) -> str:
    """One text per Terraform value: 1 and 1.0 are the same number, true and 1 are not."""

    def normal(item: Any) -> Any:
        if isinstance(item, float) and item.is_integer():
            return int(item)
        if isinstance(item, list):
            return [normal(i) for i in item]
        if isinstance(item, dict):
            return {k: normal(v) for k, v in item.items()}
        return item

    return json.dumps(normal(value), sort_keys=True)


def unify(items: list[Any], function: str) -> list[Any]:
    """Give the elements one type, as Terraform does for a set or a searched list.

    Strings mixed with numbers or bools make them all strings; other mixtures are refused.
    """
    kinds = {type_name(item) for item in items}
    if "null" in kinds:
        raise EvalError(f"{function}(): a set cannot hold null")
    if len(kinds) <= 1:
        return list(items)
    if kinds <= {"string", "number", "bool"} and "string" in kinds:
        return [to_string(item) for item in items]
    raise EvalError(f"{function}(): elements of different types ({', '.join(sorted(kinds))})")


def _set_order(value: Any) -> tuple:
    # Terraform orders bools false first, numbers by value, strings lexically.
    if isinstance(value, bool):
        return (0, value, "")
    if isinstance(value, (int, float)):
        return (1, value, "")
    if isinstance(value, str):
        return (2, 0, value)
    return (3, 0, canonical(value))


def as_set(items: list[Any], function: str) -> list[Any]:
    """Our sets are lists without duplicates, in the order Terraform lists a set's elements."""
    seen: dict[str, Any] = {}
    for item in unify(items, function):
        seen.setdefault(canonical(item), item)
    return sorted(seen.values(), key=_set_order)


@_strict
def tostring(value: Any) -> Any:
    return None if value is None else to_string(value)


@_strict
def tonumber(value: Any) -> Any:
    return None if value is None else to_number(value)


@_strict
def tobool(value: Any) -> Any:
    return None if value is None else to_bool(value)


def sensitive(value: Any) -> Any:
    # We report values, not secrets: marking changes nothing we compute.
    return value


def nonsensitive(value: Any) -> Any:
    return value
