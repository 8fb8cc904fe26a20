"""A tree that refuses files over the size limits, so that no parser sees a byte of them."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from guardrails.core.limits import Limits
from guardrails.files.trees import DiskTree, Tree


class TooLarge(OSError):
    """A file over a size limit; `str()` says which limit and the setting that raises it."""


class LimitedTree(Tree):
    """A tree that refuses to read files over the size limits, for loaders that read their own.

    The refusal is a `TooLarge` OSError, which loaders report as a file they cannot read.
    """

    def __init__(self, tree: Tree, limits: Limits) -> None:
        self.tree = tree
        self.limits = limits

    def read(self, path: str) -> bytes:
        problem = self.limits.size_problem(path, size_on_disk(self.tree, path))
        if problem is None:
            data = self.tree.read(path)
            problem = self.limits.size_problem(path, len(data))
            if problem is None:
                return data
        raise TooLarge(problem)

    def listdir(self, path: str) -> list[str]:
        return self.tree.listdir(path)

    def is_dir(self, path: str) -> bool:
        return self.tree.is_dir(path)

    def is_file(self, path: str) -> bool:
        return self.tree.is_file(path)

    # The capabilities of the tree underneath stay visible.
    @property
    def root(self) -> Path | None:  # type: ignore[override]
        return self.tree.root

    def listed(self, path: str) -> bool:
        return self.tree.listed(path)

    def leaves_root(self, path: str) -> bool:
        return self.tree.leaves_root(path)

    def identity(self, path: str) -> str | None:
        return self.tree.identity(path)

    def files_containing(self, needle: str, globs: Sequence[str]) -> list[str] | None:
        return self.tree.files_containing(needle, globs)

    def lines_matching(self, pattern: str, globs: Sequence[str]) -> list[tuple[str, str]] | None:
        return self.tree.lines_matching(pattern, globs)

    def submodules(self, under: str = "") -> list[str]:
        return self.tree.submodules(under)


def size_on_disk(tree: Tree, path: str) -> int:
    """The size of a working-tree file without reading it (0 when unknown: read, then judged)."""
    if not isinstance(tree, DiskTree):
        return 0
    try:
        return os.stat(tree.root / path).st_size
    except (OSError, ValueError):
        return 0
