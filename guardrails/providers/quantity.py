"""Kubernetes resource quantities (`500m`, `0.5`, `1Gi`, `1G`, `1e3`, `128974848`) as Decimals.

The grammar is Kubernetes' own: an optional sign, a number (`1`, `1.5`, `.5`, `5.`), then
nothing, a binary suffix (Ki Mi Gi Ti Pi Ei), a decimal suffix (n u m k M G T P E) or an
exponent (`e3`, `E-2`). YAML hands unquoted numbers over as int or float (`cpu: 2`,
`cpu: 0.5`): they are the same quantities. Suffixes are case-sensitive: `m` is milli, `M` mega,
so `memory: 100m` is a tenth of a byte, a valid quantity that rules catch with a minimum.

Negative quantities are valid syntax and parse to negative numbers; it is for the caller to
refuse them where Kubernetes does (container resources must not be negative).
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {
    "n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"), "": Decimal(1),
    "k": Decimal("1e3"), "M": Decimal("1e6"), "G": Decimal("1e9"), "T": Decimal("1e12"),
    "P": Decimal("1e15"), "E": Decimal("1e18"),
}
_NUMBER = re.compile(r"([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(.*)\Z", re.DOTALL)
_EXPONENT = re.compile(r"[eE]([+-]?[0-9]+)\Z")
_MAX_EXPONENT = 100  # far above any real quantity (an exabyte is 1e18) and cheap to compute

# Units people write that Kubernetes does not know, and what they probably meant.
_HINTS = {
    "k": "k (1000) or Ki (1024)", "K": "k (1000) or Ki (1024)", "KB": "k (1000) or Ki (1024)",
    "kb": "k (1000) or Ki (1024)", "KiB": "Ki", "MB": "M or Mi", "mb": "M or Mi", "MiB": "Mi",
    "GB": "G or Gi", "gb": "G or Gi", "GiB": "Gi", "TB": "T or Ti", "tb": "T or Ti",
    "TiB": "Ti", "e": "E (10^18) or an exponent such as e3", "B": "no unit: a plain number is bytes", "b": "no unit: a plain number is bytes",
}
_UNITS_BY_SIZE: tuple[tuple[str, Decimal], ...] = (
    *((suffix, Decimal(_BINARY[suffix])) for suffix in ("Ei", "Pi", "Ti", "Gi", "Mi", "Ki")),
    *((suffix, _DECIMAL[suffix]) for suffix in ("E", "P", "T", "G", "M", "k")),
)


class QuantityError(ValueError):
    """A value that is not a Kubernetes quantity; the message says why."""


def parse_quantity(value: Any) -> Decimal:
    """The quantity in base units (cores, bytes, counts); QuantityError if it is not one."""
    if isinstance(value, bool) or value is None:
        raise QuantityError(f"{_show(value)} is not a quantity")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise QuantityError(f"{_show(value)} is not a quantity")
        return Decimal(repr(value))
    if not isinstance(value, str):
        raise QuantityError(f"{_show(value)} is not a quantity (a number or a string such as 500m)")
    if not value:
        raise QuantityError("an empty string is not a quantity")
    if value != value.strip():
        raise QuantityError(f"{_show(value)} has spaces around it")
    match = _NUMBER.match(value)
    if not match:
        raise QuantityError(f"{_show(value)} does not start with a number")
    number, suffix = Decimal(match.group(1)), match.group(2)
    if suffix in _BINARY:
        return number * _BINARY[suffix]
    if suffix in _DECIMAL:
        return number * _DECIMAL[suffix]
    exponent = _EXPONENT.match(suffix)
    if exponent:
        power = int(exponent.group(1))
        if abs(power) > _MAX_EXPONENT:
            raise QuantityError(f"{_show(value)} is out of range")
        return number.scaleb(power)
    raise QuantityError(_suffix_problem(value, suffix))


def cpu_cores(value: Any) -> Decimal:
    """A CPU quantity in cores (`500m` is 0.5)."""
    return parse_quantity(value)


def memory_bytes(value: Any) -> Decimal:
    """A memory or storage quantity in bytes (`1Ki` is 1024)."""
    return parse_quantity(value)


def format_cpu(cores: Decimal) -> str:
    """Cores as Kubernetes prints them: `2`, `500m`, `1500m`."""
    if cores == cores.to_integral_value():
        return _plain(cores)
    millis = cores * 1000
    if millis == millis.to_integral_value():
        return f"{_plain(millis)}m"
    return _plain(cores)


def format_bytes(size: Decimal) -> str:
    """Bytes in the shortest exact form: `16Gi`, `1.5Gi`, `500M`, `1000`, `100m` (0.1 byte)."""
    magnitude = abs(size)
    sign = "-" if size < 0 else ""
    candidates: list[str] = []
    for suffix, unit in _UNITS_BY_SIZE:
        amount = magnitude / unit
        if amount >= 1 and (amount * 100) == (amount * 100).to_integral_value():
            candidates.append(_plain(amount) + suffix)
    if magnitude == magnitude.to_integral_value():
        candidates.append(_plain(magnitude))
    elif (magnitude * 1000) == (magnitude * 1000).to_integral_value():
        candidates.append(_plain(magnitude * 1000) + "m")
    else:
        candidates.append(_plain(magnitude))
    return sign + min(candidates, key=len)


def format_quantity(value: Decimal, resource: str) -> str:
    """`value` of the named resource (`cpu`, `memory`, `ephemeral-storage`, ...) for a message."""
    if resource == "cpu":
        return format_cpu(value)
    if resource in ("memory", "storage", "ephemeral-storage") or resource.startswith("hugepages-"):
        return format_bytes(value)
    return _plain(value)


def _plain(number: Decimal) -> str:
    """A Decimal without exponent or trailing zeros: 1E+3 -> 1000, 1.50 -> 1.5."""
    return f"{number.normalize():f}"


def _show(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def _suffix_problem(value: str, suffix: str) -> str:
    if suffix[:1].isspace():
        return f"{_show(value)} has a space before its unit (write it without: {value.replace(' ', '')!r})"
    if suffix[:1] in (".", "+", "-") or suffix[:1].isdigit():
        return f"{_show(value)} is not a number followed by a unit"
    hint = _HINTS.get(suffix)
    if hint is None:
        for known in (*_BINARY, *_DECIMAL):
            if known and known.lower() == suffix.lower():
                hint = known
                break
    if hint is None and suffix[:1] in "eE" and len(suffix) > 1:
        return f"{_show(value)} has a malformed exponent {suffix!r} (write e.g. 1e3)"
    problem = f"{_show(value)} has an unknown unit {suffix!r}"
    if hint:
        return f"{problem} (did you mean {hint}?)"
    return f"{problem} (units: m, k, M, G, T, Ki, Mi, Gi, Ti; e.g. 500m, 1.5, 256Mi)"
