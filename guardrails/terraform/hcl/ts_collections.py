"""Tuples, objects, function calls and for expressions for the tree-sitter backend.

These are the bracketed node kinds, where Lark's grammar admits newlines and comments between
elements: each one places `new_line_or_comment` nodes exactly where Lark's LALR tables take them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from guardrails.terraform.hcl.nodes import Node
from guardrails.terraform.hcl.ts_tokens import _KEYWORDS, _NAME, _RISKY_NAMES, _Cursor, _Fallback, _node, _text


class _Collections(_Cursor):
    """Collection, call and for-expression node kinds; their elements come from `ts_expressions`."""

    if TYPE_CHECKING:  # provided by ts_expressions on the assembled builder
        def expression(self, ts: Any) -> Any: ...

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

