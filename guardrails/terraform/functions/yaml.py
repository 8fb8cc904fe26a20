"""yamldecode(): Terraform's YAML reading (YAML 1.2 core schema values), bounded and without recursion."""
from __future__ import annotations

import base64
import binascii
import copy
import datetime
import re
from typing import Any

from guardrails.terraform.functions.args import from_float as _from_float
from guardrails.terraform.functions.args import strict as _strict
from guardrails.terraform.values import EvalError, to_string

# --- YAML ----------------------------------------------------------------------------------

MAX_YAML_CHARS = 1 << 20
MAX_YAML_NODES = 100_000  # values built, aliases counted at their full size each time they are used
MAX_YAML_DEPTH = 100  # nesting, counting what aliases bring in

_YAML_TAG = "tag:yaml.org,2002:"
_YAML_WORDS: dict[str, Any] = {
    **dict.fromkeys(("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    **dict.fromkeys(("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), None),
}
_YAML_DECIMAL = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_YAML_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:([Tt ])(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d{1,9})?(Z|[-+]\d{2}:\d{2})?)?\Z")


def _yaml_number(text: str) -> int | float | None:
    if _YAML_DECIMAL.match(text):
        if re.fullmatch(r"[-+]?[0-9]+", text):
            if len(text) > 1000:
                raise EvalError("yamldecode(): a number over 1000 digits is not decoded offline")
            return int(text)
        try:
            return _from_float(float(text), "yamldecode")
        except EvalError:
            raise EvalError(f"yamldecode(): the number {text[:40]!r} is out of range") from None
    if len(text) > 1000:
        return None
    if re.fullmatch(r"0x[0-9a-fA-F]+", text):
        return int(text, 16)
    if re.fullmatch(r"0o[0-7]+", text):
        return int(text[2:], 8)
    return None


def _yaml_timestamp(text: str) -> str | None:
    match = _YAML_TIMESTAMP.match(text)
    if match is None:
        return None
    year, month, day, separator, hour, minute, second, zone = match.groups()
    if separator is not None and (separator == " ") != (zone is None):
        return None  # Terraform reads a zone after T and none after a space, as Go's layouts do
    try:
        moment = datetime.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    except ValueError:
        return None
    # Terraform writes the RFC 3339 form, without fractions of a second.
    suffix = "Z" if zone in (None, "Z", "+00:00", "-00:00") else zone
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + suffix


def _yaml_scalar(value: str, tag: str | None, plain: bool) -> Any:
    if tag is None and not plain or tag in ("!", _YAML_TAG + "str"):
        return value
    if tag is None:
        if value in _YAML_WORDS:
            return _YAML_WORDS[value]
        if value in (".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"):
            raise EvalError("yamldecode(): infinity is not evaluated offline")
        if value in (".nan", ".NaN", ".NAN"):
            raise EvalError("yamldecode(): floating point NaN is not supported")
        if value[:1] in "0123456789+-.":
            stamp = _yaml_timestamp(value) if value[:1].isdigit() else None
            if stamp is not None:
                return stamp
            number = _yaml_number(value)
            if number is not None:
                return number
        return value
    kind = tag[len(_YAML_TAG) :] if tag.startswith(_YAML_TAG) else None
    if not plain and kind in ("int", "float"):
        return value  # Terraform keeps a quoted scalar a string whatever its tag says
    if kind == "binary":
        try:
            base64.b64decode(value.replace("\n", "").replace(" ", ""), validate=True)
        except (ValueError, binascii.Error):
            raise EvalError("yamldecode(): a !!binary value is not valid base64") from None
        return value
    if kind == "bool" and isinstance(_YAML_WORDS.get(value), bool):
        return _YAML_WORDS[value]
    if kind == "null":
        return None
    if kind in ("int", "float"):
        number = _yaml_number(value.replace("_", ""))
        if number is not None:
            return number
    if kind == "timestamp":
        stamp = _yaml_timestamp(value)
        if stamp is not None:
            return stamp
    if kind in ("bool", "int", "float", "timestamp"):
        raise EvalError(f"yamldecode(): cannot read {value[:40]!r} as !!{kind}")
    raise EvalError(f"yamldecode(): unsupported tag {tag[:60]!r}")


def _yaml_shape(value: Any) -> tuple[int, int]:
    """How many values a built value holds, and how deeply they nest."""
    items = value if isinstance(value, list) else value.values() if isinstance(value, dict) else None
    if items is None:
        return 1, 0
    size, depth = 1, 0
    for item in items:
        inner_size, inner_depth = _yaml_shape(item)
        size, depth = size + inner_size, max(depth, inner_depth)
    return size, depth + 1


class _YamlBuilder:
    """Builds values from PyYAML's event stream, without recursion and within a size budget.

    Reading events (not PyYAML's node graph) lets us cap nesting and alias expansion ourselves:
    a "billion laughs" document stops at MAX_YAML_NODES instead of filling memory.
    """

    def __init__(self) -> None:
        self.anchors: dict[str, Any] = {}
        self.open: set[str] = set()
        self.built = 0
        # each entry: [container, anchor, pending key or _NO_KEY, merged keys (mappings)]
        self.stack: list[list[Any]] = []
        self.result: Any = _NO_KEY
        self.documents = 0

    def count(self, amount: int) -> None:
        self.built += amount
        if self.built > MAX_YAML_NODES:
            raise EvalError(f"yamldecode(): the document expands to more than {MAX_YAML_NODES} values")

    def event(self, event: Any) -> None:
        import yaml  # imported when a document is decoded: most runs never call yamldecode()

        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise EvalError("yamldecode(): only one YAML document is allowed")
        elif isinstance(event, yaml.ScalarEvent):
            plain = event.style in (None, "")
            self.count(1)
            merge_key = plain and event.tag is None and event.value == "<<"
            self.add(_yaml_scalar(event.value, event.tag, plain), event.anchor, merge_key)
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor in self.open or event.anchor not in self.anchors:
                raise EvalError(f"yamldecode(): alias *{event.anchor} refers to no finished anchor")
            value = self.anchors[event.anchor]
            size, depth = _yaml_shape(value)
            self.count(size)
            if len(self.stack) + depth > MAX_YAML_DEPTH:
                raise EvalError(f"yamldecode(): nested deeper than {MAX_YAML_DEPTH} levels")
            self.add(copy.deepcopy(value), None)
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            mapping = isinstance(event, yaml.MappingStartEvent)
            if event.tag not in (None, "!", _YAML_TAG + ("map" if mapping else "seq")):
                raise EvalError(f"yamldecode(): unsupported tag {event.tag[:60]!r}")
            if len(self.stack) >= MAX_YAML_DEPTH:
                raise EvalError(f"yamldecode(): nested deeper than {MAX_YAML_DEPTH} levels")
            self.count(1)
            if event.anchor is not None:
                self.open.add(event.anchor)
            self.stack.append([{} if mapping else [], event.anchor, _NO_KEY, {}])
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            container, anchor, _, merged = self.stack.pop()
            if isinstance(container, dict):
                # Keys written in the mapping win over keys brought in by "<<".
                container = {**merged, **container}
            if anchor is not None:
                self.open.discard(anchor)
            self.add(container, anchor)

    def add(self, value: Any, anchor: str | None, merge_key: bool = False) -> None:
        if anchor is not None:
            self.anchors[anchor] = value
        if not self.stack:
            self.result = value
            return
        top = self.stack[-1]
        container = top[0]
        if isinstance(container, list):
            container.append(value)
        elif top[2] is _NO_KEY:
            if merge_key:
                top[2] = _MERGE
            elif value is None:
                raise EvalError("yamldecode(): a mapping key cannot be null")
            elif isinstance(value, (list, dict)):
                raise EvalError("yamldecode(): only strings are allowed as mapping keys")
            else:
                top[2] = to_string(value)
        elif top[2] is _MERGE:
            top[2] = _NO_KEY
            sources = value if isinstance(value, list) else [value]
            if not all(isinstance(source, dict) for source in sources):
                raise EvalError("yamldecode(): a << merge needs a mapping or a list of mappings")
            for source in sources:
                for key, item in source.items():
                    top[3].setdefault(key, item)  # the first mapping listed wins
        else:
            container[top[2]] = value
            top[2] = _NO_KEY


_NO_KEY = object()
_MERGE = object()


@_strict
def yamldecode(text: Any) -> Any:
    source = to_string(text)
    if len(source) > MAX_YAML_CHARS:
        raise EvalError(f"yamldecode(): YAML over {MAX_YAML_CHARS} characters is not decoded offline")
    import yaml

    builder = _YamlBuilder()
    try:
        for event in yaml.parse(source, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            builder.event(event)
    except yaml.YAMLError as exc:
        raise EvalError(f"yamldecode(): {' '.join(str(exc).split())[:200]}") from None
    except (RecursionError, ValueError):
        # ValueError: text that cannot be encoded for the parser (a lone surrogate)
        raise EvalError("yamldecode(): the text cannot be read as YAML") from None
    if builder.result is _NO_KEY:
        raise EvalError("yamldecode(): the text holds no YAML document")
    return builder.result
