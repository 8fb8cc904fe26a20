"""A module's outputs, as its caller reads them through `module.<name>.<output>`.

An output is evaluated in its module's scope once the module's resources are evaluated, with the
resources readable as Terraform reads them: an attribute the configuration sets is its value;
any other (an id, an ARN, whatever the provider computes at apply) is an Unknown that names the
resource by absolute address ("depends on module.asg.aws_launch_template.this.id"), so a caller
that passes it on to another resource or module still refers to this module's resource.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Sequence

from guardrails.core.model import Resource, Unknown, is_unknown
from guardrails.terraform.bodies import in_file
from guardrails.terraform.scope import Scope
from guardrails.terraform.source import Body
from guardrails.terraform.values import Lazy

MAX_DEPTH = 32


class _View(Lazy):
    """Read-only names with a fallback for the ones not there (a computed attribute, a resource
    this module instance did not make)."""

    def __init__(self, values: dict[str, Any], missing: Callable[[str], Any], what: str) -> None:
        super().__init__({}, what)
        self.values = values
        self._missing = missing

    def __contains__(self, key: object) -> bool:
        return True

    def get(self, key: str) -> Any:
        return self.values[key] if key in self.values else self._missing(key)


def outputs(body: Body, scope: Scope, resources: Sequence[Resource]) -> dict[str, Any]:
    """Each output of the module instance `scope` evaluates, by name; `resources` are its own."""
    inner = scope.child(_resource_names(resources, scope.module))
    found: dict[str, Any] = {}
    for block in body.blocks:
        if block.type == "output" and block.labels and "value" in block.body.attrs:
            value = in_file(block.file, block.body.attrs["value"].expr, inner)
            found[block.labels[0]] = _plain(value, 0)
    return found


def _resource_names(resources: Sequence[Resource], module: str) -> dict[str, Any]:
    """`aws_instance` -> its resources by name, and `data` -> data sources by type and name."""
    prefix = f"{module}." if module else ""
    grouped: dict[tuple[str, str], list[tuple[str, Resource]]] = {}
    for resource in resources:
        local = resource.address[len(prefix):]
        if local.startswith("data."):
            local = local[len("data."):]
        rtype, _, rest = local.partition(".")
        name, bracket, suffix = rest.partition("[")
        grouped.setdefault((f"{'data.' if resource.mode == 'data' else ''}{rtype}", name), []).append(
            (bracket + suffix, resource))
    managed: dict[str, dict[str, Any]] = {}
    data: dict[str, dict[str, Any]] = {}
    for (kind, name), instances in grouped.items():
        table = data.setdefault(kind[len("data."):], {}) if kind.startswith("data.") else managed.setdefault(kind, {})
        table[name] = _instances(instances)
    names: dict[str, Any] = {
        rtype: _View(by_name, _unmade(f"{prefix}{rtype}"), f"{prefix}{rtype}") for rtype, by_name in managed.items()}
    names["data"] = _View({rtype: _View(by_name, _unmade(f"{prefix}data.{rtype}"), f"{prefix}data.{rtype}")
                           for rtype, by_name in data.items()},
                          lambda rtype: _View({}, _unmade(f"{prefix}data.{rtype}"), f"{prefix}data.{rtype}"),
                          f"{prefix}data")
    return names


def _unmade(base: str) -> Callable[[str], Any]:
    return lambda name: Unknown(f"depends on {base}.{name}")


def _instances(instances: list[tuple[str, Resource]]) -> Any:
    """One resource, a list (count) or a map (for_each) of them, as `type.name` reads."""
    if len(instances) == 1 and not instances[0][0]:
        resource = instances[0][1]
        if resource.meta.get("count_unknown"):
            return Unknown(f"{_base(resource)}: {resource.meta['count_unknown']}")
        return _attributes(resource)
    keyed = {}
    for suffix, resource in instances:
        try:
            keyed[json.loads(suffix[1:-1])] = _attributes(resource)
        except ValueError:
            return Unknown(f"{_base(resource)}: its instances cannot be read")
    if all(isinstance(key, int) for key in keyed):
        return [keyed[key] for key in sorted(keyed)]
    return {str(key): value for key, value in keyed.items()}


def _base(resource: Resource) -> str:
    return resource.address.rsplit("[", 1)[0] if resource.address.endswith("]") else resource.address


def _attributes(resource: Resource) -> _View:
    address = resource.address
    return _View(resource.attrs, lambda key: Unknown(f"depends on {address}.{key}"), address)


def _plain(value: Any, depth: int) -> Any:
    """An output's value with no view left in it: a whole resource passed out is a reference to it
    (its attributes are read through the reference, not copied)."""
    if isinstance(value, _View):
        return Unknown(f"depends on {value._what}")
    if depth > MAX_DEPTH or is_unknown(value):
        return value
    if isinstance(value, dict):
        return {key: _plain(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item, depth + 1) for item in value]
    return value
