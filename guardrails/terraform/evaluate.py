"""Evaluate Terraform expressions from python-hcl2's raw Lark parse tree.

We walk the raw tree (not python-hcl2's dict output) because it keeps every token's line,
keeps string literals unquoted and typed, and lets us evaluate what can be known offline:
literals, variables, locals, `count`/`each`, conditionals, operators, `for` expressions,
templates and the common functions (see terraform/functions). Whatever depends on the outside world
(resource attributes, data sources, module outputs, files) is an `Unknown` with the reason.
"""
from __future__ import annotations

from typing import Any, Iterator

from guardrails.core.model import Unknown, is_unknown
from guardrails.terraform import budget as _budget
from guardrails.terraform.budget import EvalLimit
from guardrails.terraform.hcl.nodes import Leaf, Node
from guardrails.terraform.scope import Scope
from guardrails.terraform.syntax import _strip_markers, bare_identifier, significant, traversal_text, unescape
from guardrails.terraform.values import (
    EvalError,
    Lazy,
    NumberLimit,
    binary,
    iterate,
    parse_int,
    to_bool,
    to_number,
    to_string,
    type_name,
)

MAX_DEPTH = 200  # expressions nested deeper than this are Unknown rather than a RecursionError


def evaluate(node: Any, scope: Scope) -> Any:
    """The value of an expression node; Unknown when it cannot be known, never an exception."""
    try:
        return _Evaluator(scope).eval(node, 0)
    except (EvalError, EvalLimit) as exc:
        return Unknown(str(exc))
    except RecursionError:
        return Unknown("expression nested too deeply")


def evaluate_strict(node: Any, scope: Scope) -> Any:
    """Like evaluate, but EvalError propagates (for try() and can())."""
    return _Evaluator(scope).eval(node, 0)


class _Evaluator:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    def eval(self, node: Any, depth: int) -> Any:
        budget = _budget.current()
        if depth > MAX_DEPTH:
            message = f"an expression nested more than {MAX_DEPTH} levels deep"
            budget.refuse(node.line, message)
            raise EvalError(message)
        budget.steps -= 1
        if budget.steps < 0:
            budget.fail(node.line, f"the expressions of this module take more than {_budget.MAX_STEPS:,} "
                                   "evaluation steps")
        try:
            if isinstance(node, Leaf):
                return self._token(node)
            handler = getattr(self, "_" + node.data, None)
            if handler is None:
                raise EvalError(f"unsupported expression ({node.data})")
            value = handler(node, depth + 1)
        except NumberLimit as exc:
            if not exc.recorded:  # at the innermost expression: its line is the one to fix
                exc.recorded = True
                budget.refuse(node.line, str(exc))
            raise
        if isinstance(value, (str, list, dict)) and node.data in _BUILDERS:
            budget.charge_value(value, node.line)
        return value

    # literals ---------------------------------------------------------------------------
    def _token(self, token: Leaf) -> Any:
        if token.type == "INT_LITERAL":
            return parse_int(token.value)
        if token.type == "FLOAT_LITERAL":
            return float(token.value)
        if token.type in ("TRUE", "FALSE", "NULL"):
            return {"TRUE": True, "FALSE": False, "NULL": None}[token.type]
        raise EvalError(f"unexpected token {token.value!r}")

    def _int_lit(self, node: Node, depth: int) -> Any:
        return parse_int(node.children[0].value)

    def _float_lit(self, node: Node, depth: int) -> Any:
        return float(node.children[0].value)

    def _literal_value(self, node: Node, depth: int) -> Any:
        return {"true": True, "false": False, "null": None}[node.children[0].value]

    def _expr_term(self, node: Node, depth: int) -> Any:
        inner = significant(node.children)
        if len(inner) != 1:
            raise EvalError("unsupported expression")
        return self.eval(inner[0], depth)

    def _tuple(self, node: Node, depth: int) -> Any:
        return [self.eval(child, depth) for child in significant(node.children)]

    def _object(self, node: Node, depth: int) -> Any:
        result: dict[str, Any] = {}
        for elem in significant(node.children):
            key_node, value_node = significant(elem.children)
            key = self.object_key(key_node, depth)
            if is_unknown(key):
                return Unknown(key.reason)
            result[key] = self.eval(value_node, depth)
        return result

    def object_key(self, key_node: Node, depth: int) -> Any:
        inner = significant(key_node.children)[0]
        if isinstance(inner, Node) and inner.data == "keyword":
            return inner.children[0].value
        bare = bare_identifier(inner)
        if bare is not None:
            return bare
        key = self.eval(inner, depth)
        if is_unknown(key):
            return key
        return to_string(key)

    def _identifier(self, node: Node, depth: int) -> Any:
        name = node.children[0].value
        if name in self.scope.names:
            value = self.scope.names[name]
            return value
        return Unknown(f"depends on {name}")

    def _keyword(self, node: Node, depth: int) -> Any:
        raise EvalError(f"unexpected keyword {node.children[0].value}")

    # strings and templates --------------------------------------------------------------
    def _string(self, node: Node, depth: int) -> Any:
        parts = [child for child in node.children if isinstance(child, Node) and child.data == "string_part"]
        return self.template(_strip_markers(parts), depth)

    def template(self, parts: list[Node], depth: int) -> Any:
        pieces: list[Any] = []
        index = 0
        while index < len(parts):
            index = self._template_piece(parts, index, pieces, depth)
        if any(is_unknown(piece) for piece in pieces):
            return next(piece for piece in pieces if is_unknown(piece))
        if len(pieces) == 1 and not isinstance(pieces[0], str):
            # "${x}" alone keeps the type of x, as in Terraform.
            return pieces[0]
        return "".join(to_string(piece) for piece in pieces)

    def _template_piece(self, parts: list[Node], index: int, out: list[Any], depth: int) -> int:
        part = parts[index].children[0]
        if isinstance(part, Leaf):
            if part.type == "ESCAPED_INTERPOLATION":
                out.append(part.value[1:])
            elif part.type == "ESCAPED_DIRECTIVE":
                out.append(part.value[1:])
            else:
                out.append(unescape(part.value))
            return index + 1
        if part.data == "interpolation":
            out.append(self.eval(significant(part.children)[0], depth))
            return index + 1
        if part.data == "template_if_start":
            return self._template_if(parts, index, out, depth)
        if part.data == "template_for_start":
            return self._template_for(parts, index, out, depth)
        raise EvalError("unbalanced template directive")

    def _block_end(self, parts: list[Node], index: int, opener: str, closer: str) -> tuple[int, int | None]:
        """The index of the matching closer, and of a top-level else (for if)."""
        level = 0
        else_at = None
        for position in range(index + 1, len(parts)):
            part = parts[position].children[0]
            if not isinstance(part, Node):
                continue
            if part.data == opener:
                level += 1
            elif part.data == closer:
                if level == 0:
                    return position, else_at
                level -= 1
            elif part.data == "template_else" and level == 0:
                else_at = position
        raise EvalError("template directive is not closed")

    def _template_if(self, parts: list[Node], index: int, out: list[Any], depth: int) -> int:
        end, else_at = self._block_end(parts, index, "template_if_start", "template_endif")
        cond_node = [c for c in significant(parts[index].children[0].children) if isinstance(c, Node)][0]
        condition = self.eval(cond_node, depth)
        if is_unknown(condition):
            out.append(condition)
            return end + 1
        chosen = parts[index + 1 : else_at if else_at is not None else end]
        if not to_bool(condition):
            chosen = parts[else_at + 1 : end] if else_at is not None else []
        out.append(self.template(chosen, depth) if chosen else "")
        return end + 1

    def _template_for(self, parts: list[Node], index: int, out: list[Any], depth: int) -> int:
        end, _ = self._block_end(parts, index, "template_for_start", "template_endfor")
        trees = [c for c in parts[index].children[0].children if isinstance(c, Node)]
        names = [t.children[0].value for t in trees if t.data == "identifier"]
        collection = self.eval(trees[-1], depth)
        if is_unknown(collection):
            out.append(collection)
            return end + 1
        body = parts[index + 1 : end]
        for key, value in iterate(collection):
            bound = {names[0]: value} if len(names) == 1 else {names[0]: key, names[1]: value}
            inner = _Evaluator(self.scope.child(bound))
            out.append(inner.template(body, depth) if body else "")
        return end + 1

    def _heredoc_template(self, node: Node, depth: int) -> Any:
        return self._heredoc(node.children[0].value, trim=False, depth=depth)

    def _heredoc_template_trim(self, node: Node, depth: int) -> Any:
        return self._heredoc(node.children[0].value, trim=True, depth=depth)

    def _heredoc(self, raw: str, trim: bool, depth: int) -> Any:
        lines = raw.replace("\r\n", "\n").split("\n")
        body = lines[1:-2] if len(lines) >= 3 else []
        if trim:
            indents = [len(line) - len(line.lstrip(" \t")) for line in body if line.strip()]
            cut = min(indents) if indents else 0
            body = [line[cut:] for line in body]
        text = "".join(line + "\n" for line in body)
        if "${" not in text and "%{" not in text:
            return text
        return template_from_text(text, self.scope, depth)

    def _template_string(self, node: Node, depth: int) -> Any:
        raw = node.children[0].value
        return unescape(raw[2:-2])

    # references -------------------------------------------------------------------------
    def _unresolved_root(self, node: Node) -> Unknown | None:
        root = node
        while isinstance(root, Node) and root.data in ("get_attr_expr_term", "index_expr_term", "expr_term"):
            inner = significant(root.children)
            root = inner[0] if inner else None
        if isinstance(root, Node) and root.data == "identifier" and root.children[0].value not in self.scope.names:
            prefix = f"{self.scope.module}." if self.scope.module else ""
            return Unknown(f"depends on {prefix}{traversal_text(node)}")
        return None

    def _get_attr_expr_term(self, node: Node, depth: int) -> Any:
        unresolved = self._unresolved_root(node)
        if unresolved is not None:
            return unresolved
        base_node, get_attr = node.children
        base = self.eval(base_node, depth)
        name = significant(get_attr.children)[0]
        return self.get_attr(base, name.children[0].value, base_node)

    def get_attr(self, base: Any, name: str, base_node: Any = None) -> Any:
        if is_unknown(base):
            return base
        if isinstance(base, Lazy):
            return base.get(name)
        if isinstance(base, dict):
            if name not in base:
                raise EvalError(f"object has no attribute {name!r}")
            return base[name]
        if base is None:
            raise EvalError(f"cannot read attribute {name!r} of null")
        raise EvalError(f"a {type_name(base)} has no attribute {name!r}")

    def _index_expr_term(self, node: Node, depth: int) -> Any:
        unresolved = self._unresolved_root(node)
        if unresolved is not None:
            return unresolved
        base_node, index_node = node.children
        base = self.eval(base_node, depth)
        key = self.index_key(index_node, depth)
        return self.index(base, key)

    def index_key(self, index_node: Node, depth: int) -> Any:
        if index_node.data == "short_index":
            return int(significant(index_node.children)[0].value)
        return self.eval(significant(index_node.children)[0], depth)

    def index(self, base: Any, key: Any) -> Any:
        if is_unknown(base):
            return base
        if is_unknown(key):
            # `aws_ebs_volume.data[var.which]`: a reference to some instance of the resource.
            any_instance = getattr(base, "any_instance", None)
            return any_instance() if any_instance is not None else key
        if isinstance(base, Lazy):
            return base.get(to_string(key))
        if isinstance(base, dict):
            name = to_string(key)
            if name not in base:
                raise EvalError(f"key {name!r} not found")
            return base[name]
        if isinstance(base, list):
            position = to_number(key)
            if not isinstance(position, int) and not float(position).is_integer():
                raise EvalError("a list index must be a whole number")
            position = int(position)
            if position < 0 or position >= len(base):
                raise EvalError(f"index {position} out of range for a list of {len(base)}")
            return base[position]
        raise EvalError(f"a {type_name(base)} cannot be indexed")

    def _splat(self, node: Node, depth: int) -> Any:
        base_node, splat = node.children
        base = self.eval(base_node, depth)
        if is_unknown(base):
            return base
        if base is None:
            return []
        items = base if isinstance(base, list) else [base]
        steps = [child for child in splat.children if isinstance(child, Node)]
        result = []
        for item in items:
            for step in steps:
                if step.data == "get_attr":
                    item = self.get_attr(item, significant(step.children)[0].children[0].value)
                else:
                    item = self.index(item, self.index_key(step, depth))
            result.append(item)
        return result

    _attr_splat_expr_term = _splat
    _full_splat_expr_term = _splat

    # operators --------------------------------------------------------------------------
    def _conditional(self, node: Node, depth: int) -> Any:
        cond_node, yes_node, no_node = significant(node.children)
        condition = self.eval(cond_node, depth)
        if is_unknown(condition):
            return condition
        return self.eval(yes_node if to_bool(condition) else no_node, depth)

    def _unary_op(self, node: Node, depth: int) -> Any:
        operator, operand_node = node.children
        operand = self.eval(operand_node, depth)
        if is_unknown(operand):
            return operand
        if operator.value.strip() == "!":
            return not to_bool(operand)
        return -to_number(operand)

    def _binary_op(self, node: Node, depth: int) -> Any:
        lhs_node, term = significant(node.children)[:2]
        operator_node, rhs_node = significant(term.children)
        operator = operator_node.children[0].value.strip()
        lhs = self.eval(lhs_node, depth)
        if operator in ("&&", "||") and not is_unknown(lhs):
            # Terraform evaluates both sides, but a known deciding side settles the answer.
            left = to_bool(lhs)
            if operator == "&&" and not left:
                return False
            if operator == "||" and left:
                return True
            rhs = self.eval(rhs_node, depth)
            return rhs if is_unknown(rhs) else to_bool(rhs)
        rhs = self.eval(rhs_node, depth)
        if is_unknown(lhs):
            return lhs
        if is_unknown(rhs):
            return rhs
        return binary(operator, lhs, rhs)

    # functions and for expressions ------------------------------------------------------
    def _function_call(self, node: Node, depth: int) -> Any:
        names = [child.children[0].value for child in node.children if isinstance(child, Node) and child.data == "identifier"]
        name = names[-1] if names[:1] == ["core"] or len(names) == 1 else "::".join(names)
        args_node = next((c for c in node.children if isinstance(c, Node) and c.data == "arguments"), None)
        arg_nodes = significant(args_node.children) if args_node is not None else []
        expand = args_node is not None and any(isinstance(c, Leaf) and c.type == "ELLIPSIS" for c in args_node.children)
        if name in ("try", "can"):
            return self._try_can(name, arg_nodes, depth)
        function = self.scope.functions.get(name)
        if function is None:
            if name.startswith("provider::"):
                return Unknown(f"function {name}() is a provider's: only the provider evaluates it")
            return Unknown(f"function {name}() is not evaluated offline")
        args = [self.eval(arg, depth) for arg in arg_nodes]
        if expand and args:
            last = args.pop()
            if is_unknown(last):
                return last
            if not isinstance(last, list):
                raise EvalError("only a list can be expanded with ...")
            args.extend(last)
        return function(*args)

    def _try_can(self, name: str, arg_nodes: list, depth: int) -> Any:
        for arg in arg_nodes:
            try:
                value = self.eval(arg, depth)
            except EvalError:
                if name == "can":
                    return False
                continue
            if name == "can":
                return value if is_unknown(value) else True
            return value
        if name == "can":
            return False
        raise EvalError("no argument of try() could be evaluated")

    def _for_intro(self, node: Node, depth: int) -> tuple[list[str], Any]:
        trees = [c for c in node.children if isinstance(c, Node) and c.data != "new_line_or_comment"]
        names = [t.children[0].value for t in trees if t.data == "identifier"]
        return names, self.eval(trees[-1], depth)

    def _for_parts(self, node: Node) -> tuple[Node, list[Node], Node | None, bool]:
        trees = [c for c in node.children if isinstance(c, Node) and c.data != "new_line_or_comment"]
        intro = trees[0]
        cond = trees[-1] if trees[-1].data == "for_cond" else None
        body = trees[1:-1] if cond is not None else trees[1:]
        grouping = any(isinstance(c, Leaf) and c.type == "ELLIPSIS" for c in node.children)
        return intro, body, cond, grouping

    def _for_iterations(self, node: Node, depth: int) -> Iterator[tuple["_Evaluator", list[Node]]]:
        intro, body, cond, _ = self._for_parts(node)
        names, collection = self._for_intro(intro, depth)
        if is_unknown(collection):
            raise _UnknownCollection(collection)
        for key, value in iterate(collection):
            bound = {names[0]: value} if len(names) == 1 else {names[0]: key, names[1]: value}
            inner = _Evaluator(self.scope.child(bound))
            if cond is not None:
                keep = inner.eval(significant(cond.children)[-1], depth)
                if is_unknown(keep):
                    raise _UnknownCollection(keep)
                if not to_bool(keep):
                    continue
            yield inner, body

    def _for_tuple_expr(self, node: Node, depth: int) -> Any:
        try:
            return [inner.eval(body[0], depth) for inner, body in self._for_iterations(node, depth)]
        except _UnknownCollection as unknown:
            return unknown.value

    def _for_object_expr(self, node: Node, depth: int) -> Any:
        grouping = self._for_parts(node)[3]
        result: dict[str, Any] = {}
        try:
            for inner, body in self._for_iterations(node, depth):
                key = inner.eval(body[0], depth)
                if is_unknown(key):
                    return key
                key = to_string(key)
                value = inner.eval(body[1], depth)
                if grouping:
                    result.setdefault(key, []).append(value)
                elif key in result:
                    raise EvalError(f"duplicate key {key!r} in for expression (use ... to group)")
                else:
                    result[key] = value
        except _UnknownCollection as unknown:
            return unknown.value
        return result


class _UnknownCollection(Exception):
    def __init__(self, value: Unknown) -> None:
        self.value = value


# The expressions that build a new string or collection: their results are charged to the budget.
# (A variable or attribute read hands on a value already charged when it was built.)
_BUILDERS = frozenset({"string", "heredoc_template", "heredoc_template_trim", "template_string", "tuple",
                       "object", "function_call", "for_tuple_expr", "for_object_expr", "splat"})


def template_from_text(text: str, scope: Scope, depth: int = 0) -> Any:
    """Evaluate raw template text (a heredoc body, a `.tf.json` string) as a quoted template."""
    from guardrails.terraform.hcl.parse import HclSyntaxError, parse_expression
    from guardrails.terraform.templates import quote_template

    try:
        tree = parse_expression(quote_template(text))
    except HclSyntaxError as exc:
        raise EvalError(f"the template does not parse: {exc.message}") from None
    return _Evaluator(scope).eval(tree, depth)
