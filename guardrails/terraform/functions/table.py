"""The Terraform functions we evaluate offline: the ones real code uses for tags and sizes.

Each follows Terraform's documented behaviour; an argument that is Unknown makes the result
Unknown (except where the known arguments already decide it). A function not listed here is
reported as Unknown by the evaluator, never guessed.
"""
from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import inspect
import ipaddress
import itertools
import json
import math
import re
import unicodedata
import urllib.parse
import uuid
from typing import Any, Callable

from guardrails.terraform.functions.args import from_float as _from_float
from guardrails.terraform.functions.args import strict as _strict
from guardrails.terraform.evaluate import (
    EvalError,
    contains_unknown,
    first_unknown,
    to_bool,
    to_number,
    to_string,
    type_name,
)
from guardrails.core.model import Unknown, is_unknown


def _known(*args: Any) -> Unknown | None:
    for arg in args:
        if is_unknown(arg):
            return arg
    return None


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
    if len(default) > 1:
        raise EvalError("lookup(): takes two or three arguments")
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
    if width and int(width) > MAX_RESULT_CHARS or precision and int(precision) > 1000:
        raise EvalError("format(): the width or precision is too large to evaluate offline")
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
    return _as_set(items, "toset")


def _canonical(value: Any) -> str:
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


def _unify(items: list[Any], function: str) -> list[Any]:
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
    return (3, 0, _canonical(value))


def _as_set(items: list[Any], function: str) -> list[Any]:
    """Our sets are lists without duplicates, in the order Terraform lists a set's elements."""
    seen: dict[str, Any] = {}
    for item in _unify(items, function):
        seen.setdefault(_canonical(item), item)
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


@_strict
def join(separator: Any, *lists: Any) -> Any:
    items: list[Any] = []
    for item in lists:
        items.extend(_need(item, list, "join"))
    return to_string(separator).join(to_string(i) for i in items)


@_strict
def split(separator: Any, text: Any) -> Any:
    separator, text = to_string(separator), to_string(text)
    # An empty separator splits between characters, as Go's strings.Split does.
    return text.split(separator) if separator else list(text)


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


def _json_constant(name: str) -> Any:
    # Python's json reads NaN and Infinity; JSON (and Terraform) has neither.
    raise EvalError(f"jsondecode(): {name} is not JSON")


def _json_float(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise EvalError(f"jsondecode(): the number {text[:40]} is out of range")
    return number


@_strict
def jsondecode(text: Any) -> Any:
    try:
        return json.loads(to_string(text), parse_constant=_json_constant, parse_float=_json_float)
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


# --- numbers -----------------------------------------------------------------------------

def _whole(value: Any, function: str, what: str) -> int:
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
    value = _whole(number, "signum", "the number")
    return (value > 0) - (value < 0)


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


@_strict
def parseint(number: Any, base: Any) -> Any:
    if not isinstance(number, str):
        raise EvalError(f"parseint(): the number must be a string, not a {type_name(number)}")
    radix = _whole(base, "parseint", "the base")
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


# --- strings -----------------------------------------------------------------------------

@_strict
def strcontains(text: Any, substring: Any) -> Any:
    return to_string(substring) in to_string(text)


@_strict
def chomp(text: Any) -> Any:
    return re.sub(r"(?:\r\n?|\n)+\Z", "", to_string(text))


MAX_RESULT_CHARS = 1 << 20  # a function that would build a longer string is Unknown, not a memory hog


@_strict
def indent(spaces: Any, text: Any) -> Any:
    width, text = _whole(spaces, "indent", "the number of spaces"), to_string(text)
    if width < 0:
        raise EvalError("indent(): the number of spaces cannot be negative")
    if "\n" not in text:
        return text
    if len(text) + width * text.count("\n") > MAX_RESULT_CHARS:
        raise EvalError("indent(): the result would be too long to evaluate offline")
    return text.replace("\n", "\n" + " " * width)


def _refuses_clusters(char: str) -> bool:
    code = ord(char)
    # Joined emoji, flags, skin tones and Hangul jamo form clusters we do not reassemble.
    return (char == "\u200d" or 0x1F1E6 <= code <= 0x1F1FF or 0x1F3FB <= code <= 0x1F3FF
            or 0x1100 <= code <= 0x11FF or 0xA960 <= code <= 0xA97F or 0xD7B0 <= code <= 0xD7FF)


@_strict
def strrev(text: Any) -> Any:
    text = to_string(text)
    clusters: list[str] = []
    for char in text:
        if _refuses_clusters(char):
            raise EvalError("strrev(): text with joined emoji or jamo is not evaluated offline")
        # Terraform reverses user-perceived characters: a combining mark stays after its base.
        if clusters and (unicodedata.category(char).startswith("M") or char == "\n" and clusters[-1] == "\r"):
            clusters[-1] += char
        else:
            clusters.append(char)
    return "".join(reversed(clusters))


@_strict
def urlencode(text: Any) -> Any:
    # Go's query escaping: letters, digits and -_.~ stay, a space becomes +, the rest is %XX.
    return urllib.parse.quote_plus(to_string(text), safe="")


@_strict
def base64encode(text: Any) -> Any:
    return base64.b64encode(to_string(text).encode("utf-8")).decode("ascii")


@_strict
def base64decode(text: Any) -> Any:
    encoded = to_string(text)
    try:
        # Go's standard decoding skips line breaks but nothing else, and wants the padding.
        raw = base64.b64decode(encoded.replace("\r", "").replace("\n", ""), validate=True)
    except (ValueError, binascii.Error):
        raise EvalError(f"base64decode(): {encoded[:40]!r} is not valid base64") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise EvalError("base64decode(): the decoded bytes are not UTF-8 text") from None


def _digest(algorithm: str, encode: Callable[[bytes], str]) -> Callable[[Any], Any]:
    @_strict
    def function(text: Any) -> Any:
        return encode(hashlib.new(algorithm, to_string(text).encode("utf-8")).digest())

    return function


def _hex(raw: bytes) -> str:
    return raw.hex()


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


_UUID_NAMESPACES = {"dns": uuid.NAMESPACE_DNS, "url": uuid.NAMESPACE_URL,
                    "oid": uuid.NAMESPACE_OID, "x500": uuid.NAMESPACE_X500}
_UUID_TEXT = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")


@_strict
def uuidv5(namespace: Any, name: Any) -> Any:
    space = to_string(namespace)
    if space in _UUID_NAMESPACES:
        base = _UUID_NAMESPACES[space]
    elif _UUID_TEXT.match(space):
        base = uuid.UUID(space)
    else:
        raise EvalError(f"uuidv5(): unsupported namespace {space[:40]!r}")
    return str(uuid.uuid5(base, to_string(name)))


def sensitive(value: Any) -> Any:
    # We report values, not secrets: marking changes nothing we compute.
    return value


def nonsensitive(value: Any) -> Any:
    return value


# --- paths (Terraform uses Go's path/filepath; on Linux, "/" is the only separator) ------

def _clean_path(path: str) -> str:
    rooted = path.startswith("/")
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(part)
    cleaned = ("/" if rooted else "") + "/".join(parts)
    return cleaned or "."


@_strict
def basename(path: Any) -> Any:
    path = to_string(path)
    if path == "":
        return "."
    stripped = path.rstrip("/")
    if stripped == "":
        return "/"
    return stripped[stripped.rfind("/") + 1 :]


@_strict
def dirname(path: Any) -> Any:
    path = to_string(path)
    return _clean_path(path[: path.rfind("/") + 1])


@_strict
def pathexpand(path: Any) -> Any:
    text = _need(path, str, "pathexpand")
    if text.startswith("~"):
        # The home directory of the machine running Terraform (or an error for ~user): not ours to guess.
        raise EvalError("pathexpand(): a path under ~ depends on the machine running Terraform")
    return text


# --- collections -------------------------------------------------------------------------

def _all_any(function: str, decider: bool) -> Callable[[Any], Any]:
    def check(items: Any) -> Any:
        if is_unknown(items):
            return items
        # Every known element must be a bool (or null, which counts as false) before any decides.
        flags = [item if is_unknown(item) else False if item is None else to_bool(item)
                 for item in _need(items, list, function)]
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
    lists = [_need(arg, list, function) for arg in args]
    # The arguments' elements take one common type, as in Terraform.
    flat = _unify([item for items in lists for item in items], function)
    out, at = [], 0
    for items in lists:
        out.append(flat[at : at + len(items)])
        at += len(items)
    return out


@_strict
def setunion(*sets: Any) -> Any:
    lists = _set_lists(sets, "setunion", 1)
    return _as_set([item for items in lists for item in items], "setunion")


@_strict
def setintersection(*sets: Any) -> Any:
    first, *others = _set_lists(sets, "setintersection", 1)
    keep = [{_canonical(item) for item in items} for items in others]
    return _as_set([item for item in first if all(_canonical(item) in k for k in keep)], "setintersection")


@_strict
def setsubtract(a: Any, b: Any) -> Any:
    first, second = _set_lists((a, b), "setsubtract", 2)
    drop = {_canonical(item) for item in second}
    return _as_set([item for item in first if _canonical(item) not in drop], "setsubtract")


MAX_PRODUCT = 10_000  # more combinations than this is Unknown rather than a memory hog


@_strict
def setproduct(*sets: Any) -> Any:
    if len(sets) < 2:
        raise EvalError("setproduct(): needs at least two arguments")
    lists = [_unify(_need(arg, list, "setproduct"), "setproduct") for arg in sets]
    if math.prod(len(items) for items in lists) > MAX_PRODUCT:
        raise EvalError(f"setproduct(): more than {MAX_PRODUCT} combinations")
    return [list(combination) for combination in itertools.product(*lists)]


@_strict
def matchkeys(values_: Any, keys_: Any, searchset: Any) -> Any:
    values_ = _need(values_, list, "matchkeys")
    keys_, searchset = _need(keys_, list, "matchkeys"), _need(searchset, list, "matchkeys")
    if len(values_) != len(keys_):
        raise EvalError("matchkeys(): the values and keys lists have different lengths")
    unified = _unify(keys_ + searchset, "matchkeys")
    wanted = {_canonical(item) for item in unified[len(keys_) :]}
    return [value for value, key in zip(values_, unified[: len(keys_)]) if _canonical(key) in wanted]


@_strict
def transpose(mapping: Any) -> Any:
    result: dict[str, list[str]] = {}
    for key in sorted(_need(mapping, dict, "transpose")):
        for item in _need(mapping[key], list, "transpose"):
            if item is None or isinstance(item, (list, dict)):
                raise EvalError(f"transpose(): a {type_name(item)} is not a string")
            result.setdefault(to_string(item), []).append(key)
    return {key: result[key] for key in sorted(result)}


# --- IP networks ---------------------------------------------------------------------------

_DOTTED_QUAD = re.compile(r"(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\Z")


def _network(prefix: Any, function: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    text = to_string(prefix)
    address, slash, length = text.partition("/")
    # Go reads "/16" only (not a netmask), no zone, and octets with leading zeros as decimal.
    if not slash or not length.isdigit() or not length.isascii() or "%" in address:
        raise EvalError(f"{function}(): invalid CIDR expression {text[:60]!r}")
    quad = _DOTTED_QUAD.match(address)
    if quad:
        address = ".".join(str(int(octet)) for octet in quad.groups())
    try:
        network = ipaddress.ip_network(f"{address}/{int(length)}", strict=False)
    except ValueError:
        raise EvalError(f"{function}(): invalid CIDR expression {text[:60]!r}") from None
    if isinstance(network, ipaddress.IPv6Network) and network.network_address.ipv4_mapped is not None:
        # Go treats these as IPv4 networks with its own prefix arithmetic; we do not guess it.
        raise EvalError(f"{function}(): IPv4-mapped IPv6 prefixes are not evaluated offline")
    return network


def _address_text(network: ipaddress.IPv4Network | ipaddress.IPv6Network, value: int) -> str:
    address = ipaddress.ip_address(value) if network.version == 4 else ipaddress.IPv6Address(value)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        raise EvalError("an IPv4-mapped IPv6 result is not evaluated offline")
    return str(address)


def _family(network: ipaddress.IPv4Network | ipaddress.IPv6Network) -> str:
    return "IPv4" if network.version == 4 else "IPv6"


@_strict
def cidrsubnet(prefix: Any, newbits: Any, netnum: Any) -> Any:
    network = _network(prefix, "cidrsubnet")
    bits, number = _whole(newbits, "cidrsubnet", "newbits"), _whole(netnum, "cidrsubnet", "netnum")
    if bits < 0:
        raise EvalError("cidrsubnet(): newbits cannot be negative")
    length = network.prefixlen + bits
    if length > network.max_prefixlen:
        raise EvalError(f"cidrsubnet(): insufficient address space to extend prefix of {network.prefixlen} by {bits}")
    if number < 0 or number >= 1 << bits:
        # Terraform turns a negative netnum into an odd address; we refuse it.
        raise EvalError(f"cidrsubnet(): prefix extension of {bits} does not accommodate a subnet numbered {number}")
    start = int(network.network_address) + (number << (network.max_prefixlen - length))
    return f"{_address_text(network, start)}/{length}"


@_strict
def cidrsubnets(prefix: Any, *newbits: Any) -> Any:
    network = _network(prefix, "cidrsubnets")
    size = 1 << network.max_prefixlen
    first, last = int(network.network_address), int(network.broadcast_address)
    previous_end = (first - 1) % size  # the subnets follow one another from the network's start
    result = []
    for raw in newbits:
        bits = _whole(raw, "cidrsubnets", "newbits")
        if bits < 1:
            raise EvalError("cidrsubnets(): newbits must extend the prefix by at least one bit")
        length = network.prefixlen + bits
        if length > network.max_prefixlen:
            raise EvalError(f"cidrsubnets(): would extend prefix to {length} bits, which is too long "
                            f"for an {_family(network)} address")
        host_bits = network.max_prefixlen - length
        start = ((previous_end >> host_bits) + 1) << host_bits
        if start >= size or not first <= start <= last:
            raise EvalError(f"cidrsubnets(): not enough remaining address space for a subnet with a "
                            f"prefix of {length} bits")
        previous_end = start + (1 << host_bits) - 1
        result.append(f"{_address_text(network, start)}/{length}")
    return result


@_strict
def cidrhost(prefix: Any, hostnum: Any) -> Any:
    network = _network(prefix, "cidrhost")
    number = _whole(hostnum, "cidrhost", "hostnum")
    count = network.num_addresses
    position = number + count if number < 0 else number
    if not 0 <= position < count:
        raise EvalError(f"cidrhost(): prefix of {network.prefixlen} does not accommodate a host numbered {number}")
    return _address_text(network, int(network.network_address) + position)


@_strict
def cidrnetmask(prefix: Any) -> Any:
    network = _network(prefix, "cidrnetmask")
    if network.version != 4:
        raise EvalError("cidrnetmask(): IPv6 addresses cannot have a netmask")
    return str(network.netmask)


from guardrails.terraform.functions.regex import regex, regexall  # noqa: E402
from guardrails.terraform.functions.yaml import yamldecode  # noqa: E402


def checked(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A wrong number of arguments is an EvalError (Unknown), as Terraform refuses the call too."""
    parameters = inspect.signature(function).parameters.values()
    least = sum(1 for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD and p.default is p.empty)
    most = None if any(p.kind is p.VAR_POSITIONAL for p in parameters) else len(parameters)

    def call(*args: Any) -> Any:
        if len(args) < least or most is not None and len(args) > most:
            raise EvalError(f"{name}(): wrong number of arguments ({len(args)})")
        try:
            return function(*args)
        except (OverflowError, ValueError, ZeroDivisionError) as exc:
            # Arithmetic on values Terraform's big numbers hold but floats do not (an infinity,
            # a huge exponent): Unknown with the reason, not a crash.
            raise EvalError(f"{name}(): {exc}") from None

    return functools.wraps(function)(call)


_TABLE: dict[str, Callable[..., Any]] = {
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
    # pure functions module libraries use
    "alltrue": alltrue, "anytrue": anytrue, "base64decode": base64decode,
    "base64encode": base64encode, "base64sha256": _digest("sha256", _b64),
    "base64sha512": _digest("sha512", _b64), "basename": basename, "chomp": chomp,
    "cidrhost": cidrhost, "cidrnetmask": cidrnetmask, "cidrsubnet": cidrsubnet,
    "cidrsubnets": cidrsubnets, "dirname": dirname, "indent": indent, "log": log,
    "matchkeys": matchkeys, "md5": _digest("md5", _hex), "nonsensitive": nonsensitive,
    "parseint": parseint, "pathexpand": pathexpand, "pow": pow_, "regex": regex, "regexall": regexall,
    "sensitive": sensitive, "setintersection": setintersection, "setproduct": setproduct,
    "setsubtract": setsubtract, "setunion": setunion, "sha1": _digest("sha1", _hex),
    "sha256": _digest("sha256", _hex), "sha512": _digest("sha512", _hex), "signum": signum,
    "strcontains": strcontains, "strrev": strrev, "transpose": transpose, "urlencode": urlencode,
    "uuidv5": uuidv5, "yamldecode": yamldecode,
}

FUNCTIONS: dict[str, Callable[..., Any]] = {name: checked(name, f) for name, f in _TABLE.items()}
