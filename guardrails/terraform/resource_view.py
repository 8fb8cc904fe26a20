"""How an expression sees resources: `aws_instance.web.instance_type`, `data.aws_ami.x.id`.

A resource reads as Terraform reads it before apply: an attribute the configuration sets is its
value; any other (an id, an ARN, whatever the provider computes at apply) is an Unknown that names
the resource by absolute address ("depends on module.asg.aws_launch_template.this.id"), so a value
passed on to another resource or module still refers to its owner. A counted resource reads as a
list of instances, one with for_each as a map, one whose count is unknown as that Unknown.
A resource is evaluated when first read or at its place in the body, once (values.Lazy).
"""
from __future__ import annotations

import json
from typing import Any, Callable, Sequence

from guardrails.core.model import Resource, Unknown, is_unknown
from guardrails.terraform.values import Lazy

MAX_DEPTH = 32


class View(Lazy):
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


class Names(Lazy):
    """Names evaluated on first read (values.Lazy), with a fallback for the ones not declared."""

    def __init__(self, thunks: dict[str, Callable[[], Any]], missing: Callable[[str], Any], what: str) -> None:
        super().__init__(thunks, what)
        self._missing = missing

    def __contains__(self, key: object) -> bool:
        return True

    def get(self, key: str) -> Any:
        return super().get(key) if key in self._thunks else self._missing(key)


class Instances(list):
    """The instances of a counted resource; an index that cannot be evaluated may mean any of them."""

    def __init__(self, items: Sequence[Any], base: str) -> None:
        super().__init__(items)
        self.base = base

    def any_instance(self) -> Unknown:
        return Unknown(f"depends on {self.base}[...]")


class InstanceMap(dict):
    """The instances of a resource with for_each, by key; an unknown key may mean any of them."""

    def __init__(self, items: dict[str, Any], base: str) -> None:
        super().__init__(items)
        self.base = base

    def any_instance(self) -> Unknown:
        return Unknown(f"depends on {self.base}[...]")


def unmade(base: str) -> Callable[[str], Any]:
    """The fallback for a resource name this module instance does not declare."""
    return lambda name: Unknown(f"depends on {base}.{name}")


def instances(made: Sequence[Resource]) -> Any:
    """What `type.name` reads for the instances one block made: one resource, a list (count), a map (for_each)."""
    pairs = []
    for resource in made:
        suffix = resource.address[len(_base(resource)):] if resource.address.endswith("]") else ""
        pairs.append((suffix, resource))
    return _instances(pairs)


def plain(value: Any, depth: int = 0) -> Any:
    """`value` with no view left in it, to keep in a resource or hand to a module: a whole resource
    becomes a reference to it (its attributes are read through the reference, never copied)."""
    if isinstance(value, View):
        return Unknown(f"depends on {value._what}")
    if depth > MAX_DEPTH or is_unknown(value):
        return value
    if isinstance(value, dict):
        return {key: plain(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item, depth + 1) for item in value]
    return value


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
    base = _base(instances[0][1]) if instances else ""
    if all(isinstance(key, int) for key in keyed):
        return Instances([keyed[key] for key in sorted(keyed)], base)
    return InstanceMap({str(key): value for key, value in keyed.items()}, base)


def _base(resource: Resource) -> str:
    return resource.address.rsplit("[", 1)[0] if resource.address.endswith("]") else resource.address


def _attributes(resource: Resource) -> View:
    address = resource.address
    return View(resource.attrs, lambda key: Unknown(f"depends on {address}.{key}"), address)


def resource_names(blocks: Sequence[Any], evaluate: Callable[[Any], Sequence[Resource]], module: str) -> dict[str, Any]:
    """The root names a module's resources add to its scope (`aws_instance`, and `data`), each
    block evaluated by `evaluate` (which returns the instances it made) when first read."""
    prefix = f"{module}." if module else ""
    managed: dict[str, dict[str, Callable[[], Any]]] = {}
    data: dict[str, dict[str, Callable[[], Any]]] = {}
    for block in blocks:
        if block.type in ("resource", "data") and len(block.labels) == 2:
            table = data if block.type == "data" else managed
            table.setdefault(block.labels[0], {})[block.labels[1]] = lambda b=block: instances(evaluate(b))
    names: dict[str, Any] = {rtype: Names(thunks, unmade(f"{prefix}{rtype}"), f"{prefix}{rtype}")
                             for rtype, thunks in managed.items()}
    kinds = {rtype: Names(thunks, unmade(f"{prefix}data.{rtype}"), f"{prefix}data.{rtype}") for rtype, thunks in data.items()}
    names["data"] = View(kinds, lambda rtype: Names({}, unmade(f"{prefix}data.{rtype}"), f"{prefix}data.{rtype}"),
                         f"{prefix}data")
    return names


def evaluate_block(names: dict[str, Any], block: Any) -> None:
    """Make sure `block` was evaluated (at its place in the body, if nothing read it before)."""
    rtype, name = block.labels
    (names["data"].get(rtype) if block.type == "data" else names[rtype]).get(name)
