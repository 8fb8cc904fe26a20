"""A fast HCL parser backend: tree-sitter's parse, rebuilt as python-hcl2's exact Node/Leaf tree.

python-hcl2's Lark LALR parser is slow (a grammar build on a cold cache, then about 0.25 MB/s).
tree-sitter-hcl parses in C; this module walks its concrete tree and emits the tree that
`hclparse.parse_body` would have produced from the same text: the same rule names, the same
punctuation and newline/comment nodes in the same places, the same token values and lines.

The two grammars differ (tree-sitter treats newlines as blanks, folds postfix operators into a
flat list, chains conditionals to the left, parses heredoc bodies...), so the walk re-derives
Lark's tokens from the source text and places newlines where Lark's LALR tables would. Wherever
it cannot be sure of the result it gives up and `parse_body_fast` returns None, so the caller
falls back to Lark: a None costs only time, a different tree would be a wrong answer.
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

_BINARY = {"||": ("DOUBLE_PIPE", 1), "&&": ("DOUBLE_AMP", 2), "==": ("DOUBLE_EQ", 3),
           "!=": ("NEQ", 3), "<": ("LT", 4), ">": ("GT", 4), "<=": ("LEQ", 4), ">=": ("GEQ", 4),
           "+": ("PLUS", 5), "-": ("MINUS", 5), "*": ("ASTERISK", 6), "/": ("SLASH", 6),
           "%": ("PERCENT", 6)}
# python-hcl2's post-lexer glues a newline that directly precedes one of these onto the token.
_MERGED_OPERATORS = {"DOUBLE_EQ", "NEQ", "LT", "GT", "LEQ", "GEQ", "ASTERISK", "SLASH", "PERCENT",
                     "DOUBLE_AMP", "DOUBLE_PIPE", "PLUS", "QMARK"}
_DIRECTIVE_TOKENS = {"template_directive_start": "DIRECTIVE_START", "strip_marker": "STRIP_MARKER",
                     "template_directive_end": "RBRACE", "if": "IF", "else": "ELSE",
                     "endif": "ENDIF", "for": "FOR", "endfor": "ENDFOR", "in": "IN", ",": "COMMA"}
_DIRECTIVE_RULES = {"template_if_intro": "template_if_start", "template_else_intro": "template_else",
                    "template_if_end": "template_endif", "template_for_start": "template_for_start",
                    "template_for_end": "template_endfor"}
_WORDS = {"NAME", "TRUE", "FALSE", "NULL", *_KEYWORDS.values()}
_WORD_CHARS = {bytes([c]) for c in b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"}
_GAP_STARTS = frozenset(b" \t\n#/")
_MAX_DEPTH = 120  # expression nesting we follow before falling back (Python frames are finite)

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
    """The `start` tree `hclparse.parse_body` gives, or None when this backend cannot be sure.

    `text` must already be `hclparse.clean_source(original) + "\\n"`: exactly the string that
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


class _Builder:
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

    # -- body -----------------------------------------------------------------------------

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

    def identifier(self, ts: Any) -> Node:
        if _NAME.fullmatch(_text(self.src, ts)) is None:
            raise _Fallback
        return _node("identifier", [self.leaf("NAME", ts)])

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

    # -- expressions ----------------------------------------------------------------------

    def expression(self, ts: Any) -> Any:
        if ts.type != "expression":
            raise _Fallback
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise _Fallback
        kids = self.kids(ts)
        if len(kids) == 1 and kids[0].type == "conditional":
            result = self.conditional(kids[0])
        elif len(kids) == 1 and kids[0].type == "operation":
            result = self.operation(kids[0])
        else:
            result = self.term(kids)
        self.depth -= 1
        return result

    def operand(self, items: list) -> Any:
        if len(items) == 1 and items[0].type == "operation":
            return self.operation(items[0])
        return self.term(items)

    def operation(self, ts: Any) -> Any:
        kids = self.kids(ts)
        if len(kids) != 1:
            raise _Fallback
        self.depth += 1  # `a + b + c ...` nests to the left without passing through expression()
        if self.depth > _MAX_DEPTH:
            raise _Fallback
        if kids[0].type == "binary_operation":
            result = self.binary(kids[0])
        elif kids[0].type == "unary_operation":
            result = self.unary(kids[0])
        else:
            raise _Fallback
        self.depth -= 1
        return result

    def binary(self, ts: Any) -> Node:
        kids = self.kids(ts)
        split = next((i for i, kid in enumerate(kids) if i and not kid.is_named and kid.type in _BINARY), 0)
        if not split:
            raise _Fallback
        type_, level = _BINARY[kids[split].type]
        left = self.operand(kids[:split])
        if _level(left) < level:
            raise _Fallback
        operator = kids[split]
        if type_ == "MINUS" and (_FLOAT.match(self.src, operator.start_byte) or _INT.match(self.src, operator.start_byte)):
            # `a -12`: Lark's LALR state after a term also admits a number (an object element
            # may follow), so its lexer takes `-12` as INT_LITERAL and the parse fails or differs.
            raise _Fallback
        if type_ == "LT" and self.src[operator.end_byte:operator.end_byte + 1] == b"<":
            raise _Fallback  # `a <<EOT` lexes as a heredoc there, for the same reason
        term = [_node("binary_operator", [self.op_leaf(type_, operator)])]
        self.add_newlines(term)
        right = self.operand(kids[split + 1:])
        if _level(right) <= level:
            raise _Fallback
        term.append(right)
        children = [left, _node("binary_term", term)]
        # Lark's `binary_op: left term new_line_or_comment?` shifts the newlines that follow
        # into the innermost binary operation that ends here, all but the last one when that
        # last one glues onto a following operator (`a && b\n# why\n? c : d`).
        found, after = self.scan()
        if found and self._merges_into_operator(after):
            found.pop()
        if found:
            children.append(self._newline_node(found))
        return _node("binary_op", children)

    def unary(self, ts: Any) -> Any:
        kids = self.kids(ts)
        operator, items = kids[0], kids[1:]
        if not items or items[0].type in ("operation", "conditional", "expression"):
            raise _Fallback  # Lark's unary operand is a single term: `- -a` does not parse there
        first = items[0]
        if operator.type == "-" and first.type == "literal_value" and first.start_byte == operator.end_byte:
            number = self.kids(first)[0]
            if number.type == "numeric_lit":
                start = operator.start_byte
                match = _FLOAT.match(self.src, start) or _INT.match(self.src, start)
                if match is not None:
                    # Lark's number terminals take a leading minus: `-12` is one INT_LITERAL.
                    if match.end() != number.end_byte:
                        raise _Fallback
                    kind = "float_lit" if match.re is _FLOAT else "int_lit"
                    token = self.leaf_at("FLOAT_LITERAL" if kind == "float_lit" else "INT_LITERAL",
                                         start, number.end_byte)
                    base = _node("expr_term", [_node(kind, [token])])
                    return self.postfix(base, items[1:])
        if operator.type == "-":
            token = self.leaf("MINUS", operator)
        elif operator.type == "!":
            token = self.leaf("NOT", operator)
        else:
            raise _Fallback
        return _node("unary_op", [token, self.term(items)])

    def conditional(self, ts: Any) -> Node:
        # tree-sitter chains `a ? b : c ? d : e` to the left; Lark (and HCL) to the right.
        # Unroll the left spine: conditions [a, c], results [b, d], final else e.
        node = ts
        spine: list = []
        while True:
            kids = self.kids(node)
            if len(kids) != 5 or kids[1].type != "?" or kids[3].type != ":":
                raise _Fallback
            spine.append(kids)
            inner = self.kids(kids[0])
            if len(inner) == 1 and inner[0].type == "conditional":
                node = inner[0]
                continue
            break
        spine.reverse()
        # Link i's else branch is link i+1's condition.
        return self._chain(spine, 0, spine[0][0])

    def _chain(self, spine: list, index: int, condition_ts: Any) -> Node:
        kids = spine[index]
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise _Fallback
        condition = self.expression(condition_ts)
        if isinstance(condition, Node) and condition.data == "conditional":
            raise _Fallback
        children = [condition, self.op_leaf("QMARK", kids[1])]
        self.add_newlines(children)
        children.append(self.expression(kids[2]))
        self.add_newlines(children)
        children.append(self.padded_leaf("COLON", kids[3]))
        self.add_newlines(children)
        if index + 1 < len(spine):
            otherwise = kids[4]
            inner = self.kids(otherwise)
            if len(inner) == 1 and inner[0].type == "conditional":
                raise _Fallback
            children.append(self._chain(spine, index + 1, otherwise))
        else:
            children.append(self.expression(kids[4]))
        self.depth -= 1
        return _node("conditional", children)

    def term(self, items: list) -> Node:
        if not items:
            raise _Fallback
        first = items[0]
        if first.type == "(":
            if len(items) < 3 or items[2].type != ")":
                raise _Fallback
            children = [self.leaf("LPAR", first)]
            self.add_newlines(children)
            children.append(self.expression(items[1]))
            self.add_newlines(children)
            children.append(self.leaf("RPAR", items[2]))
            return self.postfix(_node("expr_term", children), items[3:])
        return self.postfix(_node("expr_term", [self.primary(first)]), items[1:])

    def postfix(self, base: Node, ops: list) -> Node:
        # Lark nests each access around the term before it; a splat keeps every later
        # `.attr` and `[index]` inside itself (`attr_splat: ATTR_SPLAT (get_attr | index)*`).
        result = base
        splat: list | None = None
        splat_kind = ""
        for op in ops:
            if op.type == "splat":
                if splat is not None:
                    result = _wrap_splat(result, splat_kind, splat)
                kids = self.kids(op)
                if len(kids) != 1:
                    raise _Fallback
                inner = self.kids(kids[0])
                if kids[0].type == "attr_splat":
                    splat_kind = "attr_splat"
                    if inner[0].type != ".*" or _text(self.src, inner[0]) != b".*":
                        raise _Fallback
                    splat = [self.leaf("ATTR_SPLAT", inner[0])]
                elif kids[0].type == "full_splat":
                    splat_kind = "full_splat"
                    if inner[0].type != "[*]" or _text(self.src, inner[0]) != b"[*]":
                        raise _Fallback
                    splat = [self.leaf("FULL_SPLAT_START", inner[0])]
                else:
                    raise _Fallback
                for access in inner[1:]:
                    splat.append(self.access(access))
                continue
            piece = self.access(op)
            if splat is not None:
                splat.append(piece)
            elif piece.data == "get_attr":
                result = _node("expr_term", [_node("get_attr_expr_term", [result, piece])])
            else:
                result = _node("expr_term", [_node("index_expr_term", [result, piece])])
        if splat is not None:
            result = _wrap_splat(result, splat_kind, splat)
        return result

    def access(self, ts: Any) -> Node:
        if ts.type == "get_attr":
            kids = self.kids(ts)
            if len(kids) != 2 or kids[0].type != "." or kids[1].type != "identifier":
                raise _Fallback
            dot = self.leaf("DOT", kids[0])
            text = _text(self.src, kids[1])
            if text in _LITERALS:
                return _node("get_attr", [dot, _node("literal_value", [self.leaf(_LITERALS[text], kids[1])])])
            return _node("get_attr", [dot, self.identifier(kids[1])])
        if ts.type != "index":
            raise _Fallback
        kids = self.kids(ts)
        if len(kids) != 1:
            raise _Fallback
        index = kids[0]
        if index.type == "legacy_index":
            start, end = index.start_byte, index.end_byte
            if self.src[start:start + 1] != b"." or _INT.fullmatch(self.src, start + 1, end) is None:
                raise _Fallback
            dot = self.leaf_at("DOT", start, start + 1)
            return _node("short_index", [dot, self.leaf_at("INT_LITERAL", start + 1, end)])
        if index.type != "new_index":
            raise _Fallback
        inner = self.kids(index)
        if len(inner) != 3 or inner[0].type != "[" or inner[2].type != "]":
            raise _Fallback
        children = [self.leaf("LSQB", inner[0])]
        self.add_newlines(children)
        children.append(self.expression(inner[1]))
        self.add_newlines(children)
        children.append(self.leaf("RSQB", inner[2]))
        return _node("braces_index", children)

    def primary(self, ts: Any) -> Node:
        kind = ts.type
        if kind == "variable_expr":
            kids = self.kids(ts)
            if len(kids) != 1 or _text(self.src, kids[0]) in _RISKY_NAMES or _text(self.src, kids[0]) in _LITERALS:
                raise _Fallback
            return self.identifier(kids[0])
        if kind == "literal_value":
            return self.literal(self.kids(ts)[0])
        if kind == "template_expr":
            inner = self.kids(ts)[0]
            if inner.type == "quoted_template":
                return self.string(inner)
            if inner.type == "heredoc_template":
                return self.heredoc(inner)
            raise _Fallback
        if kind == "collection_value":
            inner = self.kids(ts)[0]
            if inner.type == "tuple":
                return self.tuple(inner)
            if inner.type == "object":
                return self.object(inner)
            raise _Fallback
        if kind == "function_call":
            return self.function_call(ts)
        if kind == "for_expr":
            inner = self.kids(ts)[0]
            if inner.type == "for_tuple_expr":
                return self.for_tuple(inner)
            if inner.type == "for_object_expr":
                return self.for_object(inner)
        raise _Fallback

    def literal(self, ts: Any) -> Node:
        kind = ts.type
        if kind == "numeric_lit":
            text = _text(self.src, ts)
            if _FLOAT.fullmatch(text):
                return _node("float_lit", [self.leaf("FLOAT_LITERAL", ts)])
            if _INT.fullmatch(text):
                return _node("int_lit", [self.leaf("INT_LITERAL", ts)])
            raise _Fallback
        if kind in ("bool_lit", "null_lit"):
            text = _text(self.src, ts)
            if text not in _LITERALS:
                raise _Fallback
            return _node("literal_value", [self.leaf(_LITERALS[text], ts)])
        if kind == "string_lit":
            return self.string(ts)
        raise _Fallback

    # -- strings and heredocs -------------------------------------------------------------

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

    # -- collections, calls, for expressions ----------------------------------------------

    def tuple(self, ts: Any) -> Node:
        kids = self.kids(ts)
        if len(kids) < 2 or kids[0].type != "tuple_start" or kids[-1].type != "tuple_end":
            raise _Fallback
        children = [self.leaf("LSQB", kids[0])]
        self.add_newlines(children)
        for kid in kids[1:-1]:
            if kid.type == "expression":
                children.append(self.expression(kid))
            elif kid.type == ",":
                children.append(self.leaf("COMMA", kid))
            else:
                raise _Fallback
            self.add_newlines(children)
        children.append(self.leaf("RSQB", kids[-1]))
        return _node("tuple", children)

    def object(self, ts: Any) -> Node:
        kids = self.kids(ts)
        if len(kids) < 2 or kids[0].type != "object_start" or kids[-1].type != "object_end":
            raise _Fallback
        children = [self.leaf("LBRACE", kids[0])]
        self.add_newlines(children)
        for kid in kids[1:-1]:
            if kid.type == "object_elem":
                children.append(self.object_elem(kid))
            elif kid.type == ",":
                children.append(self.leaf("COMMA", kid))
            else:
                raise _Fallback
            self.add_newlines(children)
        children.append(self.leaf("RBRACE", kids[-1]))
        return _node("object", children)

    def object_elem(self, ts: Any) -> Node:
        kids = self.kids(ts)
        if len(kids) != 3 or kids[1].type not in ("=", ":"):
            raise _Fallback
        key_ts = kids[0]
        key_kids = self.kids(key_ts)
        if (len(key_kids) == 1 and key_kids[0].type == "variable_expr"
                and _text(self.src, key_kids[0]) in _KEYWORDS):
            key = _node("keyword", [self.leaf(_KEYWORDS[_text(self.src, key_kids[0])], key_kids[0])])
        else:
            if key_kids and key_kids[0].type == "variable_expr" and _text(self.src, key_kids[0]) in _KEYWORDS:
                raise _Fallback
            key = self.expression(key_ts)
        separator = self.padded_leaf("EQ" if kids[1].type == "=" else "COLON", kids[1])
        value = self.expression(kids[2])
        return _node("object_elem", [_node("object_elem_key", [key]), separator, value])

    def function_call(self, ts: Any) -> Node:
        kids = self.kids(ts)
        if len(kids) < 3 or kids[0].type != "identifier" or kids[1].type != "(" or kids[-1].type != ")":
            raise _Fallback
        name = kids[0]
        parts = _text(self.src, name).split(b"::")
        if len(parts) not in (1, 3) or any(_NAME.fullmatch(p) is None or p in _RISKY_NAMES for p in parts):
            raise _Fallback
        children: list = []
        pos = name.start_byte
        for number, part in enumerate(parts):
            if number:
                children.append(self.leaf_at("COLONS", pos, pos + 2))
                pos += 2
            children.append(_node("identifier", [self.leaf_at("NAME", pos, pos + len(part))]))
            pos += len(part)
        children.append(self.leaf("LPAR", kids[1]))
        self.add_newlines(children)
        if len(kids) == 4:
            if kids[2].type != "function_arguments":
                raise _Fallback
            children.append(self.arguments(kids[2]))
            self.add_newlines(children)
        elif len(kids) != 3:
            raise _Fallback
        children.append(self.leaf("RPAR", kids[-1]))
        return _node("function_call", children)

    def arguments(self, ts: Any) -> Node:
        kids = self.kids(ts)
        if not kids or kids[0].type != "expression":
            raise _Fallback
        children = [self.expression(kids[0])]
        index = 1
        while index < len(kids):
            kid = kids[index]
            if kid.type == "," and index + 1 < len(kids) and kids[index + 1].type == "expression":
                self.add_newlines(children)
                children.append(self.leaf("COMMA", kid))
                self.add_newlines(children)
                children.append(self.expression(kids[index + 1]))
                index += 2
            elif kid.type in (",", "ellipsis") and index == len(kids) - 1:
                if _text(self.src, kid) not in (b",", b"..."):
                    raise _Fallback
                children.append(self.leaf("COMMA" if kid.type == "," else "ELLIPSIS", kid))
                index += 1
            else:
                raise _Fallback
        self.add_newlines(children)
        return _node("arguments", children)

    def for_intro(self, ts: Any) -> Node:
        kids = self.kids(ts)
        types = [kid.type for kid in kids]
        if types not in (["for", "identifier", "in", "expression", ":"],
                         ["for", "identifier", ",", "identifier", "in", "expression", ":"]):
            raise _Fallback
        children = [self.leaf("FOR", kids[0])]
        self.add_newlines(children)
        children.append(self.identifier(kids[1]))
        index = 2
        if types[2] == ",":
            children.append(self.leaf("COMMA", kids[2]))
            children.append(self.identifier(kids[3]))
            index = 4
        self.add_newlines(children)
        children.append(self.leaf("IN", kids[index]))
        self.add_newlines(children)
        children.append(self.expression(kids[index + 1]))
        self.add_newlines(children)
        children.append(self.padded_leaf("COLON", kids[index + 2]))
        self.add_newlines(children)
        return _node("for_intro", children)

    def for_cond(self, ts: Any) -> Node:
        kids = self.kids(ts)
        if len(kids) != 2 or kids[0].type != "if":
            raise _Fallback
        children = [self.leaf("IF", kids[0])]
        self.add_newlines(children)
        children.append(self.expression(kids[1]))
        return _node("for_cond", children)

    def for_tuple(self, ts: Any) -> Node:
        kids = self.kids(ts)
        types = [kid.type for kid in kids]
        if types not in (["tuple_start", "for_intro", "expression", "tuple_end"],
                         ["tuple_start", "for_intro", "expression", "for_cond", "tuple_end"]):
            raise _Fallback
        children = [self.leaf("LSQB", kids[0])]
        self.add_newlines(children)
        children.append(self.for_intro(kids[1]))
        self.add_newlines(children)
        children.append(self.expression(kids[2]))
        self.add_newlines(children)
        if types[3] == "for_cond":
            children.append(self.for_cond(kids[3]))
            self.add_newlines(children)
        children.append(self.leaf("RSQB", kids[-1]))
        return _node("for_tuple_expr", children)

    def for_object(self, ts: Any) -> Node:
        kids = self.kids(ts)
        types = [kid.type for kid in kids]
        if (len(types) < 6 or types[:5] != ["object_start", "for_intro", "expression", "=>", "expression"]
                or types[-1] != "object_end" or types[5:-1] not in ([], ["ellipsis"], ["for_cond"],
                                                                   ["ellipsis", "for_cond"])):
            raise _Fallback
        children = [self.leaf("LBRACE", kids[0])]
        self.add_newlines(children)
        children.append(self.for_intro(kids[1]))
        self.add_newlines(children)
        children.append(self.expression(kids[2]))
        children.append(self.leaf("FOR_OBJECT_ARROW", kids[3]))
        self.add_newlines(children)
        children.append(self.expression(kids[4]))
        self.add_newlines(children)
        for kid in kids[5:-1]:
            if kid.type == "ellipsis":
                if _text(self.src, kid) != b"...":
                    raise _Fallback
                children.append(self.leaf("ELLIPSIS", kid))
            else:
                children.append(self.for_cond(kid))
            self.add_newlines(children)
        children.append(self.leaf("RBRACE", kids[-1]))
        return _node("for_object_expr", children)


def _level(node: Any) -> int:
    """Binding strength of a built operand, on Lark's precedence ladder (terms bind tightest)."""
    if isinstance(node, Node) and node.data == "binary_op":
        operator = node.children[1].children[0].children[0]
        return _BINARY_LEVELS[operator.type]
    if isinstance(node, Node) and node.data == "conditional":
        return 0
    return 99


_BINARY_LEVELS = {type_: level for type_, level in _BINARY.values()}


def _wrap_splat(result: Node, kind: str, children: list) -> Node:
    return _node("expr_term", [_node(kind + "_expr_term", [result, _node(kind, children)])])
