"""Terraform's string functions: format, join, split, replace, trim, indent, ..."""
from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from guardrails.terraform.functions.args import need
from guardrails.terraform.functions.args import strict as _strict
from guardrails.terraform.functions.numbers import whole_number
from guardrails.terraform.values import EvalError, to_bool, to_number, to_string


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


@_strict
def join(separator: Any, *lists: Any) -> Any:
    items: list[Any] = []
    for item in lists:
        items.extend(need(item, list, "join"))
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


@_strict
def strcontains(text: Any, substring: Any) -> Any:
    return to_string(substring) in to_string(text)


@_strict
def chomp(text: Any) -> Any:
    return re.sub(r"(?:\r\n?|\n)+\Z", "", to_string(text))


MAX_RESULT_CHARS = 1 << 20  # a function that would build a longer string is Unknown, not a memory hog


@_strict
def indent(spaces: Any, text: Any) -> Any:
    width, text = whole_number(spaces, "indent", "the number of spaces"), to_string(text)
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
