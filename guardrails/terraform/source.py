"""Terraform source files as bodies of attributes and blocks, whether HCL or `.tf.json`.

Both syntaxes become the same `Body`, so evaluation does not care which one a module used.
An attribute keeps its expression unevaluated (a Lark node, or a `JsonExpr`) and its lines.
"""
from __future__ import annotations

import json
import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from guardrails.files import datacodec
from guardrails.files.jsonerror import json_problem, limit_problem
from guardrails.terraform.hcl.nodes import Leaf, Node
from guardrails.terraform.hcl.parse import HclSyntaxError, parse_body
from guardrails.terraform.syntax import node_end_line, node_line, significant, unescape


@dataclass(frozen=True)
class JsonExpr:
    """A `.tf.json` value: strings are templates, everything else literal."""

    value: Any


@dataclass
class Attr:
    name: str
    expr: Any
    line: int
    end_line: int


@dataclass
class Block:
    type: str
    labels: list[str]
    body: "Body"
    file: str
    line: int
    end_line: int


@dataclass
class Body:
    attrs: dict[str, Attr] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)


# --- cache entries (see files/datacodec) ----------------------------------------------------------
_enc, _expect = datacodec.encode_value, datacodec.expect


def _decode_body(fields: list) -> Body:
    attrs, blocks = fields
    _expect(type(attrs) is list and all(type(a) is Attr for a in attrs)
            and type(blocks) is list and all(type(b) is Block for b in blocks))
    return Body({attr.name: attr for attr in attrs}, blocks)


def _decode_attr(fields: list) -> Attr:
    name, expr, line, end = fields
    _expect(type(name) is str and type(line) is int and type(end) is int)
    return Attr(name, expr, line, end)


def _decode_block(fields: list) -> Block:
    kind, labels, inner, file, line, end = fields
    _expect(type(kind) is str and type(labels) is list and all(type(x) is str for x in labels)
            and type(inner) is Body and type(file) is str and type(line) is int and type(end) is int)
    return Block(kind, labels, inner, file, line, end)


datacodec.register("B", Body, lambda b: [_enc(list(b.attrs.values())), _enc(b.blocks)], _decode_body)
datacodec.register("A", Attr, lambda a: [a.name, _enc(a.expr), a.line, a.end_line], _decode_attr)
datacodec.register("K", Block, lambda b: [b.type, list(b.labels), _enc(b.body), b.file, b.line, b.end_line],
                   _decode_block)
datacodec.register("J", JsonExpr, lambda j: _enc(j.value), JsonExpr)


def _name(node: Any) -> str:
    if isinstance(node, Leaf):
        return node.value
    if node.data in ("identifier", "keyword", "literal_value"):
        return node.children[0].value
    if node.data == "string":
        return "".join(
            unescape(part.children[0].value)
            for part in node.children
            if isinstance(part, Node) and part.data == "string_part" and isinstance(part.children[0], Leaf)
        )
    raise HclSyntaxError(node_line(node), 0, "unsupported block label")


def body_from_hcl(tree: Node, file: str) -> Body:
    return _hcl_body(tree.children[0], file)


MAX_BLOCK_DEPTH = 64  # real configurations nest blocks a handful of levels deep


def _hcl_body(node: Node, file: str, depth: int = 0) -> Body:
    if depth > MAX_BLOCK_DEPTH:
        raise HclSyntaxError(node_line(node), 0, f"blocks nested more than {MAX_BLOCK_DEPTH} levels deep")
    body = Body()
    for child in significant(node.children):
        if child.data == "attribute":
            parts = significant(child.children)
            name = _name(parts[0])
            body.attrs[name] = Attr(name, parts[-1], node_line(child), node_end_line(child))
        elif child.data == "block":
            _check_block_layout(child)
            parts = significant(child.children)
            inner = parts[-1]
            names = [_name(part) for part in parts[:-1]]
            body.blocks.append(
                Block(names[0], names[1:], _hcl_body(inner, file, depth + 1), file, node_line(child), node_end_line(child))
            )
    return body


def _check_block_layout(block: Node) -> None:
    """The layout rules of hashicorp/hcl's native syntax that the grammar we parse with leaves out.

    A block's `{` starts on its header line. A block with content right after `{` is a
    single-line block: one argument at most, and `}` on the same line. In any other block, each
    argument and nested block ends with a newline before `}`. Terraform refuses the file otherwise.
    """
    braces = [c for c in block.children if isinstance(c, Leaf) and c.type in ("LBRACE", "RBRACE")]
    body = next((c for c in block.children if isinstance(c, Node) and c.data == "body"), None)
    if len(braces) != 2 or body is None:
        return
    opening, closing = braces
    header = [c for c in block.children if c is not opening and c is not closing and c is not body
              and not (isinstance(c, Node) and c.data == "new_line_or_comment")]
    if header and node_end_line(header[-1]) != opening.line:
        raise HclSyntaxError(opening.line, 0, "a block's { must be on the same line as its type and labels")
    items = significant(body.children)
    if not items:
        return
    if not (isinstance(body.children[0], Node) and body.children[0].data == "new_line_or_comment"):
        if len(items) > 1:
            raise HclSyntaxError(opening.line, 0, "a single-line block holds one argument at most")
        if items[0].data != "attribute":
            raise HclSyntaxError(opening.line, 0, "a single-line block holds one argument, not a nested block")
        if closing.line != opening.line:
            raise HclSyntaxError(opening.line, 0,
                                 "a single-line block must close with } on the same line, right after its argument")
        return
    if _content_end_line(items[-1]) == closing.line:
        what = "argument" if items[-1].data == "attribute" else "block"
        raise HclSyntaxError(closing.line, 0, f"missing newline after the {what}: put }} on a line of its own")


def _content_end_line(node: Any) -> int:
    """The line an item's text ends on: its last token that is not a newline or comment (a
    heredoc's token also holds the newline after its end marker)."""
    while isinstance(node, Node):
        children = [c for c in node.children if not _is_layout(c)]
        if not children:
            return node_end_line(node)
        node = children[-1]
    return node.end_line - 1 if node.value.endswith("\n") else node.end_line


def _is_layout(child: Any) -> bool:
    if isinstance(child, Leaf):
        return child.type in ("NL_OR_COMMENT", "NEWLINE") or not child.value.strip()
    return child.data == "new_line_or_comment"


def parse_hcl_file(text: str, file: str) -> Body:
    return body_from_hcl(parse_body(text), file)


# In JSON syntax a nested object could be an attribute map or a nested block; only the provider
# schema knows. These are the block types our rules and cost models read.
JSON_BLOCK_TYPES = {
    "root_block_device", "ebs_block_device", "block_device_mappings", "ebs", "default_tags",
    "boot_disk", "initialize_params", "attached_disk", "node_config", "os_disk", "guest_accelerator",
    "mixed_instances_policy", "launch_template", "launch_template_specification", "override",
    "default_node_pool", "tag", "scaling_config", "monitoring", "credit_specification",
    "scratch_disk", "autoscaling", "instance_market_options", "dynamic", "content",
}
_TOP_BLOCKS_WITH_TWO_LABELS = {"resource", "data"}
_TOP_BLOCKS_WITH_ONE_LABEL = {"module", "variable", "output", "provider"}


def _json_object(text: str, what: str) -> dict[str, Any]:
    try:
        document = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise HclSyntaxError(exc.lineno, exc.colno, json_problem(exc)) from None
    except (ValueError, RecursionError) as exc:
        line, message = limit_problem(exc, text)
        raise HclSyntaxError(line, 0, message) from None
    if not isinstance(document, dict):
        raise HclSyntaxError(1, 0, f"a {what} file must hold a JSON object")
    return document


def parse_json_vars(text: str) -> Body:
    """A `.tfvars.json` file: one attribute per variable."""
    document = _json_object(text, ".tfvars.json")
    return Body(attrs={k: Attr(k, JsonExpr(v), 1, 1) for k, v in document.items()})


def parse_json_file(text: str, file: str) -> Body:
    document = _json_object(text, ".tf.json")
    finder = _LineFinder(text)
    body = Body()
    for block_type, content in document.items():
        if block_type in _TOP_BLOCKS_WITH_TWO_LABELS and isinstance(content, dict):
            for kind, named in content.items():
                for name, block in _as_items(named):
                    line = finder.find(name)
                    body.blocks.append(Block(block_type, [kind, name], _json_body(block, file, line), file, line, line))
        elif block_type in _TOP_BLOCKS_WITH_ONE_LABEL and isinstance(content, dict):
            for name, block in _as_items(content):
                line = finder.find(name)
                body.blocks.append(Block(block_type, [name], _json_body(block, file, line), file, line, line))
        elif block_type in ("locals", "terraform") :
            for block in content if isinstance(content, list) else [content]:
                line = finder.find(block_type)
                body.blocks.append(Block(block_type, [], _json_body(block, file, line), file, line, line))
    return body


def _as_items(named: Any) -> list[tuple[str, Any]]:
    items: list[tuple[str, Any]] = []
    if isinstance(named, dict):
        for name, value in named.items():
            for block in value if isinstance(value, list) else [value]:
                items.append((name, block))
    return items


def _json_body(content: Any, file: str, line: int, depth: int = 0) -> Body:
    if depth > MAX_BLOCK_DEPTH:
        raise HclSyntaxError(line, 0, f"blocks nested more than {MAX_BLOCK_DEPTH} levels deep")
    body = Body()
    if not isinstance(content, dict):
        return body
    for key, value in content.items():
        if key in JSON_BLOCK_TYPES and isinstance(value, (dict, list)):
            for block in value if isinstance(value, list) else [value]:
                if key == "dynamic" and isinstance(block, dict):
                    for label, inner in block.items():
                        body.blocks.append(Block("dynamic", [label], _json_body(inner, file, line, depth + 1), file, line, line))
                elif isinstance(block, dict):
                    body.blocks.append(Block(key, [], _json_body(block, file, line, depth + 1), file, line, line))
        else:
            body.attrs[key] = Attr(key, JsonExpr(value), line, line)
    return body


class _LineFinder:
    """The line of a quoted key, searched forward so repeated names map in order.

    Every key of the text is indexed once and lines are counted on from the last one found, so a
    `.tf.json` of 80,000 resources costs one pass, not a search and a count from the top per name.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0
        self._counted = (0, 1)  # (offset, its line)
        self._keys: dict[str, deque[int]] | None = None

    def find(self, key: str) -> int:
        if self._keys is None:
            self._keys = _key_positions(self.text)
        positions = self._keys.get(key)
        while positions and positions[0] < self.position:
            positions.popleft()  # a key met before the last one found: each is passed once
        if not positions:
            return self._counted[1]
        index = positions.popleft()
        self.position = index + 1
        return self._line(index)

    def _line(self, index: int) -> int:
        offset, line = self._counted
        if index < offset:
            offset, line = 0, 1
        line += self.text.count("\n", offset, index)
        self._counted = (index, line)
        return line


_KEY = re.compile(r'"((?:[^"\\\n]|\\.)*)"\s*:')


def _key_positions(text: str) -> dict[str, deque[int]]:
    keys: dict[str, deque[int]] = {}
    for match in _KEY.finditer(text):
        raw = match.group(1)
        if "\\" in raw:
            try:
                raw = json.loads(f'"{raw}"')
            except ValueError:
                continue
        keys.setdefault(raw, deque()).append(match.start())
    return keys
