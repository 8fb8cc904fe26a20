"""file(), fileset(), fileexists() and templatefile(): Terraform functions that read the repository.

Module libraries build resources from data files (`for f in fileset(...) : yamldecode(file(f))`)
and render cloud-init with templatefile(); without them whole factories go unknown. They read
only inside the scanned repository, through the same tree as every other file (so a diff reads
the revision it is checking), never follow a path out of it, and are bounded in size and count.

Paths are those Terraform sees when run in the root module's directory: relative paths from
there, `path.module` relative to it, and `path.cwd` written as the root module's directory under
a leading "/" (see terraform.py), which is how an absolute path is recognised as ours.
"""
from __future__ import annotations

import posixpath
from typing import Any, Callable, Mapping

from guardrails.terraform.functions.globs import Glob, GlobError
from guardrails.terraform.evaluate import template_from_text
from guardrails.terraform.scope import Scope
from guardrails.terraform.values import EvalError, first_unknown
from guardrails.core.model import Unknown, is_unknown
from guardrails.files.trees import OutsideRoot, Tree, join

MAX_FILE_BYTES = 4 * 2**20  # a data file or template larger than this is not read
MAX_FILESET_ENTRIES = 10_000  # directory entries a fileset() may visit


def path_values(module_dir: str, root_dir: str, repo_name: str) -> dict[str, str]:
    """`path.module`, `path.root` and `path.cwd` for a module evaluated from a root module."""
    module = posixpath.relpath(module_dir or ".", root_dir or ".")
    cwd = "/" + root_dir if root_dir else "/" + repo_name if repo_name else "/"
    return {"module": module, "root": ".", "cwd": cwd}


def file_functions(tree: Tree, root_dir: str, base: Mapping[str, Callable[..., Any]],
                   repo_name: str = "") -> dict[str, Callable[..., Any]]:
    """The reading functions for modules evaluated from the root module in `root_dir`."""
    cwd = path_values(root_dir, root_dir, repo_name)["cwd"]  # what `path.cwd` says in that scope
    listed = tree.listed  # trees of commits hold only what git does

    def locate(path: Any, function: str) -> str:
        if not isinstance(path, str):
            raise EvalError(f"{function}(): the path must be a string")
        if path.startswith("/"):
            if path != cwd and not path.startswith(cwd.rstrip("/") + "/"):
                raise EvalError(f"{function}(): {path} is outside the repository, not read")
            path = path[len(cwd):]
        try:
            located = join(root_dir, path)
        except OutsideRoot:
            raise EvalError(f"{function}(): {path} is outside the repository, not read") from None
        if ".git" in located.split("/"):
            # The CI's credentials live there (the checkout's auth header, a job token in a URL).
            raise EvalError(f"{function}(): {path} is inside .git, not read")
        return located

    def ours(located: str) -> bool:
        """A file git would commit: an ignored one (a key a CI step wrote) is not the repository's."""
        return tree.is_file(located) and listed(located)

    def read(path: Any, function: str) -> str:
        located = locate(path, function)
        if not ours(located):
            if tree.is_file(located):
                raise EvalError(f"{function}(): {path} is ignored by git (or untracked and ignored), not read")
            raise EvalError(f"{function}(): no file {path}")
        try:
            data = tree.read(located)
        except (OSError, OutsideRoot) as exc:
            raise EvalError(f"{function}(): cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
        if len(data) > MAX_FILE_BYTES:
            raise EvalError(f"{function}(): {path} is larger than {MAX_FILE_BYTES // 2**20} MiB, not read")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise EvalError(f"{function}(): {path} is not valid UTF-8") from None

    def file(path: Any) -> Any:
        unknown = _unknown_or(path)
        return unknown if unknown is not None else read(path, "file")

    def fileexists(path: Any) -> Any:
        unknown = _unknown_or(path)
        if unknown is not None:
            return unknown
        located = locate(path, "fileexists")
        return ours(located)

    def fileset(path: Any, pattern: Any) -> Any:
        unknown = _unknown_or(path, pattern)
        if unknown is not None:
            return unknown
        if not isinstance(pattern, str):
            raise EvalError("fileset(): the pattern must be a string")
        directory = locate(path, "fileset")
        try:
            matcher = Glob(pattern)
        except GlobError as exc:
            raise EvalError(f"fileset(): bad pattern {pattern!r}: {exc}") from None
        found: list[str] = []
        visited = 0
        stack = [""]
        while stack:
            relative = stack.pop()
            current = join(directory, relative) if relative else directory
            if not tree.is_dir(current):
                continue
            for name in tree.listdir(current):
                visited += 1
                if visited > MAX_FILESET_ENTRIES:
                    raise EvalError(f"fileset(): more than {MAX_FILESET_ENTRIES:,} entries under {path}")
                child = f"{relative}/{name}" if relative else name
                full = join(current, name)
                if name == ".git":
                    continue
                if tree.is_dir(full):
                    stack.append(child)
                elif ours(full) and matcher.fullmatch(child):
                    found.append(child)
        return sorted(found)

    def templatefile(path: Any, variables: Any) -> Any:
        unknown = _unknown_or(path)
        if unknown is not None:
            return unknown
        if is_unknown(variables):
            return variables
        if not isinstance(variables, dict):
            raise EvalError("templatefile(): the variables must be a map or an object")
        text = read(path, "templatefile")
        # A template sees only its variables, and may not call templatefile() itself.
        functions = {name: fn for name, fn in base.items() if name != "templatefile"}
        functions.update(file=file, fileexists=fileexists, fileset=fileset)
        return template_from_text(text, Scope(dict(variables), functions))

    return {"file": file, "fileexists": fileexists, "fileset": fileset, "templatefile": templatefile}


def _unknown_or(*values: Any) -> Unknown | None:
    for value in values:
        unknown = first_unknown(value)
        if unknown is not None:
            return unknown
    return None


