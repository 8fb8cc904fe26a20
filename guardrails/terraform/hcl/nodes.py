"""The HCL syntax tree we evaluate: python-hcl2's Lark tree, copied into two small classes.

Lark's `Tree` and `Token` carry a position record per node and are slow to pickle and to load
back (a warm run over a thousand cached files spent most of its time unpickling them), and
importing lark costs every run that needs no parse. These classes keep only what evaluation reads
(rule name, children, token type and text, first and last line), load from the cache without
lark, and let another parser backend produce the same tree.
"""
from __future__ import annotations

from typing import Any

from guardrails.files import datacodec


class Node:
    """A grammar rule's match: `data` is the rule name, `children` its nodes and leaves."""

    __slots__ = ("data", "children", "line", "end_line")

    def __init__(self, data: str, children: list, line: int = 0, end_line: int = 0) -> None:
        self.data = data
        self.children = children
        self.line = line
        self.end_line = end_line

    def __reduce__(self) -> tuple:
        # Positional arguments pickle and load several times faster than the slot state dict.
        return (Node, (self.data, self.children, self.line, self.end_line))

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Node) and self.data == other.data and self.children == other.children
                and self.line == other.line and self.end_line == other.end_line)

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def __repr__(self) -> str:
        return f"Node({self.data!r}, {self.children!r}, {self.line}, {self.end_line})"


class Leaf:
    """A token: `type` is the terminal's name, `value` the text it matched."""

    __slots__ = ("type", "value", "line", "end_line")

    def __init__(self, type: str, value: str, line: int = 0, end_line: int = 0) -> None:  # noqa: A002
        self.type = type
        self.value = value
        self.line = line
        self.end_line = end_line

    def __reduce__(self) -> tuple:
        return (Leaf, (self.type, self.value, self.line, self.end_line))

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Leaf) and self.type == other.type and self.value == other.value
                and self.line == other.line and self.end_line == other.end_line)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Leaf({self.type!r}, {self.value!r}, {self.line}, {self.end_line})"


def from_lark(tree: Any) -> Node:
    """Copy a Lark tree (built with propagate_positions) into Nodes and Leaves.

    Iterative, so a tree nested thousands deep (which lark itself built) does not hit the
    recursion limit here.
    """
    from lark import Token

    def leaf(token: Any) -> Leaf:
        return Leaf(token.type, str(token), token.line or 0, token.end_line or token.line or 0)

    root = Node(str(tree.data), [], *_lines(tree))
    stack = [(tree, root)]
    while stack:
        source, target = stack.pop()
        out = target.children
        for child in source.children:
            if isinstance(child, Token):
                out.append(leaf(child))
            else:
                node = Node(str(child.data), [], *_lines(child))
                out.append(node)
                stack.append((child, node))
    return root


def _lines(tree: Any) -> tuple[int, int]:
    meta = tree._meta  # noqa: SLF001 - reading `.meta` would create an empty one on every node
    if meta is None or meta.empty:
        return 0, 0
    return meta.line, meta.end_line


# --- cache entries ---------------------------------------------------------------------------------
# A node's leaves are bare arrays (the bulk of every tree: no object and no hook call each).

def _encode_node(node: Node) -> list:
    return [node.data, [[c.type, c.value, c.line, c.end_line] if type(c) is Leaf else datacodec.encode_value(c)
                        for c in node.children], node.line, node.end_line]


def _decode_node(fields: list) -> Node:
    data, children, line, end = fields
    datacodec.expect(type(data) is str and type(children) is list and type(line) is int and type(end) is int)
    return Node(data, [child if type(child) is Node else _decode_leaf(child) for child in children], line, end)


def _decode_leaf(fields: list) -> Leaf:
    kind, value, line, end = fields
    datacodec.expect(type(kind) is str and type(value) is str and type(line) is int and type(end) is int)
    return Leaf(kind, value, line, end)


datacodec.register("N", Node, _encode_node, _decode_node)
datacodec.register("L", Leaf, lambda t: [t.type, t.value, t.line, t.end_line], _decode_leaf)
