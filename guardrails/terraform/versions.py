"""Module version constraints as Terraform reads them (`version = "~> 5.0, != 5.1.2"`).

The grammar is Terraform's (developer.hashicorp.com/terraform/language/expressions/version-constraints):
comma-separated conditions, each an operator (`=`, `!=`, `>`, `>=`, `<`, `<=`, `~>`; none means
`=`) and a version of up to three numbers with an optional pre-release. `~>` lets only the
rightmost number given grow (`~> 1.2` is `>= 1.2, < 2.0`; `~> 1.2.3` is `>= 1.2.3, < 1.3.0`).
A pre-release version meets only a constraint that names it exactly, as Terraform decides.
"""
from __future__ import annotations

import re
from typing import NamedTuple, Sequence

_VERSION = re.compile(r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")
_CONDITION = re.compile(r"^\s*(=|!=|>=|<=|>|<|~>)?\s*(\S+)\s*$")


class Version(NamedTuple):
    numbers: tuple[int, int, int]
    given: int  # how many numbers were written (for ~>)
    pre: str

    def key(self) -> tuple:
        # A pre-release sorts before its release; pre-releases compare by their dot parts.
        parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in self.pre.split(".")) if self.pre else ()
        return (self.numbers, 0 if self.pre else 1, parts)


class ConstraintError(ValueError):
    """A constraint or version that is not in Terraform's grammar."""


def parse_version(text: str) -> Version:
    match = _VERSION.match(text.strip())
    if not match:
        raise ConstraintError(f"{text!r} is not a version")
    numbers = [int(n) if n is not None else 0 for n in match.group(1, 2, 3)]
    given = sum(1 for n in match.group(1, 2, 3) if n is not None)
    return Version((numbers[0], numbers[1], numbers[2]), given, match.group(4) or "")


def _conditions(constraint: str) -> list[tuple[str, Version]]:
    found = []
    for part in constraint.split(","):
        match = _CONDITION.match(part)
        if not match:
            raise ConstraintError(f"{constraint!r} is not a version constraint")
        found.append((match.group(1) or "=", parse_version(match.group(2))))
    return found


def check_constraint(constraint: str) -> None:
    """Raise ConstraintError when `constraint` is not in the grammar."""
    _conditions(constraint)


def meets(version: str, constraint: str) -> bool:
    """Whether `version` meets every condition of `constraint`."""
    have = parse_version(version)
    conditions = _conditions(constraint)
    if have.pre and not any(op == "=" and want.pre == have.pre and want.numbers == have.numbers
                            for op, want in conditions):
        return False
    return all(_holds(have, op, want) for op, want in conditions)


def _holds(have: Version, op: str, want: Version) -> bool:
    a, b = have.key(), want.key()
    if op == "=":
        return a == b
    if op == "!=":
        return a != b
    if op == ">":
        return a > b
    if op == ">=":
        return a >= b
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    # ~>: at least `want`, below the next step of the number before the rightmost one given.
    if a < b:
        return False
    if want.given <= 1:
        return True  # "~> 1" allows any 1.x and above, as Terraform reads it
    fixed = want.given - 1
    return have.numbers[:fixed] == want.numbers[:fixed]


def newest(versions: Sequence[str], constraint: str | None) -> str | None:
    """The newest of `versions` that meets `constraint` (any non-pre-release when None)."""
    usable = []
    for text in versions:
        try:
            version = parse_version(text)
            if (meets(text, constraint) if constraint else not version.pre):
                usable.append((version.key(), text))
        except ConstraintError:
            continue
    return max(usable)[1] if usable else None
