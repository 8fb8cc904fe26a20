"""Tokens for the tree-sitter backend: Lark's terminals, and where Lark's lexer would stand.

Every node kind the walk rebuilds ends in tokens and newline/comment gaps, and those must match
what python-hcl2's Lark lexer emits from the same text, byte for byte and line for line. This
module holds that shared layer: the terminal patterns, the keyword tables, the `_Cursor` base of
the builder (the lexer position, token and gap emission) and the small node helpers. The node
kinds themselves live in `ts_expressions`, `ts_templates`, `ts_collections` and `treesitter`.
"""
from __future__ import annotations

import re
from typing import Any

from guardrails.terraform.hcl.nodes import Leaf, Node


class _Fallback(Exception):
    """The tree-sitter tree cannot be mapped with certainty; let Lark parse the text."""


# Lark's own terminal patterns (python-hcl2's hcl2.lark as compiled by Lark), matched on UTF-8
# bytes: every pattern here only distinguishes ASCII characters, so bytes give the same
# boundaries as Lark's str matching (heredocs, whose `\s` is Unicode-aware, are matched on str).
_BLANKS = re.compile(rb"[ \t]*")
_NL_OR_COMMENT = re.compile(rb"/\*(?:.|\n)*?\*/|//.*\n|#.*\n|\n[ \t]*")
_FLOAT = re.compile(
    rb"(?:(?:(?:\-[0-9])+|(?:\-[0-9])?(?:[0-9])+)\.(?:[0-9])+(?:(?:e|E)(?:(?:\+|\-))?(?:[0-9])+)?"
    rb"|(?:(?:\-[0-9])+|(?:\-[0-9])?(?:[0-9])+)(?:e|E)(?:(?:\+|\-))?(?:[0-9])+)")
_INT = re.compile(rb"(?:\-[0-9])?(?:[0-9])+")
_NAME = re.compile(rb"[a-zA-Z_][a-zA-Z0-9_-]*")
_STRING_CHARS = re.compile(
    rb'(?:(?!\$\$\{)(?!\$\{)(?!%%\{)(?!%\{)[^"\\]|\\.|(?:\$(?!\$?\{))|(?:%(?!%?\{)))+')
_ESCAPED_INTERPOLATION = re.compile(rb"\$\$\{[^}]*\}")
_ESCAPED_DIRECTIVE = re.compile(rb"%%\{[^}]*\}")
_HEREDOC = re.compile(r"<<(?P<heredoc>[a-zA-Z][a-zA-Z0-9._-]*)\r?\n(?:(?:.|\n)*?\r?\n)??\s*(?P=heredoc)\r?\n")
_HEREDOC_TRIM = re.compile(
    r"<<-(?P<heredoc_trim>[a-zA-Z][a-zA-Z0-9._-]*)\r?\n(?:(?:.|\n)*?\r?\n)??\s*(?P=heredoc_trim)\r?\n")

# Words the grammar lexes as keywords where a block or attribute name (or an object key) may stand.
_KEYWORDS = {b"in": "IN", b"for": "FOR", b"if": "IF", b"for_each": "FOR_EACH", b"else": "ELSE",
             b"endif": "ENDIF", b"endfor": "ENDFOR"}
_LITERALS = {b"true": "TRUE", b"false": "FALSE", b"null": "NULL"}
# In an expression these lex as keywords where Lark's state also accepts the keyword (after `[`
# or `{`, after a for expression's value): rather than track those states, fall back.
_RISKY_NAMES = {b"for", b"in", b"if"}
# python-hcl2's post-lexer glues a newline that directly precedes one of these onto the token.
_MERGED_OPERATORS = {"DOUBLE_EQ", "NEQ", "LT", "GT", "LEQ", "GEQ", "ASTERISK", "SLASH", "PERCENT",
                     "DOUBLE_AMP", "DOUBLE_PIPE", "PLUS", "QMARK"}
_WORDS = {"NAME", "TRUE", "FALSE", "NULL", *_KEYWORDS.values()}
_WORD_CHARS = {bytes([c]) for c in b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"}
_GAP_STARTS = frozenset(b" \t\n#/")
_MAX_DEPTH = 120  # expression nesting we follow before falling back (Python frames are finite)


def _node(data: str, children: list) -> Node:
    # Lark's propagate_positions: first line of the first child that has one, last of the last
    # (only an empty body has none).
    if children and children[0].line and children[-1].end_line:
        return Node(data, children, children[0].line, children[-1].end_line)
    line = end = 0
    for child in children:
        if child.line:
            line = child.line
            break
    for child in reversed(children):
        if child.end_line:
            end = child.end_line
            break
    return Node(data, children, line, end)


def _text(src: bytes, ts: Any) -> bytes:
    return src[ts.start_byte:ts.end_byte]  # cheaper than tree-sitter's Node.text


def _kids(ts: Any) -> list:
    # Comments are tree-sitter "extras" that may sit among any node's children; the gap scanner
    # re-reads them from the text, so the structure walk skips them.
    children = ts.children
    for child in children:
        if child.is_extra:
            return [c for c in children if not c.is_extra]
    return children


def _children(ts: Any) -> list:
    return ts.children



class _Cursor:
    """The builder's lexer state; the node-kind mixins build on it and `treesitter` joins them.

    Kept as plain methods on one instance (no per-token objects or dispatch tables): these run
    once per token of every file on a cold run.
    """

    def __init__(self, src: bytes) -> None:
        self.src = src
        self.pos = 0  # end of the last token emitted, as Lark's lexer would stand
        self._line_pos = 0
        self._line = 1
        self.depth = 0
        # Without comment marks in the text (most generated files) no node has extras to skip.
        self.kids = _kids if (b"#" in src or b"//" in src or b"/*" in src) else _children

    # -- positions and tokens -------------------------------------------------------------

    def _leaf(self, type_: str, start: int, end: int) -> Leaf:
        src = self.src
        if type_ in _WORDS and src[end:end + 1] in _WORD_CHARS:
            # Lark's NAME is greedy (`in-1`, `if0` are names there); tree-sitter splits them.
            raise _Fallback
        value = src[start:end].decode("utf-8")
        # Tokens come in text order, so lines are counted on from the previous token.
        if start >= self._line_pos:
            line = self._line + src.count(b"\n", self._line_pos, start)
        else:
            line = 1 + src.count(b"\n", 0, start)
        self._line_pos = start
        self._line = line
        self.pos = end
        return Leaf(type_, value, line, line + value.count("\n") if "\n" in value else line)

    def scan(self) -> tuple[list, int]:
        """Newline/comment tokens from the current position, and where the next token starts."""
        src = self.src
        pos = self.pos
        found = []
        while True:
            pos = _BLANKS.match(src, pos).end()
            match = _NL_OR_COMMENT.match(src, pos)
            if match is None:
                return found, pos
            found.append((pos, match.end()))
            pos = match.end()

    def leaf(self, type_: str, ts: Any) -> Leaf:
        start = ts.start_byte
        pos = self.pos
        if pos != start and (start < pos or self.src[pos:start].strip(b" \t")):
            # Anything but blanks before the token: a newline where Lark's grammar has no
            # slot, or text that tree-sitter skipped and Lark would not.
            raise _Fallback
        return self._leaf(type_, start, ts.end_byte)

    def leaf_at(self, type_: str, start: int, end: int) -> Leaf:
        pos = self.pos
        if pos != start and (start < pos or self.src[pos:start].strip(b" \t")):
            raise _Fallback
        return self._leaf(type_, start, end)

    def padded_leaf(self, type_: str, ts: Any) -> Leaf:
        # EQ and COLON are `[ \t]*=` / `[ \t]*:` and Lark tries them before skipping blanks,
        # so their value includes the blanks before them.
        start = ts.start_byte
        pos = self.pos
        if pos != start and (start < pos or self.src[pos:start].strip(b" \t")):
            raise _Fallback
        return self._leaf(type_, pos, ts.end_byte)

    def op_leaf(self, type_: str, ts: Any) -> Leaf:
        start = ts.start_byte
        if self.pos == start:
            return self._leaf(type_, start, ts.end_byte)
        found, after = self.scan()
        if after != start or len(found) > 1:
            raise _Fallback
        if not found:
            return self._leaf(type_, start, ts.end_byte)
        if type_ not in _MERGED_OPERATORS:
            raise _Fallback
        newline = self.src[found[0][0]:found[0][1]].decode("utf-8")
        token = self._leaf(type_, start, ts.end_byte)
        token.value = newline + token.value  # the post-lexer keeps the operator's position
        return token

    def newlines(self) -> Node | None:
        """The new_line_or_comment node for the gap before the next token, if it has newlines."""
        pos = self.pos
        if pos < len(self.src) and self.src[pos] not in _GAP_STARTS:
            return None  # the next token follows at once: no newline, the common case
        found, after = self.scan()
        if not found:
            return None
        if self._merges_into_operator(after):
            raise _Fallback
        return self._newline_node(found)

    def _newline_node(self, found: list) -> Node:
        leaves = [self._leaf("NL_OR_COMMENT", a, b) for a, b in found]
        return Node("new_line_or_comment", leaves, leaves[0].line, leaves[-1].end_line)

    def _merges_into_operator(self, pos: int) -> bool:
        two = self.src[pos:pos + 2]
        if two in (b"==", b"!=", b"<=", b">=", b"&&", b"||"):
            return True
        return two[:1] in (b"<", b">", b"*", b"/", b"%", b"+", b"?") and two != b"<<"

    def add_newlines(self, children: list) -> None:
        found = self.newlines()
        if found is not None:
            children.append(found)

    # A NAME token in its `identifier` node: expressions, directives, for intros and block
    # names all take one, so it lives with the tokens rather than with any one node kind.
    def identifier(self, ts: Any) -> Node:
        if _NAME.fullmatch(_text(self.src, ts)) is None:
            raise _Fallback
        return _node("identifier", [self.leaf("NAME", ts)])
