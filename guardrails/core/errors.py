"""Errors meant for the user; the CLI maps them to exit codes."""
from __future__ import annotations

from typing import Any, Sequence


class UsageError(Exception):
    """Bad arguments or inputs the user must fix: exit 2, one line, no traceback."""


class InputProblems(Exception):
    """A file the run depends on (a policy, a usage file) cannot be used: exit 2, one line a problem.

    `problems` are InputErrors, each with its file and line.
    """

    def __init__(self, problems: Sequence[Any]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(f"{p.file}:{p.line}: {p.message}" for p in self.problems))
