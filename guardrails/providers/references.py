"""Which scanned resources a value refers to, read from what the Terraform loader leaves.

A reference Terraform resolves only at apply (`aws_launch_template.web.id`) stays an Unknown whose
reason is "depends on aws_launch_template.web.id" (several joined by ", "; an index the loader
cannot evaluate written [...]). Inside a module the loader writes the module's address first
("depends on module.asg.aws_launch_template.web.id"), so a value passed into a module, or out of
one through an output, still names whose resource it is. Pricing follows these to a template or
a cluster; rules follow them to tell whether anything uses a resource.
"""
from __future__ import annotations

import re
from typing import Any, Iterator, NamedTuple

from guardrails.core.model import is_unknown

_DEPENDS = "depends on "
_REFERENCE = re.compile(r"^(?P<module>(?:module\.[A-Za-z_][A-Za-z0-9_-]*(?:\[[^\]]*\])?\.)*)(?P<type>[a-z0-9_]+)\.(?P<name>[A-Za-z_][A-Za-z0-9_-]*)(?P<index>\[[^\]]*\])?(?:\.(?P<rest>.*)|$)")


class Reference(NamedTuple):
    type: str
    name: str
    index: str  # "" for none, "[0]" / '["a"]', or "[...]" when the loader could not evaluate it
    attribute: str = ""  # what of it is read: "id", "location", "ip_configuration[0].name"
    module: str = ""  # the address of the module the resource is in, "" at the root

    @property
    def any_instance(self) -> bool:
        """Whether the index is unknown: the reference may be to any instance of the resource."""
        return self.index == "[...]"

    @property
    def base(self) -> str:
        """The resource's absolute address without an index."""
        return f"{self.module + '.' if self.module else ''}{self.type}.{self.name}"

    @property
    def address(self) -> str:
        """The absolute address referred to; without the index when it is unknown."""
        return self.base + ("" if self.any_instance else self.index)


def references(value: Any) -> list[Reference]:
    """The resources an unresolved value depends on, in the order written; [] for a known value."""
    if not is_unknown(value) or not value.reason.startswith(_DEPENDS):
        return []
    found = []
    for reference in value.reason[len(_DEPENDS):].split(", "):
        match = _REFERENCE.match(reference.strip())
        if match and not match.group("type") in ("var", "local", "module", "data", "each", "count", "path", "self"):
            found.append(Reference(match.group("type"), match.group("name"), match.group("index") or "",
                                   match.group("rest") or "", match.group("module")[:-1]))
    return found


def references_within(value: Any, depth: int = 0) -> Iterator[Reference]:
    """Every reference anywhere in a value: maps and lists (blocks) are walked, bounded in depth."""
    if depth > 32:
        return
    if is_unknown(value):
        yield from references(value)
    elif isinstance(value, dict):
        for item in value.values():
            yield from references_within(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from references_within(item, depth + 1)
