"""Terraform's collection functions: lists, maps and sets (merge, lookup, flatten, setproduct, ...)."""
from __future__ import annotations

import itertools
import math
from typing import Any, Callable

from guardrails.core.model import is_unknown
from guardrails.terraform.functions.args import need, unknown_arg
from guardrails.terraform.functions.args import strict as _strict
from guardrails.terraform.functions.conversion import as_set, canonical, unify
from guardrails.terraform.values import EvalError, to_bool, to_number, to_string, type_name


def merge(*maps: Any) -> Any:
    result: dict[str, Any] = {}
    for item in maps:
        if is_unknown(item):
            return item
        if item is None:
            continue
        need(item, dict, "merge")
        result.update(item)
    return result


def lookup(mapping: Any, key: Any, *default: Any) -> Any:
    if len(default) > 1:
        raise EvalError("lookup(): takes two or three arguments")
    unknown = unknown_arg(mapping, key)
    if unknown is not None:
        return unknown
    need(mapping, dict, "lookup")
    name = to_string(key)
    if name in mapping:
        return mapping[name]
    if default:
        return default[0]
    raise EvalError(f"lookup(): key {name!r} not found and no default given")


def concat(*lists: Any) -> Any:
    result: list[Any] = []
    for item in lists:
        if is_unknown(item):
            return item
        result.extend(need(item, list, "concat"))
    return result


def coalesce(*values: Any) -> Any:
    for value in values:
        if is_unknown(value):
            return value
        if value is not None and value != "":
            return value
    raise EvalError("coalesce(): no non-null, non-empty argument")


def coalescelist(*lists: Any) -> Any:
    for value in lists:
        if is_unknown(value):
            return value
        if need(value, list, "coalescelist"):
            return value
    raise EvalError("coalescelist(): every list is empty")


def length(value: Any) -> Any:
    if is_unknown(value):
        return value
    if isinstance(value, (list, dict, str)):
        return len(value)
    raise EvalError(f"length(): a {type_name(value)} has no length")


@_strict
def element(items: Any, index: Any) -> Any:
    items = need(items, list, "element")
    if not items:
        raise EvalError("element(): the list is empty")
    return items[int(to_number(index)) % len(items)]


def keys(mapping: Any) -> Any:
    if is_unknown(mapping):
        return mapping
    return sorted(need(mapping, dict, "keys"))


def values(mapping: Any) -> Any:
    if is_unknown(mapping):
        return mapping
    mapping = need(mapping, dict, "values")
    return [mapping[k] for k in sorted(mapping)]


@_strict
def contains(items: Any, value: Any) -> Any:
    return value in need(items, list, "contains")


@_strict
def distinct(items: Any) -> Any:
    seen: list[Any] = []
    for item in need(items, list, "distinct"):
        if item not in seen:
            seen.append(item)
    return seen


def flatten(items: Any) -> Any:
    if is_unknown(items):
        return items
    result: list[Any] = []
    for item in need(items, list, "flatten"):
        if is_unknown(item):
            return item
        if isinstance(item, list):
            inner = flatten(item)
            if is_unknown(inner):
                return inner
            result.extend(inner)
        else:
            result.append(item)
    return result


@_strict
def compact(items: Any) -> Any:
    return [i for i in need(items, list, "compact") if i is not None and i != ""]


@_strict
def zipmap(names: Any, items: Any) -> Any:
    names, items = need(names, list, "zipmap"), need(items, list, "zipmap")
    if len(names) != len(items):
        raise EvalError("zipmap(): lists of different lengths")
    return {to_string(k): v for k, v in zip(names, items)}


@_strict
def range_(*args: Any) -> Any:
    numbers = [to_number(a) for a in args]
    if not 1 <= len(numbers) <= 3:
        raise EvalError("range(): takes 1 to 3 arguments")
    start, stop, step = (0, numbers[0], 1) if len(numbers) == 1 else (numbers[0], numbers[1], numbers[2] if len(numbers) == 3 else (1 if numbers[1] >= numbers[0] else -1))
    if step == 0:
        raise EvalError("range(): step cannot be zero")
    count = max(0, math.ceil((stop - start) / step))
    if count > 1024:
        raise EvalError("range(): more than 1024 elements")
    return [start + i * step for i in range(count)]


@_strict
def slice_(items: Any, start: Any, end: Any) -> Any:
    items = need(items, list, "slice")
    first, last = int(to_number(start)), int(to_number(end))
    if first < 0 or last > len(items) or first > last:
        raise EvalError("slice(): index out of range")
    return items[first:last]


@_strict
def one(items: Any) -> Any:
    items = need(items, list, "one")
    if len(items) > 1:
        raise EvalError("one(): more than one element")
    return items[0] if items else None


@_strict
def index_(items: Any, value: Any) -> Any:
    items = need(items, list, "index")
    if value not in items:
        raise EvalError("index(): value not in list")
    return items.index(value)


@_strict
def reverse(items: Any) -> Any:
    return list(reversed(need(items, list, "reverse")))


@_strict
def sort(items: Any) -> Any:
    return sorted(to_string(i) for i in need(items, list, "sort"))


@_strict
def chunklist(items: Any, size: Any) -> Any:
    items, width = need(items, list, "chunklist"), int(to_number(size))
    if width <= 0:
        return [items]
    return [items[i : i + width] for i in range(0, len(items), width)]


def _all_any(function: str, decider: bool) -> Callable[[Any], Any]:
    def check(items: Any) -> Any:
        if is_unknown(items):
            return items
        # Every known element must be a bool (or null, which counts as false) before any decides.
        flags = [item if is_unknown(item) else False if item is None else to_bool(item)
                 for item in need(items, list, function)]
        if any(flag is decider for flag in flags):
            return decider
        unknown = next((flag for flag in flags if is_unknown(flag)), None)
        return unknown if unknown is not None else not decider

    check.__name__ = function
    return check


alltrue = _all_any("alltrue", False)


anytrue = _all_any("anytrue", True)


def _set_lists(args: tuple, function: str, minimum: int) -> list[list[Any]]:
    if len(args) < minimum:
        raise EvalError(f"{function}(): needs at least {minimum} argument{'s' if minimum > 1 else ''}")
    lists = [need(arg, list, function) for arg in args]
    # The arguments' elements take one common type, as in Terraform.
    flat = unify([item for items in lists for item in items], function)
    out, at = [], 0
    for items in lists:
        out.append(flat[at : at + len(items)])
        at += len(items)
    return out


@_strict
def setunion(*sets: Any) -> Any:
    lists = _set_lists(sets, "setunion", 1)
    return as_set([item for items in lists for item in items], "setunion")


@_strict
def setintersection(*sets: Any) -> Any:
    first, *others = _set_lists(sets, "setintersection", 1)
    keep = [{canonical(item) for item in items} for items in others]
    return as_set([item for item in first if all(canonical(item) in k for k in keep)], "setintersection")


@_strict
def setsubtract(a: Any, b: Any) -> Any:
    first, second = _set_lists((a, b), "setsubtract", 2)
    drop = {canonical(item) for item in second}
    return as_set([item for item in first if canonical(item) not in drop], "setsubtract")


MAX_PRODUCT = 10_000  # more combinations than this is Unknown rather than a memory hog


@_strict
def setproduct(*sets: Any) -> Any:
    if len(sets) < 2:
        raise EvalError("setproduct(): needs at least two arguments")
    lists = [unify(need(arg, list, "setproduct"), "setproduct") for arg in sets]
    if math.prod(len(items) for items in lists) > MAX_PRODUCT:
        raise EvalError(f"setproduct(): more than {MAX_PRODUCT} combinations")
    return [list(combination) for combination in itertools.product(*lists)]


@_strict
def matchkeys(values_: Any, keys_: Any, searchset: Any) -> Any:
    values_ = need(values_, list, "matchkeys")
    keys_, searchset = need(keys_, list, "matchkeys"), need(searchset, list, "matchkeys")
    if len(values_) != len(keys_):
        raise EvalError("matchkeys(): the values and keys lists have different lengths")
    unified = unify(keys_ + searchset, "matchkeys")
    wanted = {canonical(item) for item in unified[len(keys_) :]}
    return [value for value, key in zip(values_, unified[: len(keys_)]) if canonical(key) in wanted]


@_strict
def transpose(mapping: Any) -> Any:
    result: dict[str, list[str]] = {}
    for key in sorted(need(mapping, dict, "transpose")):
        for item in need(mapping[key], list, "transpose"):
            if item is None or isinstance(item, (list, dict)):
                raise EvalError(f"transpose(): a {type_name(item)} is not a string")
            result.setdefault(to_string(item), []).append(key)
    return {key: result[key] for key in sorted(result)}
