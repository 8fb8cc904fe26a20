"""Cache entries as data, never as code: a JSON encoding with an explicit, closed decoder.

A cache directory can be written by someone else (a CI cache restored from another workflow, a
shared GUARDRAILS_CACHE_DIR), so nothing read back from it may run code, as `pickle` can. Every
value is JSON with each non-JSON value wrapped in a one-key object whose key names one of the
few types our modules register; the decoder builds only those, and anything else is
`DecodeError` (for the cache, a miss).

Plain dicts are wrapped too (`{"D": [k1, v1, k2, v2, ...]}`), so a user's mapping can never be
mistaken for a tagged value and its keys may be any scalar, as YAML's may.
"""
from __future__ import annotations

import json
from typing import Any, Callable


class DecodeError(ValueError):
    """The text is not a value this codec wrote."""


# Filled by the modules that own the types (terraform.hcl.nodes, terraform.source, files.yamldoc)
# when they are imported: whoever reads a cache entry has imported the types it holds. Closed all
# the same: only our modules register, and a tag nobody registered is a DecodeError.
_ENCODERS: dict[type, tuple[str, Callable[[Any], Any]]] = {}
_DECODERS: dict[str, Callable[[Any], Any]] = {}
_SCALARS = (str, int, float, bool, type(None))


def register(tag: str, kind: type, encoder: Callable[[Any], Any], decoder: Callable[[Any], Any]) -> None:
    """Let the codec write `kind` as `{tag: encoder(value)}` and build it back with `decoder(fields)`.

    The decoder must check the types of what it builds (with `expect`): a tampered entry that
    decodes to a wrong shape must be a cache miss, not a crash in the evaluator later.
    """
    known = _DECODERS.get(tag)
    if known is not None and known is not decoder:
        raise ValueError(f"cache tag {tag!r} is already taken")
    _ENCODERS[kind] = (tag, encoder)
    _DECODERS[tag] = decoder


def encode_value(value: Any) -> Any:
    """`value` as JSON-ready data (for encoders of container types)."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is list:
        return [encode_value(item) for item in value]
    if kind is dict:
        flat: list[Any] = []
        for key, item in value.items():
            if type(key) not in _SCALARS:
                raise TypeError(f"a mapping key of type {type(key).__name__} is not cached")
            flat.append(key)
            flat.append(encode_value(item))
        return {"D": flat}
    if kind is tuple:
        return {"T": [encode_value(item) for item in value]}
    entry = _ENCODERS.get(kind)
    if entry is None:
        raise TypeError(f"a {kind.__name__} is not cached")
    tag, encoder = entry
    return {tag: encoder(value)}


def encode(value: Any) -> bytes:
    """`value` as UTF-8 JSON; TypeError for a type the decoder would not build."""
    return json.dumps(encode_value(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


def expect(ok: bool) -> None:
    """In a decoder: DecodeError unless the fields have the shape the encoder wrote."""
    if not ok:
        raise DecodeError("a tagged value of the wrong shape")


def _pairs(flat: list) -> dict:
    expect(type(flat) is list and len(flat) % 2 == 0)
    return dict(zip(flat[::2], flat[1::2]))


def _items(fields: list) -> tuple:
    expect(type(fields) is list)
    return tuple(fields)


_DECODERS.update({"D": _pairs, "T": _items})


def _hook(obj: dict) -> Any:
    # The C scanner calls this bottom-up for every JSON object: each one is a tag we wrote.
    if len(obj) != 1:
        raise DecodeError("an object that is not a tagged value")
    ((tag, fields),) = obj.items()
    decoder = _DECODERS.get(tag)
    if decoder is None:
        raise DecodeError(f"unknown tag {tag!r}")
    return decoder(fields)


def decode(data: bytes) -> Any:
    """The value `encode` wrote; DecodeError for anything else, damaged or foreign."""
    try:
        return json.loads(data.decode("utf-8", "surrogatepass"), object_hook=_hook)
    except DecodeError:
        raise
    except (ValueError, TypeError, RecursionError, AttributeError, IndexError, KeyError) as exc:
        # Wrong arity or types inside a tag (Node(*"x")), bad UTF-8, nesting past the stack.
        raise DecodeError(str(exc)) from None
