"""Terraform's encoding and hash functions: JSON, base64, URL encoding, digests, uuidv5."""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import re
import urllib.parse
import uuid
from typing import Any, Callable

from guardrails.terraform.functions.args import strict as _strict
from guardrails.terraform.values import EvalError, to_string


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
