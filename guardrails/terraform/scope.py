"""The names a Terraform expression can see, and the functions it may call."""
from __future__ import annotations

from typing import Any, Callable, Mapping

from guardrails.terraform.functions.table import FUNCTIONS


class Scope:
    """The names an expression can see. `names` maps a root name to its value or a Lazy."""

    def __init__(self, names: Mapping[str, Any], functions: Mapping[str, Callable[..., Any]] | None = None) -> None:
        self.names = dict(names)
        if functions is None:
            functions = FUNCTIONS
        self.functions = functions

    def child(self, extra: Mapping[str, Any]) -> "Scope":
        scope = Scope(self.names, self.functions)
        scope.names.update(extra)
        return scope
