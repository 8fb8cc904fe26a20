"""Terraform's path functions: Go's path/filepath, where on Linux "/" is the only separator."""
from __future__ import annotations

from typing import Any

from guardrails.terraform.functions.args import need
from guardrails.terraform.functions.args import strict as _strict
from guardrails.terraform.values import EvalError, to_string


def _clean_path(path: str) -> str:
    rooted = path.startswith("/")
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(part)
    cleaned = ("/" if rooted else "") + "/".join(parts)
    return cleaned or "."


@_strict
def basename(path: Any) -> Any:
    path = to_string(path)
    if path == "":
        return "."
    stripped = path.rstrip("/")
    if stripped == "":
        return "/"
    return stripped[stripped.rfind("/") + 1 :]


@_strict
def dirname(path: Any) -> Any:
    path = to_string(path)
    return _clean_path(path[: path.rfind("/") + 1])


@_strict
def pathexpand(path: Any) -> Any:
    text = need(path, str, "pathexpand")
    if text.startswith("~"):
        # The home directory of the machine running Terraform (or an error for ~user): not ours to guess.
        raise EvalError("pathexpand(): a path under ~ depends on the machine running Terraform")
    return text
