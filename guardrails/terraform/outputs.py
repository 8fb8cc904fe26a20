"""A module's outputs, as its caller reads them through `module.<name>.<output>`.

An output is evaluated in its module's scope, where resources read as terraform/resource_view
says (set attributes are values, computed ones references by absolute address), once the
module's body has been evaluated; what it hands the caller holds no view (resource_view.plain).
"""
from __future__ import annotations

from typing import Any

from guardrails.terraform.bodies import in_file
from guardrails.terraform.resource_view import plain
from guardrails.terraform.scope import Scope
from guardrails.terraform.source import Body


def outputs(body: Body, scope: Scope) -> dict[str, Any]:
    """Each output of the module instance `scope` evaluates, by name."""
    found: dict[str, Any] = {}
    for block in body.blocks:
        if block.type == "output" and block.labels and "value" in block.body.attrs:
            found[block.labels[0]] = plain(in_file(block.file, block.body.attrs["value"].expr, scope))
    return found
