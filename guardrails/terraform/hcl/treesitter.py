"""A fast HCL parser backend: tree-sitter's parse, rebuilt as python-hcl2's exact Node/Leaf tree.

python-hcl2's Lark LALR parser is slow (a grammar build on a cold cache, then about 0.25 MB/s).
tree-sitter-hcl parses in C; this module walks its concrete tree and emits the tree that
`hcl.parse.parse_body` would have produced from the same text: the same rule names, the same
punctuation and newline/comment nodes in the same places, the same token values and lines.

The two grammars differ (tree-sitter treats newlines as blanks, folds postfix operators into a
flat list, chains conditionals to the left, parses heredoc bodies...), so the walk re-derives
Lark's tokens from the source text and places newlines where Lark's LALR tables would. Wherever
it cannot be sure of the result it gives up and `parse_body_fast` returns None, so the caller
falls back to Lark: a None costs only time, a different tree would be a wrong answer.
"""
from __future__ import annotations

from typing import Any

from guardrails.terraform.hcl.nodes import Node
from guardrails.terraform.hcl.ts_collections import _Collections
from guardrails.terraform.hcl.ts_expressions import _Expressions
from guardrails.terraform.hcl.ts_templates import _Templates
from guardrails.terraform.hcl.ts_tokens import _KEYWORDS, _LITERALS, _MAX_DEPTH, _Fallback, _node, _text

# The walk is split by node kind over the ts_* modules (a mixin each, joined in `_Builder` below):
# ts_tokens holds Lark's terminals and the lexer position, ts_expressions the operators and terms,
# ts_templates strings and heredocs, ts_collections tuples, objects, calls and for expressions.
# Mixins cost nothing per node: method lookups are cached per class, as on a single class.

_UNAVAILABLE = object()
_parser_state: Any = None


def _ts_parser() -> Any:
    global _parser_state
    if _parser_state is None:
        try:
            import tree_sitter
            import tree_sitter_hcl

            _parser_state = tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language()))
        except Exception:  # noqa: BLE001 - ImportError, or a binding built for another tree-sitter ABI
            _parser_state = _UNAVAILABLE
    return None if _parser_state is _UNAVAILABLE else _parser_state


def available() -> bool:
    """Whether tree-sitter and its HCL grammar can be loaded here."""
    return _ts_parser() is not None


def parse_body_fast(text: str) -> Node | None:
    """The `start` tree `hcl.parse.parse_body` gives, or None when this backend cannot be sure.

    `text` must already be `hcl.parse.clean_source(original) + "\\n"`: exactly the string that
    `parse_body` hands to Lark. Never raises; None means "parse with Lark instead" (tree-sitter
    missing, a syntax error, or a construct whose Lark tree this module does not reproduce).
    """
    parser = _ts_parser()
    if parser is None:
        return None
    try:
        src = text.encode("utf-8")
        root = parser.parse(src).root_node
        if root.has_error:
            return None
        return _Builder(src).start(root)
    except Exception:  # noqa: BLE001 - _Fallback, RecursionError, anything unforeseen: Lark decides
        return None


class _Builder(_Expressions, _Templates, _Collections):
    """One walk over one file's tree: the body, block and attribute node kinds, plus the mixins."""

    def start(self, root: Any) -> Node:
        items: list = []
        for child in self.kids(root):
            if child.type != "body":
                raise _Fallback
            items = self.kids(child)
        body = self.body(items)
        found, after = self.scan()
        if found or after != len(self.src):
            raise _Fallback
        return _node("start", [body])

    def body(self, items: list) -> Node:
        children: list = []
        for item in items:
            self.add_newlines(children)
            if item.type == "attribute":
                children.append(self.attribute(item))
            elif item.type == "block":
                children.append(self.block(item))
            else:
                raise _Fallback
        self.add_newlines(children)
        return _node("body", children)

    def name(self, ts: Any) -> Node:
        """An attribute name, block type or unquoted label: keywords stay keywords here."""
        if ts.type != "identifier":
            raise _Fallback
        text = _text(self.src, ts)
        if text in _KEYWORDS:
            return _node("keyword", [self.leaf(_KEYWORDS[text], ts)])
        if text in _LITERALS:
            return _node("literal_value", [self.leaf(_LITERALS[text], ts)])
        return self.identifier(ts)

    def attribute(self, ts: Any) -> Node:
        kids = self.kids(ts)
        if len(kids) != 3 or kids[1].type != "=":
            raise _Fallback
        name = self.name(kids[0])
        eq = self.padded_leaf("EQ", kids[1])
        return _node("attribute", [name, eq, self.expression(kids[2])])

    def block(self, ts: Any) -> Node:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise _Fallback
        kids = self.kids(ts)
        children = [self.name(kids[0])]
        index = 1
        while index < len(kids) and kids[index].type in ("identifier", "string_lit"):
            label = kids[index]
            children.append(self.name(label) if label.type == "identifier" else self.string(label))
            index += 1
        if index >= len(kids) or kids[index].type != "block_start":
            raise _Fallback
        self.add_newlines(children)
        children.append(self.leaf("LBRACE", kids[index]))
        index += 1
        items: list = []
        if index < len(kids) and kids[index].type == "body":
            items = self.kids(kids[index])
            index += 1
        children.append(self.body(items))
        if index != len(kids) - 1 or kids[index].type != "block_end":
            raise _Fallback
        children.append(self.leaf("RBRACE", kids[index]))
        self.depth -= 1
        return _node("block", children)
