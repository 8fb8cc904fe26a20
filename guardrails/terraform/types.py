"""Variable type constraints, applied to the values a module receives as Terraform does.

Module libraries declare inputs like `map(object({ size = optional(string), tags =
optional(map(string), {}) }))` and then read `each.value.size` for every entry, relying on the
conversion to fill left-out optional attributes with their default or null. Without it every
such read is "no attribute", and whole resources go unknown.
"""
from __future__ import annotations

from typing import Any, Union

from guardrails.terraform.hcl.nodes import Node
from guardrails.terraform.evaluate import evaluate
from guardrails.terraform.scope import Scope
from guardrails.terraform.syntax import bare_identifier, significant
from guardrails.terraform.values import EvalError, to_bool, to_number, to_string
from guardrails.core.model import Unknown, is_unknown

PRIMITIVES = ("string", "number", "bool", "any")

# "string" | ("list"|"set"|"map", element) | ("tuple", [types]) | ("object", {name: Attribute})
TypeSpec = Union[str, tuple]


class Attribute:
    __slots__ = ("type", "optional", "default")

    def __init__(self, type: TypeSpec, optional: bool = False, default: Any = None) -> None:  # noqa: A002
        self.type = type
        self.optional = optional
        self.default = default


def type_spec(expr: Any) -> TypeSpec:
    """The constraint a `type = ...` expression writes; "any" for what we do not recognise."""
    try:
        return _spec(expr)
    except (_NotAType, RecursionError):
        return "any"


class _NotAType(Exception):
    pass


def _unwrap(node: Any) -> Any:
    while isinstance(node, Node) and node.data == "expr_term" and len(significant(node.children)) == 1:
        node = significant(node.children)[0]
    return node


def _call(node: Any) -> tuple[str, list[Any]] | None:
    node = _unwrap(node)
    if not (isinstance(node, Node) and node.data == "function_call"):
        return None
    names = [c.children[0].value for c in node.children if isinstance(c, Node) and c.data == "identifier"]
    args = next((c for c in node.children if isinstance(c, Node) and c.data == "arguments"), None)
    return (names[-1] if names else ""), (significant(args.children) if args is not None else [])


def _spec(expr: Any) -> TypeSpec:
    name = bare_identifier(expr)
    if name in PRIMITIVES:
        return name
    call = _call(expr)
    if call is None:
        raise _NotAType
    function, args = call
    if function in ("list", "set", "map") and len(args) == 1:
        return (function, _spec(args[0]))
    if function == "tuple" and len(args) == 1:
        items = _unwrap(args[0])
        if not (isinstance(items, Node) and items.data == "tuple"):
            raise _NotAType
        return ("tuple", [_spec(item) for item in significant(items.children)])
    if function == "object" and len(args) == 1:
        return ("object", _object_attributes(args[0]))
    raise _NotAType


def _object_attributes(node: Any) -> dict[str, Attribute]:
    node = _unwrap(node)
    if not (isinstance(node, Node) and node.data == "object"):
        raise _NotAType
    out: dict[str, Attribute] = {}
    for elem in significant(node.children):
        parts = significant(elem.children)
        if len(parts) != 2:
            raise _NotAType
        key = _key(parts[0])
        call = _call(parts[1])
        if call is not None and call[0] == "optional" and 1 <= len(call[1]) <= 2:
            default = evaluate(call[1][1], Scope({})) if len(call[1]) == 2 else None
            out[key] = Attribute(_spec(call[1][0]), optional=True, default=default)
        else:
            out[key] = Attribute(_spec(parts[1]))
    return out


def _key(node: Any) -> str:
    inner = node
    if isinstance(inner, Node) and inner.data == "object_elem_key":
        inner = significant(inner.children)[0]
    name = bare_identifier(inner)
    if name is not None:
        return name
    value = evaluate(inner, Scope({}))
    if isinstance(value, str):
        return value
    raise _NotAType


def convert(value: Any, spec: TypeSpec) -> Any:
    """`value` converted to the constraint as far as it is known; Unknown where it cannot be."""
    if is_unknown(value) or value is None:
        return value
    try:
        return _convert(value, spec)
    except EvalError as exc:
        return Unknown(f"value does not convert to {describe(spec)}: {exc}")


def conversion_problem(value: Any, spec: TypeSpec) -> str | None:
    """Why Terraform would refuse `value` for a variable of this type; None when it converts."""
    if is_unknown(value) or value is None:
        return None
    try:
        _convert(value, spec)
    except EvalError as exc:
        return str(exc)
    return None


_PRIMITIVE_VALUES = (str, int, float, bool)


def _convert(value: Any, spec: TypeSpec) -> Any:
    if is_unknown(value) or value is None:
        return value
    if isinstance(spec, str):
        if spec == "any":
            return value
        if isinstance(value, (list, dict)):
            raise EvalError(f"a {_kind(value)} cannot be used as a {spec}")
        return _primitive(value, spec)
    kind = spec[0]
    if isinstance(value, _PRIMITIVE_VALUES):
        # A string or number where a collection is declared: Terraform refuses it, whatever
        # the elements; shapes we hold otherwise (a lazily read module) pass on as written.
        raise EvalError(f"a {_kind(value)} cannot be used as {describe(spec)}")
    if kind in ("list", "set") and isinstance(value, list):
        return [_convert(item, spec[1]) for item in value]
    if kind == "map" and isinstance(value, dict):
        return {key: _convert(item, spec[1]) for key, item in value.items()}
    if kind == "tuple" and isinstance(value, list):
        if len(value) != len(spec[1]):
            raise EvalError(f"a tuple of {len(value)} elements cannot be used as {describe(spec)}")
        return [_convert(item, item_spec) for item, item_spec in zip(value, spec[1])]
    if kind == "object" and isinstance(value, dict):
        out: dict[str, Any] = {}
        for name, attribute in spec[1].items():
            if name in value:
                item = value[name]
                if item is None and attribute.optional and attribute.default is not None:
                    item = attribute.default  # Terraform: null for an optional attribute takes its default
                out[name] = _convert(item, attribute.type)
            elif attribute.optional:
                out[name] = _convert(attribute.default, attribute.type)
            # A required attribute left out is Terraform's error to report; reading it here
            # stays "no attribute", and the rest of the value is still checked.
        return out  # Terraform drops attributes the type does not declare
    if isinstance(value, list) and kind in ("map", "object") or isinstance(value, dict) and kind in ("list", "set", "tuple"):
        raise EvalError(f"a {_kind(value)} cannot be used as {describe(spec)}")
    return value  # a shape we cannot check offline is passed on as written


def _primitive(value: Any, spec: str) -> Any:
    if spec == "number":
        return to_number(value)
    if spec == "bool":
        return to_bool(value)
    if spec == "string":
        return to_string(value)
    return value


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "list" if isinstance(value, list) else "map"


def describe(spec: TypeSpec) -> str:
    if isinstance(spec, str):
        return spec
    if spec[0] in ("list", "set", "map"):
        return f"{spec[0]}({describe(spec[1])})"
    if spec[0] == "tuple":
        return "tuple([" + ", ".join(describe(item) for item in spec[1]) + "])"
    return "object({" + ", ".join(spec[1]) + "})"
