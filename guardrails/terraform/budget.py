"""How much work evaluating one root module may do: one budget for every expression in it.

A pull request writes the expressions we evaluate. Nested `for` expressions over `range(1024)`,
forty locals each doubling the last, or a join over a thousand reads of a large file are each a
line or two, and would hold a CI job for hours or take its memory. Every evaluation step, every
character of a string built, every element of a collection built and every byte a file function
reads is charged here; the first charge past a bound ends the evaluation of that root module with
an input error at the file and line of the expression that ran out, and what remains of the
module is unknown rather than guessed. Real configurations use a small fraction of each bound
(the largest module library we know evaluates in under 200,000 steps).

Numbers are bounded by what Terraform itself computes with: 512-bit values. An integer past
that is not a budget matter but a value we cannot compute exactly, so it is unknown.
"""
from __future__ import annotations

from typing import Any

MAX_STEPS = 3_000_000  # expression nodes evaluated per root module
MAX_CHARS = 64 * 2**20  # characters of strings built (templates, functions, file reads) per root module
MAX_STRING = 16 * 2**20  # characters of one string
MAX_ITEMS = 2_000_000  # elements of collections built per root module
MAX_BITS = 512  # Terraform's number precision


class EvalLimit(Exception):
    """A bound of the budget was passed; raised as the evaluation error of the expression."""


class Budget:
    __slots__ = ("steps", "chars", "items", "file", "exhausted", "refused")

    def __init__(self) -> None:
        self.steps = MAX_STEPS
        self.chars = MAX_CHARS
        self.items = MAX_ITEMS
        self.file = ""  # the file whose expression is being evaluated, for the error
        self.exhausted: tuple[str, int, str] | None = None  # (file, line, message) of the first failure
        self.refused: list[tuple[str, int, str]] = []  # values past a bound, the rest evaluated on

    def refuse(self, line: int, message: str) -> None:
        """A value we cannot compute (a number past 512 bits): reported, and the evaluation goes on."""
        if len(self.refused) < 100:
            self.refused.append((self.file, line, message))

    def fail(self, line: int, message: str) -> None:
        if self.exhausted is None:
            self.exhausted = (self.file, line, message)
        # Everything after the first failure fails at its first step, so the rest is quick.
        self.steps = -1
        raise EvalLimit(message)

    def charge_value(self, value: Any, line: int) -> None:
        """Charge a value just built: a string by its length, a collection by its elements."""
        if isinstance(value, str):
            size = len(value)
            if size > MAX_STRING:
                self.fail(line, f"a string of {size:,} characters is longer than the {MAX_STRING:,} guardrails builds")
            self.chars -= size
            if self.chars < 0:
                self.fail(line, f"the expressions of this module build more than {MAX_CHARS:,} characters of strings")
        elif isinstance(value, (list, dict)):
            self.items -= len(value)
            if self.items < 0:
                self.fail(line, f"the expressions of this module build more than {MAX_ITEMS:,} collection elements")

    def at(self, file: str) -> "_At":
        return _At(self, file)


class _At:
    """Within: expressions are those of `file` (a local defined in another file restores it after)."""

    __slots__ = ("budget", "file", "previous")

    def __init__(self, budget: Budget, file: str) -> None:
        self.budget, self.file, self.previous = budget, file, ""

    def __enter__(self) -> Budget:
        self.previous, self.budget.file = self.budget.file, self.file
        return self.budget

    def __exit__(self, *exc: object) -> None:
        self.budget.file = self.previous


_current = Budget()


def current() -> Budget:
    return _current


def start() -> Budget:
    """A fresh budget for the next root module (or tfvars file), made the current one."""
    global _current
    _current = Budget()
    return _current
