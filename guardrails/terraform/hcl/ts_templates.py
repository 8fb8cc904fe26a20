"""Quoted strings, template interpolations and directives, and heredocs for the tree-sitter backend.

tree-sitter parses a string's template structure, but Lark lexes a string's literal text into
its own STRING_CHARS / escape tokens, so the literal pieces are re-lexed from the source here,
and a heredoc (one opaque token for Lark) is checked against Lark's heredoc pattern whole.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from guardrails.terraform.hcl.nodes import Node
from guardrails.terraform.hcl.ts_tokens import (_ESCAPED_DIRECTIVE, _ESCAPED_INTERPOLATION, _HEREDOC,
                                                _HEREDOC_TRIM, _MAX_DEPTH, _STRING_CHARS, _Cursor, _Fallback,
                                                _node, _text)

_DIRECTIVE_TOKENS = {"template_directive_start": "DIRECTIVE_START", "strip_marker": "STRIP_MARKER",
                     "template_directive_end": "RBRACE", "if": "IF", "else": "ELSE",
                     "endif": "ENDIF", "for": "FOR", "endfor": "ENDFOR", "in": "IN", ",": "COMMA"}
_DIRECTIVE_RULES = {"template_if_intro": "template_if_start", "template_else_intro": "template_else",
                    "template_if_end": "template_endif", "template_for_start": "template_for_start",
                    "template_for_end": "template_endfor"}


class _Templates(_Cursor):
    """String and heredoc node kinds; interpolated expressions come from `ts_expressions`."""

    if TYPE_CHECKING:  # provided by ts_expressions on the assembled builder
        def expression(self, ts: Any) -> Any: ...

    def string(self, ts: Any) -> Node:
        kids = self.kids(ts)
        if len(kids) < 2 or kids[0].type != "quoted_template_start" or kids[-1].type != "quoted_template_end":
            raise _Fallback
        children = [self.leaf("DBLQUOTE", kids[0])]
        if _text(self.src, kids[0]) != b'"' or _text(self.src, kids[-1]) != b'"':
            raise _Fallback
        self.template_parts(kids[1:-1], children)
        self.string_chars(kids[-1].start_byte, children)
        children.append(self.leaf("DBLQUOTE", kids[-1]))
        return _node("string", children)

    def template_parts(self, items: list, children: list) -> None:
        """Interpolations and directive pieces, flattened as Lark's `string_part`s."""
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise _Fallback
        for item in items:
            kind = item.type
            if kind == "template_literal":
                continue  # literal text is re-lexed by string_chars, Lark's way
            if kind == "template_interpolation":
                self.string_chars(item.start_byte, children)
                children.append(_node("string_part", [self.interpolation(item)]))
            elif kind == "template_directive":
                inner = self.kids(item)
                if len(inner) != 1 or inner[0].type not in ("template_if", "template_for"):
                    raise _Fallback
                self.template_parts(self.kids(inner[0]), children)
            elif kind in _DIRECTIVE_RULES:
                self.string_chars(item.start_byte, children)
                children.append(_node("string_part", [self.directive(item)]))
            else:
                raise _Fallback
        self.depth -= 1

    def string_chars(self, end: int, children: list) -> None:
        src = self.src
        pos = self.pos
        while pos < end:
            if src.startswith(b"$${", pos):
                match, type_ = _ESCAPED_INTERPOLATION.match(src, pos), "ESCAPED_INTERPOLATION"
            elif src.startswith(b"%%{", pos):
                match, type_ = _ESCAPED_DIRECTIVE.match(src, pos), "ESCAPED_DIRECTIVE"
            else:
                match, type_ = _STRING_CHARS.match(src, pos), "STRING_CHARS"
            if match is None or match.end() > end:
                raise _Fallback
            children.append(_node("string_part", [self._leaf(type_, pos, match.end())]))
            pos = match.end()
        if pos != end or self.pos != end:
            raise _Fallback

    def interpolation(self, ts: Any) -> Node:
        kids = self.kids(ts)
        if (len(kids) != 3 or kids[0].type != "template_interpolation_start" or _text(self.src, kids[0]) != b"${"
                or kids[2].type != "template_interpolation_end" or _text(self.src, kids[2]) != b"}"):
            raise _Fallback  # includes `${~ x ~}`, which Lark's grammar does not accept
        start = self.leaf("INTERP_START", kids[0])
        value = self.expression(kids[1])
        return _node("interpolation", [start, value, self.leaf("RBRACE", kids[2])])

    def directive(self, ts: Any) -> Node:
        children: list = []
        kids = self.kids(ts)
        if not kids or _text(self.src, kids[0]) != b"%{" or _text(self.src, kids[-1]) != b"}":
            raise _Fallback
        for kid in kids:
            kind = kid.type
            if kind == "expression":
                children.append(self.expression(kid))
            elif kind == "identifier":
                children.append(self.identifier(kid))
            elif kind in _DIRECTIVE_TOKENS:
                if kind == "strip_marker" and _text(self.src, kid) != b"~":
                    raise _Fallback
                children.append(self.leaf(_DIRECTIVE_TOKENS[kind], kid))
            else:
                raise _Fallback
        return _node(_DIRECTIVE_RULES[ts.type], children)

    def heredoc(self, ts: Any) -> Node:
        kids = self.kids(ts)
        if not kids or kids[0].type != "heredoc_start":
            raise _Fallback
        trim = _text(self.src, kids[0]) == b"<<-"
        start, end = ts.start_byte, ts.end_byte + 1  # Lark's token takes the closing line's newline
        region = self.src[start:end].decode("utf-8")
        match = (_HEREDOC_TRIM if trim else _HEREDOC).match(region)
        if match is None or match.end() != len(region):
            raise _Fallback
        if trim:
            return _node("heredoc_template_trim", [self.leaf_at("HEREDOC_TEMPLATE_TRIM", start, end)])
        return _node("heredoc_template", [self.leaf_at("HEREDOC_TEMPLATE", start, end)])
