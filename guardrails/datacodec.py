"""Cache entries as data, never as code: a JSON encoding with an explicit, closed decoder.

A cache directory can be written by someone else (a CI cache restored from another workflow, a
shared GUARDRAILS_CACHE_DIR), so nothing read back from it may run code, as `pickle` can. Every
value is JSON with each non-JSON value wrapped in a one-key object whose key names one of the
few types below; the decoder builds only those, and anything else is `DecodeError` (for the
cache, a miss).

Plain dicts are wrapped too (`{"D": [k1, v1, k2, v2, ...]}`), so a user's mapping can never be
mistaken for a tagged value and its keys may be any scalar, as YAML's may.
"""
from __future__ import annotations

import json
from typing import Any, Callable


class DecodeError(ValueError):
    """The text is not a value this codec wrote."""


def _encoders() -> dict[type, Callable[[Any], Any]]:
    # Imported here: the codec is used by the cache, and the cache by the loaders.
    from guardrails.loaders.hclnodes import Leaf, Node
    from guardrails.loaders.tfsource import Attr, Block, Body, JsonExpr
    from guardrails.files.yamldoc import YamlDocument

    return {
        # A node's leaves are bare arrays (the bulk of every tree: no object, no hook call each).
        Node: lambda n: {"N": [n.data, [[c.type, c.value, c.line, c.end_line] if type(c) is Leaf else _enc(c)
                                        for c in n.children], n.line, n.end_line]},
        Leaf: lambda t: {"L": [t.type, t.value, t.line, t.end_line]},
        Body: lambda b: {"B": [_enc(list(b.attrs.values())), _enc(b.blocks)]},
        Attr: lambda a: {"A": [a.name, _enc(a.expr), a.line, a.end_line]},
        Block: lambda b: {"K": [b.type, list(b.labels), _enc(b.body), b.file, b.line, b.end_line]},
        JsonExpr: lambda j: {"J": _enc(j.value)},
        YamlDocument: lambda d: {"Y": [_enc(d.value), _enc(d.lines), d.start_line, d.end_line]},
    }


_ENCODERS: dict[type, Callable[[Any], Any]] = {}
_SCALARS = (str, int, float, bool, type(None))


def _enc(value: Any) -> Any:
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is list:
        return [_enc(item) for item in value]
    if kind is dict:
        flat: list[Any] = []
        for key, item in value.items():
            if type(key) not in _SCALARS:
                raise TypeError(f"a mapping key of type {type(key).__name__} is not cached")
            flat.append(key)
            flat.append(_enc(item))
        return {"D": flat}
    if kind is tuple:
        return {"T": [_enc(item) for item in value]}
    encoder = _ENCODERS.get(kind)
    if encoder is None:
        raise TypeError(f"a {kind.__name__} is not cached")
    return encoder(value)


def encode(value: Any) -> bytes:
    """`value` as UTF-8 JSON; TypeError for a type the decoder would not build."""
    if not _ENCODERS:
        _ENCODERS.update(_encoders())
    return json.dumps(_enc(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


def _decoders() -> dict[str, Callable[[Any], Any]]:
    from guardrails.loaders.hclnodes import Leaf, Node
    from guardrails.loaders.tfsource import Attr, Block, Body, JsonExpr
    from guardrails.files.yamldoc import YamlDocument

    # Each decoder checks the types of what it builds: a tampered entry that decodes to a wrong
    # shape must be a cache miss here, not a crash in the evaluator later.
    def node(f: list) -> Node:
        data, children, line, end = f
        _check(type(data) is str and type(children) is list and type(line) is int and type(end) is int)
        return Node(data, [child if type(child) is Node else leaf(child) for child in children], line, end)

    def leaf(f: list) -> Leaf:
        kind, value, line, end = f
        _check(type(kind) is str and type(value) is str and type(line) is int and type(end) is int)
        return Leaf(kind, value, line, end)

    def body(f: list) -> Body:
        attrs, blocks = f
        _check(type(attrs) is list and all(type(a) is Attr for a in attrs)
               and type(blocks) is list and all(type(b) is Block for b in blocks))
        return Body({attr.name: attr for attr in attrs}, blocks)

    def attr(f: list) -> Attr:
        name, expr, line, end = f
        _check(type(name) is str and type(line) is int and type(end) is int)
        return Attr(name, expr, line, end)

    def block(f: list) -> Block:
        kind, labels, inner, file, line, end = f
        _check(type(kind) is str and type(labels) is list and all(type(x) is str for x in labels)
               and type(inner) is Body and type(file) is str and type(line) is int and type(end) is int)
        return Block(kind, labels, inner, file, line, end)

    def document(f: list) -> YamlDocument:
        value, lines, start, end = f
        _check(type(lines) is dict and type(start) is int and type(end) is int)
        return YamlDocument(value, lines, start, end)

    def pairs(flat: list) -> dict:
        _check(type(flat) is list and len(flat) % 2 == 0)
        return dict(zip(flat[::2], flat[1::2]))

    def items(f: list) -> tuple:
        _check(type(f) is list)
        return tuple(f)

    return {"N": node, "L": leaf, "B": body, "A": attr, "K": block, "J": JsonExpr, "Y": document,
            "D": pairs, "T": items}


def _check(ok: bool) -> None:
    if not ok:
        raise DecodeError("a tagged value of the wrong shape")


_DECODERS: dict[str, Callable[[Any], Any]] = {}


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
    if not _DECODERS:
        _DECODERS.update(_decoders())
    try:
        return json.loads(data.decode("utf-8", "surrogatepass"), object_hook=_hook)
    except DecodeError:
        raise
    except (ValueError, TypeError, RecursionError, AttributeError, IndexError, KeyError) as exc:
        # Wrong arity or types inside a tag (Node(*"x")), bad UTF-8, nesting past the stack.
        raise DecodeError(str(exc)) from None
