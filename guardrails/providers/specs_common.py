"""What the instance spec tables of every cloud share: a spec, the ranking of AWS-style size
names, and the answer for a type that does not exist.

Kept apart from specs.py so that the per-cloud tables (specs_aws.py, specs_gcp.py,
specs_azure.py) can use them without importing each other or the module that joins them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True)
class Spec:
    vcpu: int
    memory_gib: float | None  # None where the size is known but its memory is not


class Missing(NamedTuple):
    """An instance type name its provider does not offer, though its family is one we know whole."""

    kind: str  # "an EC2 instance type"
    family: str  # as the rule's families option names it
    nearest: tuple[str, ...]  # the real sizes either side of the one asked for, or the whole family


_SIZE_WORDS = {"nano": 0, "micro": 1, "small": 2, "medium": 3, "large": 4, "xlarge": 5}
_MULTI_XLARGE = re.compile(r"^([1-9][0-9]*)xlarge$")
# Any metal size outranks every virtual size; metal variants (metal-24xl) rank alike.
_METAL_RANK = 1_000_000


def size_rank(size: str) -> int | None:
    """nano < micro < small < medium < large < xlarge < 2xlarge < ... < 48xlarge < metal."""
    if size in _SIZE_WORDS:
        return _SIZE_WORDS[size]
    match = _MULTI_XLARGE.match(size)
    if match:
        return _SIZE_WORDS["xlarge"] + int(match.group(1)) - 1
    if size == "metal" or size.startswith("metal-"):
        return _METAL_RANK
    return None


def either_side(key: int, members: list[tuple[int, str]]) -> list[str]:
    """The largest member below `key` and the smallest above it (one of them at the ends)."""
    below = [m for m in members if m[0] < key]
    above = [m for m in members if m[0] > key]
    out = []
    if below:
        out.append(max(below, key=lambda m: m[0])[1])
    if above:
        out.append(min(above, key=lambda m: m[0])[1])
    return out or [name for _, name in members]
