"""The names a Terraform expression can see, and the functions it may call."""
from __future__ import annotations

from typing import Any, Callable, Mapping

from guardrails.terraform.functions.table import FUNCTIONS


class Scope:
    """The names an expression can see. `names` maps a root name to its value or a Lazy.

    `module` is the address of the module the expression is in ("module.asg[0]", "" at the root):
    a reference left unresolved names its resource by absolute address, so that a value passed
    into or out of a module still says whose resource it is.
    """

    def __init__(self, names: Mapping[str, Any], functions: Mapping[str, Callable[..., Any]] | None = None,
                 module: str = "") -> None:
        self.names = dict(names)
        if functions is None:
            functions = FUNCTIONS
        self.functions = functions
        self.module = module

    def child(self, extra: Mapping[str, Any]) -> "Scope":
        scope = Scope(self.names, self.functions, self.module)
        scope.names.update(extra)
        return scope
