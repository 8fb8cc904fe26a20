"""Provider configurations: what each block configures, which one a resource uses, what a module gets.

A configuration is known by its key: `aws`, `aws.west` (an alias), and with OpenTofu's provider
`for_each` (1.9) one per instance, `aws.by_region["eu"]`, which a resource selects with
`provider = aws.by_region[each.key]` and a module call with `providers = {aws = aws.by_region[...]}`.
Only what pricing and rules use is kept: region, project, zone, location, default tags.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Mapping

from guardrails.core.model import is_unknown
from guardrails.terraform.bodies import evaluate_body
from guardrails.terraform.evaluate import evaluate
from guardrails.terraform.hcl.nodes import Node
from guardrails.terraform.resource_view import plain
from guardrails.terraform.scope import Scope
from guardrails.terraform.source import Block, JsonExpr
from guardrails.terraform.syntax import significant, traversal_text

KEPT = ("region", "alias", "project", "zone", "location")


def provider_configs(block: Block, scope: Scope, instances: Callable[[Block, Scope], Any]) -> dict[str, dict[str, Any]]:
    """The configurations a `provider` block makes, by key (one per instance with for_each)."""
    if "for_each" not in block.body.attrs:
        config = _config(block, scope)
        return {_key(block, config): config}
    made = instances(block, scope)
    if is_unknown(made):
        return {}  # resources that use it say where their region comes from
    found = {}
    for suffix, bound in made:
        config = _config(block, scope.child(bound))
        found[_key(block, config) + suffix] = config
    return found


def _key(block: Block, config: Mapping[str, Any]) -> str:
    return block.labels[0] + (f".{config['alias']}" if isinstance(config.get("alias"), str) else "")


def _config(block: Block, scope: Scope) -> dict[str, Any]:
    values, _ = evaluate_body(block.body, scope, "")
    values = plain(values)
    config: dict[str, Any] = {key: values[key] for key in KEPT if key in values}
    default_tags = values.get("default_tags")
    if isinstance(default_tags, list) and default_tags:
        tags = default_tags[0].get("tags", {}) if isinstance(default_tags[0], dict) else default_tags[0]
        config["default_tags"] = tags
    elif "default_labels" in values:
        config["default_tags"] = values["default_labels"]
    return config


def provider_key_of(block: Block, rtype: str, scope: Scope) -> str:
    """The key of the configuration a resource instance uses (`scope` binds its count or each)."""
    attr = block.body.attrs.get("provider")
    if attr is not None:
        if isinstance(attr.expr, JsonExpr):
            return str(attr.expr.value)
        text = address_text(attr.expr, scope) or traversal_text(attr.expr)
        if text and text != "an expression":
            return text
    return rtype.split("_", 1)[0]


def passed_providers(block: Block, providers: Mapping[str, Mapping[str, Any]],
                     scope: Scope) -> dict[str, Mapping[str, Any]]:
    """The configurations a module call instance hands its module: the defaults, and `providers`."""
    inherited = {key: value for key, value in providers.items() if "." not in key}
    attr = block.body.attrs.get("providers")
    if attr is None:
        return inherited
    node = attr.expr
    while isinstance(node, Node) and node.data == "expr_term":
        node = significant(node.children)[0]
    if isinstance(node, Node) and node.data == "object":
        for elem in significant(node.children):
            key_node, value_node = significant(elem.children)
            key = traversal_text(significant(key_node.children)[0])
            source = address_text(value_node, scope) or traversal_text(value_node)
            if source in providers:
                inherited[key] = providers[source]
    return inherited


def address_text(node: Any, scope: Scope) -> str:
    """A reference written as an address (`aws_instance.a`, `module.x`, `aws.by_region[each.key]`),
    its index evaluated in `scope`; "" when it is not one or the index is unknown."""
    while isinstance(node, Node) and node.data == "expr_term" and len(significant(node.children)) == 1:
        node = significant(node.children)[0]
    if isinstance(node, Node) and node.data == "identifier":
        return node.children[0].value
    if isinstance(node, Node) and node.data == "get_attr_expr_term":
        base, get_attr = node.children
        inner = address_text(base, scope)
        return f"{inner}.{significant(get_attr.children)[0].children[0].value}" if inner else ""
    if isinstance(node, Node) and node.data == "index_expr_term":
        base, index = node.children
        inner = address_text(base, scope)
        key = evaluate(significant(index.children)[0], scope) if index.data == "braces_index" else int(significant(index.children)[0].value)
        if not inner or is_unknown(key) or not isinstance(key, (str, int)):
            return ""
        return f"{inner}[{json.dumps(key)}]"
    return ""
