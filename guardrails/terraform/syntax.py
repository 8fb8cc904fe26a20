"""Reading HCL syntax trees: the tokens that matter, lines, string escapes, traversals."""
from __future__ import annotations

import re
from typing import Any

from guardrails.terraform.hcl.nodes import Leaf, Node


_SKIP_TOKENS = {"LPAR", "RPAR", "LSQB", "RSQB", "LBRACE", "RBRACE", "COMMA", "EQ", "COLON",
                "QMARK", "DBLQUOTE", "DOT", "INTERP_START", "ELLIPSIS", "FOR_OBJECT_ARROW"}


def significant(children: list) -> list:
    """Children without punctuation and newline/comment nodes."""
    out = []
    for child in children:
        if isinstance(child, Leaf):
            if child.type in _SKIP_TOKENS:
                continue
        elif child.data == "new_line_or_comment":
            continue
        out.append(child)
    return out


def node_line(node: Any) -> int:
    return node.line


def node_end_line(node: Any) -> int:
    return node.end_line or node.line


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)")


def unescape(text: str) -> str:
    def repl(match: re.Match) -> str:
        code = match.group(1)
        if code[0] in "uU" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _ESCAPES.get(code, "\\" + code)

    return _ESCAPE_RE.sub(repl, text)


def bare_identifier(node: Any) -> str | None:
    """The name if `node` is a lone identifier (an object key written without quotes)."""
    while isinstance(node, Node) and node.data == "expr_term":
        inner = significant(node.children)
        if len(inner) != 1 or any(isinstance(c, Leaf) and c.type == "LPAR" for c in node.children):
            return None
        node = inner[0]
    if isinstance(node, Node) and node.data == "identifier":
        return node.children[0].value
    return None


def traversal_text(node: Any) -> str:
    """The source of a reference like `aws_instance.web[0].id`, for Unknown reasons."""
    if isinstance(node, Leaf):
        return node.value
    if node.data == "identifier":
        return node.children[0].value
    if node.data == "expr_term":
        inner = significant(node.children)
        return traversal_text(inner[0]) if len(inner) == 1 else "(...)"
    if node.data == "get_attr_expr_term":
        base, get_attr = node.children
        return f"{traversal_text(base)}.{significant(get_attr.children)[0].children[0].value}"
    if node.data == "index_expr_term":
        return f"{traversal_text(node.children[0])}[...]"
    return "an expression"


# Literal text is kept escaped until evaluated: "\\n" in it is a newline to strip as well.
_LEADING_SPACE = re.compile(r"\A(?:[ \t\r\n]|\\[nrt])+")


_TRAILING_SPACE = re.compile(r"(?<!\\)(?:[ \t\r\n]|\\[nrt])+\Z")


def _strip_markers(parts: list[Node]) -> list[Node]:
    """Apply `~` strip markers: `%{~`/`${~` trims the literal before, `~}` the one after."""
    if not any(isinstance(c, Leaf) and c.type == "STRIP_MARKER"
               for part in parts if isinstance(part.children[0], Node) for c in part.children[0].children):
        return parts
    parts = list(parts)

    def literal(index: int) -> Leaf | None:
        if 0 <= index < len(parts):
            leaf = parts[index].children[0]
            if isinstance(leaf, Leaf) and leaf.type == "STRING_CHARS":
                return leaf
        return None

    def replace(index: int, value: str) -> None:
        leaf = parts[index].children[0]
        parts[index] = Node("string_part", [Leaf(leaf.type, value, leaf.line, leaf.end_line)], parts[index].line, parts[index].end_line)

    for index, part in enumerate(parts):
        inner = part.children[0]
        if not isinstance(inner, Node):
            continue
        tokens = [c for c in inner.children if isinstance(c, Leaf)]
        if len(tokens) >= 2 and tokens[1].type == "STRIP_MARKER":
            before = literal(index - 1)
            if before is not None:
                replace(index - 1, _TRAILING_SPACE.sub("", before.value))
        if len(tokens) >= 2 and tokens[-2].type == "STRIP_MARKER":
            after = literal(index + 1)
            if after is not None:
                replace(index + 1, _LEADING_SPACE.sub("", after.value))
    return parts
