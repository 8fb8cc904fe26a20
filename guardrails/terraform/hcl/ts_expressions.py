"""Expressions for the tree-sitter backend: operators, conditionals, terms and their accesses.

tree-sitter and Lark shape expressions differently (tree-sitter folds postfix accesses and
splats into a flat list, chains conditionals to the left, knows no precedence ladder), so this
mixin rebuilds Lark's nesting and refuses (`_Fallback`) wherever Lark's LALR lexer state would
read the text differently. Method bodies are flat if-chains on purpose: this is the hottest part
of a cold parse.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from guardrails.terraform.hcl.nodes import Node
from guardrails.terraform.hcl.ts_tokens import (_FLOAT, _INT, _LITERALS, _MAX_DEPTH, _RISKY_NAMES, _Cursor,
                                                _Fallback, _node, _text)

# Operator text -> (Lark token type, level on Lark's precedence ladder; higher binds tighter).
_BINARY = {"||": ("DOUBLE_PIPE", 1), "&&": ("DOUBLE_AMP", 2), "==": ("DOUBLE_EQ", 3),
           "!=": ("NEQ", 3), "<": ("LT", 4), ">": ("GT", 4), "<=": ("LEQ", 4), ">=": ("GEQ", 4),
           "+": ("PLUS", 5), "-": ("MINUS", 5), "*": ("ASTERISK", 6), "/": ("SLASH", 6),
           "%": ("PERCENT", 6)}


class _Expressions(_Cursor):
    """Expression node kinds; strings and collections come from the sibling mixins."""

    if TYPE_CHECKING:  # provided by ts_templates and ts_collections on the assembled builder
        def string(self, ts: Any) -> Node: ...
        def heredoc(self, ts: Any) -> Node: ...
        def tuple(self, ts: Any) -> Node: ...
        def object(self, ts: Any) -> Node: ...
        def function_call(self, ts: Any) -> Node: ...
        def for_tuple(self, ts: Any) -> Node: ...
        def for_object(self, ts: Any) -> Node: ...

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
