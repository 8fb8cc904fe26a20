"""YAML documents as plain values, with the line of every key and list item.

Paths: `a.b` for mapping keys, `a[0]` for list items; a key that is not a plain name
(it holds a dot, a bracket, a space, or is not a string) is written `a["x.y"]`.
Only YAML's safe types are built; aliases are expanded but counted, so an alias bomb
stops with an error instead of exhausting memory, and so does nesting past `max_depth`.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import yaml

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # libyaml missing: the pure-Python loader is slower but the same
    _Loader = yaml.SafeLoader

_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_\-/]+$")
_MERGE_TAG = "tag:yaml.org,2002:merge"
_SCALAR_BUILDER = yaml.constructor.SafeConstructor()


@dataclass(frozen=True)
class YamlDocument:
    value: Any
    lines: dict[str, int]
    start_line: int
    end_line: int


class YamlError(Exception):
    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file = file
        self.line = line
        self.message = message


def key_path(parent: str, key: Any) -> str:
    if isinstance(key, str) and _PLAIN_KEY.match(key):
        return f"{parent}.{key}" if parent else key
    return f"{parent}[{json.dumps(key if isinstance(key, str) else str(key))}]"


def load_documents(text: str, file: str, *, max_nodes: int = 1_000_000, max_depth: int = 500) -> list[YamlDocument]:
    """Every non-empty document of a YAML stream; YamlError at the first problem."""
    documents: list[YamlDocument] = []
    loader = _Loader(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            builder = _Builder(file, max_nodes, max_depth)
            value = builder.build(node, "", 0)
            if value is None and not builder.lines:
                continue
            documents.append(YamlDocument(value, builder.lines, node.start_mark.line + 1, node.end_mark.line + 1))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        raise YamlError(file, line, f"invalid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YamlError(file, 0, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise YamlError(file, 0, f"YAML nested more than {max_depth} levels deep") from None
    finally:
        loader.dispose()
    return documents


class _Builder:
    def __init__(self, file: str, max_nodes: int, max_depth: int) -> None:
        self.file = file
        self.max_nodes = max_nodes
        self.max_depth = max_depth
        self.count = 0
        self.lines: dict[str, int] = {}

    def build(self, node: yaml.Node, path: str, depth: int) -> Any:
        self.count += 1
        if self.count > self.max_nodes:
            raise YamlError(self.file, node.start_mark.line + 1,
                            f"more than {self.max_nodes} YAML nodes (an alias bomb?); not read")
        if depth > self.max_depth:
            raise YamlError(self.file, node.start_mark.line + 1, f"YAML nested more than {self.max_depth} levels deep")
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, child in enumerate(node.value):
                child_path = f"{path}[{index}]"
                self.lines.setdefault(child_path, child.start_mark.line + 1)
                items.append(self.build(child, child_path, depth + 1))
            return items
        return self.mapping(node, path, depth)

    def mapping(self, node: yaml.MappingNode, path: str, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        merged: list[dict[Any, Any]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for source in sources:
                    built = self.build(source, path, depth + 1)
                    if isinstance(built, dict):
                        merged.append(built)
                continue
            key = self.build(key_node, path, depth + 1)
            if isinstance(key, (list, dict)):
                raise YamlError(self.file, key_node.start_mark.line + 1, "a mapping key must be a scalar")
            child_path = key_path(path, key)
            self.lines[child_path] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, child_path, depth + 1)
        for source in merged:
            for key, value in source.items():
                result.setdefault(key, value)
        return result

    def scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == "tag:yaml.org,2002:str" or node.style in ("'", '"', "|", ">"):
            return node.value
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value  # Kubernetes and policies want the text, not a datetime
        try:
            return _SCALAR_BUILDER.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError:
            return node.value
