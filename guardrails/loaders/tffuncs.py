"""The Terraform functions we evaluate offline: the ones real code uses for tags and sizes.

Each follows Terraform's documented behaviour; an argument that is Unknown makes the result
Unknown (except where the known arguments already decide it). A function not listed here is
reported as Unknown by the evaluator, never guessed.
"""
from __future__ import annotations

import json
import math
import re
from typing import Any, Callable

from guardrails.loaders.tfexpr import EvalError, contains_unknown, first_unknown, to_bool, to_number, to_string, type_name
from guardrails.model import Unknown, is_unknown


def _known(*args: Any) -> Unknown | None:
    for arg in args:
        if is_unknown(arg):
            return arg
    return None


def _strict(function: Callable[..., Any]) -> Callable[..., Any]:
    """Unknown in, Unknown out, for functions whose every argument matters."""

    def wrapper(*args: Any) -> Any:
        for arg in args:
            unknown = first_unknown(arg)
            if unknown is not None:
                return unknown
        return function(*args)

    wrapper.__name__ = function.__name__
    return wrapper


def _need(value: Any, kind: type | tuple, function: str) -> Any:
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise EvalError(f"{function}(): a {type_name(value)} is not allowed here")
    return value


def merge(*maps: Any) -> Any:
    result: dict[str, Any] = {}
    for item in maps:
        if is_unknown(item):
            return item
        if item is None:
            continue
        _need(item, dict, "merge")
        result.update(item)
    return result


def lookup(mapping: Any, key: Any, *default: Any) -> Any:
    unknown = _known(mapping, key)
    if unknown is not None:
        return unknown
    _need(mapping, dict, "lookup")
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
        result.extend(_need(item, list, "concat"))
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
        if _need(value, list, "coalescelist"):
            return value
    raise EvalError("coalescelist(): every list is empty")


_FORMAT_VERB = re.compile(r"%(?:\[(\d+)\])?([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])")


@_strict
def format_(spec: Any, *args: Any) -> Any:
    spec = to_string(spec)
    position = 0
    out = []
    last = 0
    for match in _FORMAT_VERB.finditer(spec):
        out.append(spec[last : match.start()])
        last = match.end()
        explicit, flags, width, precision, verb = match.groups()
        if verb == "%":
            out.append("%")
            continue
        if explicit:
            position = int(explicit) - 1
        if position >= len(args):
            raise EvalError("format(): not enough arguments")
        value = args[position]
        position += 1
        out.append(_format_one(value, flags or "", width, precision, verb))
    out.append(spec[last:])
    return "".join(out)


def _format_one(value: Any, flags: str, width: str | None, precision: str | None, verb: str) -> str:
    if verb == "s":
        text = to_string(value)
    elif verb == "q":
        text = json.dumps(to_string(value))
    elif verb == "v":
        text = to_string(value) if not isinstance(value, (list, dict)) else json.dumps(value, separators=(",", ":"))
    elif verb == "d":
        number = to_number(value)
        if isinstance(number, float) and not number.is_integer():
            raise EvalError("format(): %d needs a whole number")
        text = str(int(number))
        if "+" in flags and int(number) >= 0:
            text = "+" + text
    elif verb in "fFeEgG":
        number = float(to_number(value))
        text = f"%{'.' + precision if precision else ''}{verb}" % number
    elif verb in "xXob":
        number = int(to_number(value))
        text = format(number, verb)
    elif verb == "t":
        text = "true" if to_bool(value) else "false"
    else:
        raise EvalError(f"format(): unsupported verb %{verb}")
    if width:
        size = int(width)
        if "-" in flags:
            text = text.ljust(size)
        elif "0" in flags and verb in "dfFeEgGxXob":
            text = text.rjust(size, "0")
        else:
            text = text.rjust(size)
    return text


@_strict
def formatlist(spec: Any, *args: Any) -> Any:
    lengths = {len(a) for a in args if isinstance(a, list)}
    if len(lengths) > 1:
        raise EvalError("formatlist(): lists of different lengths")
    count = lengths.pop() if lengths else 1
    return [format_(spec, *[a[i] if isinstance(a, list) else a for a in args]) for i in range(count)]


@_strict
def lower(text: Any) -> Any:
    return to_string(text).lower()


@_strict
def upper(text: Any) -> Any:
    return to_string(text).upper()


@_strict
def title(text: Any) -> Any:
    return re.sub(r"\b([a-z])", lambda m: m.group(1).upper(), to_string(text))


def tomap(value: Any) -> Any:
    if is_unknown(value):
        return value
    return dict(_need(value, dict, "tomap"))


def tolist(value: Any) -> Any:
    if is_unknown(value):
        return value
    return list(_need(value, list, "tolist"))


def toset(value: Any) -> Any:
    if is_unknown(value):
        return value
    items = _need(value, list, "toset")
    if contains_unknown(items):
        return first_unknown(items)
    seen: list[Any] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    # Terraform orders a set of strings lexically.
    return sorted(seen, key=lambda v: (type_name(v), to_string(v) if not isinstance(v, (list, dict)) else json.dumps(v)))


@_strict
def tostring(value: Any) -> Any:
    return None if value is None else to_string(value)


@_strict
def tonumber(value: Any) -> Any:
    return None if value is None else to_number(value)


@_strict
def tobool(value: Any) -> Any:
    return None if value is None else to_bool(value)


@_strict
def join(separator: Any, *lists: Any) -> Any:
    items: list[Any] = []
    for item in lists:
        items.extend(_need(item, list, "join"))
    return to_string(separator).join(to_string(i) for i in items)


@_strict
def split(separator: Any, text: Any) -> Any:
    return to_string(text).split(to_string(separator))


@_strict
def replace(text: Any, search: Any, replacement: Any) -> Any:
    text, search, replacement = to_string(text), to_string(search), to_string(replacement)
    if len(search) > 1 and search.startswith("/") and search.endswith("/"):
        try:
            pattern = re.compile(search[1:-1])
        except re.error as exc:
            raise EvalError(f"replace(): invalid regular expression: {exc}") from None
        return pattern.sub(re.sub(r"\$(\d+)", r"\\\1", replacement), text)
    return text.replace(search, replacement)


@_strict
def substr(text: Any, offset: Any, length: Any) -> Any:
    text = to_string(text)
    start = int(to_number(offset))
    if start < 0:
        start += len(text)
    size = int(to_number(length))
    return text[start:] if size < 0 else text[start : start + size]


@_strict
def trimspace(text: Any) -> Any:
    return to_string(text).strip()


@_strict
def trim(text: Any, chars: Any) -> Any:
    return to_string(text).strip(to_string(chars))


@_strict
def trimprefix(text: Any, prefix: Any) -> Any:
    text, prefix = to_string(text), to_string(prefix)
    return text[len(prefix) :] if prefix and text.startswith(prefix) else text


@_strict
def trimsuffix(text: Any, suffix: Any) -> Any:
    text, suffix = to_string(text), to_string(suffix)
    return text[: -len(suffix)] if suffix and text.endswith(suffix) else text


@_strict
def startswith(text: Any, prefix: Any) -> Any:
    return to_string(text).startswith(to_string(prefix))


@_strict
def endswith(text: Any, suffix: Any) -> Any:
    return to_string(text).endswith(to_string(suffix))


def length(value: Any) -> Any:
    if is_unknown(value):
        return value
    if isinstance(value, (list, dict, str)):
        return len(value)
    raise EvalError(f"length(): a {type_name(value)} has no length")


@_strict
def element(items: Any, index: Any) -> Any:
    items = _need(items, list, "element")
    if not items:
        raise EvalError("element(): the list is empty")
    return items[int(to_number(index)) % len(items)]


def keys(mapping: Any) -> Any:
    if is_unknown(mapping):
        return mapping
    return sorted(_need(mapping, dict, "keys"))


def values(mapping: Any) -> Any:
    if is_unknown(mapping):
        return mapping
    mapping = _need(mapping, dict, "values")
    return [mapping[k] for k in sorted(mapping)]


@_strict
def contains(items: Any, value: Any) -> Any:
    return value in _need(items, list, "contains")


@_strict
def distinct(items: Any) -> Any:
    seen: list[Any] = []
    for item in _need(items, list, "distinct"):
        if item not in seen:
            seen.append(item)
    return seen


def flatten(items: Any) -> Any:
    if is_unknown(items):
        return items
    result: list[Any] = []
    for item in _need(items, list, "flatten"):
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
    return [i for i in _need(items, list, "compact") if i is not None and i != ""]


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
    items = _need(items, list, "sum")
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


@_strict
def zipmap(names: Any, items: Any) -> Any:
    names, items = _need(names, list, "zipmap"), _need(items, list, "zipmap")
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
    items = _need(items, list, "slice")
    first, last = int(to_number(start)), int(to_number(end))
    if first < 0 or last > len(items) or first > last:
        raise EvalError("slice(): index out of range")
    return items[first:last]


@_strict
def one(items: Any) -> Any:
    items = _need(items, list, "one")
    if len(items) > 1:
        raise EvalError("one(): more than one element")
    return items[0] if items else None


@_strict
def jsonencode(value: Any) -> Any:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


@_strict
def jsondecode(text: Any) -> Any:
    try:
        return json.loads(to_string(text))
    except ValueError as exc:
        raise EvalError(f"jsondecode(): {exc}") from None


@_strict
def index_(items: Any, value: Any) -> Any:
    items = _need(items, list, "index")
    if value not in items:
        raise EvalError("index(): value not in list")
    return items.index(value)


@_strict
def reverse(items: Any) -> Any:
    return list(reversed(_need(items, list, "reverse")))


@_strict
def sort(items: Any) -> Any:
    return sorted(to_string(i) for i in _need(items, list, "sort"))


@_strict
def chunklist(items: Any, size: Any) -> Any:
    items, width = _need(items, list, "chunklist"), int(to_number(size))
    if width <= 0:
        return [items]
    return [items[i : i + width] for i in range(0, len(items), width)]


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "abs": abs_, "ceil": ceil, "chunklist": chunklist, "coalesce": coalesce,
    "coalescelist": coalescelist, "compact": compact, "concat": concat, "contains": contains,
    "distinct": distinct, "element": element, "endswith": endswith, "flatten": flatten,
    "floor": floor, "format": format_, "formatlist": formatlist, "index": index_, "join": join,
    "jsondecode": jsondecode, "jsonencode": jsonencode, "keys": keys, "length": length,
    "lookup": lookup, "lower": lower, "max": max_, "merge": merge, "min": min_, "one": one,
    "range": range_, "replace": replace, "reverse": reverse, "slice": slice_, "sort": sort,
    "split": split, "startswith": startswith, "substr": substr, "sum": sum_, "title": title,
    "tobool": tobool, "tolist": tolist, "tomap": tomap, "tonumber": tonumber, "toset": toset,
    "tostring": tostring, "trim": trim, "trimprefix": trimprefix, "trimspace": trimspace,
    "trimsuffix": trimsuffix, "upper": upper, "values": values, "zipmap": zipmap,
}
