"""Evaluating a block's body into attribute values and their lines (HCL and `.tf.json`)."""
from __future__ import annotations

from typing import Any

from guardrails.core.model import Unknown, is_unknown
from guardrails.terraform.budget import current as current_budget
from guardrails.terraform.evaluate import MAX_DEPTH, evaluate, template_from_text
from guardrails.terraform.hcl.nodes import Node
from guardrails.terraform.hcl.parse import HclSyntaxError
from guardrails.terraform.scope import Scope
from guardrails.terraform.source import Block, Body, JsonExpr
from guardrails.terraform.syntax import bare_identifier, node_line, significant
from guardrails.terraform.values import EvalError, iterate

RESOURCE_META = {"count", "for_each", "provider", "depends_on"}  # `version`, `source` are real attributes there


META_BLOCKS = {"lifecycle", "provisioner", "connection", "precondition", "postcondition"}


def eval_expr(expr: Any, scope: Scope) -> Any:
    if isinstance(expr, JsonExpr):
        return _eval_json(expr.value, scope)
    return evaluate(expr, scope)


def in_file(file: str, expr: Any, scope: Scope) -> Any:
    """A local's value, charged to the file that defines it, wherever it is read from."""
    with current_budget().at(file):
        return eval_expr(expr, scope)


def _eval_json(value: Any, scope: Scope) -> Any:
    if isinstance(value, str):
        if "${" in value or "%{" in value:
            try:
                return template_from_text(value, scope)
            except (EvalError, HclSyntaxError) as exc:
                return Unknown(str(exc))
        return value
    if isinstance(value, list):
        return [_eval_json(item, scope) for item in value]
    if isinstance(value, dict):
        return {key: _eval_json(item, scope) for key, item in value.items()}
    return value


def evaluate_body(body: Body, scope: Scope, prefix: str) -> tuple[dict[str, Any], dict[str, int]]:
    """A block body's attributes and nested blocks as plain values, with the line of each path."""
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for name, attr in body.attrs.items():
        if not prefix and name in RESOURCE_META:
            continue
        path = f"{prefix}{name}"
        value = eval_expr(attr.expr, scope)
        values[name] = value
        lines[path] = attr.line
        _object_lines(attr.expr, path, lines)
    for block in body.blocks:
        if block.type in META_BLOCKS:
            continue
        if block.type == "dynamic" and block.labels:
            _dynamic(block, scope, prefix, values, lines)
            continue
        items = values.setdefault(block.type, [])
        if not isinstance(items, list):
            continue
        path = f"{prefix}{block.type}[{len(items)}]"
        inner_values, inner_lines = evaluate_body(block.body, scope, path + ".")
        items.append(inner_values)
        lines[path] = block.line
        lines.update(inner_lines)
    return values, lines


def _dynamic(block: Block, scope: Scope, prefix: str, values: dict[str, Any], lines: dict[str, int]) -> None:
    kind = block.labels[0]
    items = values.setdefault(kind, [])
    if not isinstance(items, list):
        return
    attrs = block.body.attrs
    iterator = kind
    if "iterator" in attrs:
        iterator = bare_identifier(attrs["iterator"].expr) or kind
    content = next((b for b in block.body.blocks if b.type == "content"), None)
    collection = eval_expr(attrs["for_each"].expr, scope) if "for_each" in attrs else Unknown("dynamic block without for_each")
    if content is None:
        return
    if is_unknown(collection):
        lines[f"{prefix}{kind}[{len(items)}]"] = block.line
        items.append(Unknown(f"dynamic {kind} blocks: {collection.reason}"))
        return
    try:
        pairs = list(iterate(collection))
    except EvalError as exc:
        items.append(Unknown(f"dynamic {kind} blocks: {exc}"))
        return
    for key, value in pairs:
        inner = scope.child({iterator: {"key": key, "value": value}})
        path = f"{prefix}{kind}[{len(items)}]"
        inner_values, inner_lines = evaluate_body(content.body, inner, path + ".")
        items.append(inner_values)
        lines[path] = block.line
        lines.update(inner_lines)


def _object_lines(expr: Any, path: str, lines: dict[str, int], depth: int = 0) -> None:
    """Lines of the keys of an object literal (e.g. each tag), where the source has one."""
    if depth > MAX_DEPTH:
        return  # the value itself is Unknown that deep (see evaluate.MAX_DEPTH)
    node = expr
    while isinstance(node, Node) and node.data == "expr_term":
        inner = significant(node.children)
        if len(inner) != 1:
            return
        node = inner[0]
    if isinstance(node, Node) and node.data == "function_call":
        # merge(local.tags, { owner = "x" }): the keys written inline still have their lines.
        args = next((c for c in node.children if isinstance(c, Node) and c.data == "arguments"), None)
        for arg in significant(args.children) if args is not None else []:
            _object_lines(arg, path, lines, depth + 1)
        return
    if not isinstance(node, Node) or node.data != "object":
        return
    for elem in significant(node.children):
        key_node = significant(elem.children)[0]
        inner = significant(key_node.children)[0]
        key = bare_identifier(inner)
        if key is None:
            value = evaluate(inner, Scope({}))
            key = value if isinstance(value, str) else None
        if key is not None:
            lines[f"{path}.{key}"] = node_line(elem)
            _object_lines(significant(elem.children)[-1], f"{path}.{key}", lines, depth + 1)
