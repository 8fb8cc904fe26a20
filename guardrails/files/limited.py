"""A tree that refuses files over the size limits, so that no parser sees a byte of them."""
from __future__ import annotations

import os

from guardrails.core.limits import Limits
from guardrails.files.trees import Delegating, DiskTree, Tree


class TooLarge(OSError):
    """A file over a size limit; `str()` says which limit and the setting that raises it."""


class LimitedTree(Delegating):
    """A tree that refuses to read files over the size limits, for loaders that read their own.

    The refusal is a `TooLarge` OSError, which loaders report as a file they cannot read.
    """

    def __init__(self, tree: Tree, limits: Limits) -> None:
        super().__init__(tree)
        self.limits = limits

    def read(self, path: str) -> bytes:
        problem = self.limits.size_problem(path, size_on_disk(self.tree, path))
        if problem is None:
            data = self.tree.read(path)
            problem = self.limits.size_problem(path, len(data))
            if problem is None:
                return data
        raise TooLarge(problem)


def size_on_disk(tree: Tree, path: str) -> int:
    """The size of a working-tree file without reading it (0 when unknown: read, then judged)."""
    if not isinstance(tree, DiskTree):
        return 0
    try:
        return os.stat(tree.root / path).st_size
    except (OSError, ValueError):
        return 0
