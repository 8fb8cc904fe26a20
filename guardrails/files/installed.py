"""A tree whose `.terraform` directories come from the working directory.

`terraform init` installs registry and git modules under `.terraform/modules/` of the directory
it runs in, and git ignores them: a commit or the index never holds them. `diff` reads both sides
of a change from git, so the modules installed on disk are read through this overlay, for both
sides (the loader says so when a side's configuration asks for another version).
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from guardrails.files.trees import Tree

MARKER = ".terraform"


def installed(path: str) -> bool:
    """Whether `path` is inside a `.terraform` directory."""
    return MARKER in path.split("/")


def _module_file(path: str) -> bool:
    """Whether `path` is inside `.terraform/modules/`: installed module code, never the backend
    state or plugins that `.terraform` also holds (`.terraform/terraform.tfstate` can carry a
    backend's credentials, and a module's file() must not put them in a report)."""
    parts = path.split("/")
    return any(a == MARKER and b == "modules" for a, b in zip(parts, parts[1:])) and len(parts) > 2


class WithInstalledModules(Tree):
    """`tree`, with paths inside `.terraform` read from `disk` (the working directory)."""

    def __init__(self, tree: Tree, disk: Tree) -> None:
        self.tree = tree
        self.disk = disk

    def _for(self, path: str) -> Tree:
        return self.disk if installed(path) else self.tree

    @property
    def root(self) -> Path | None:  # type: ignore[override]
        return self.tree.root

    def read(self, path: str) -> bytes:
        return self._for(path).read(path)

    def listdir(self, path: str) -> list[str]:
        return self._for(path).listdir(path)

    def is_dir(self, path: str) -> bool:
        return self._for(path).is_dir(path)

    def is_file(self, path: str) -> bool:
        return self._for(path).is_file(path)

    def listed(self, path: str) -> bool:
        # git ignores installed modules; their own files are theirs to read (file(), templatefile()).
        return _module_file(path) if installed(path) else self.tree.listed(path)

    def leaves_root(self, path: str) -> bool:
        return self._for(path).leaves_root(path)

    def identity(self, path: str) -> str | None:
        return self._for(path).identity(path)

    def files_containing(self, needle: str, globs: Sequence[str]) -> list[str] | None:
        return self.tree.files_containing(needle, globs)

    def lines_matching(self, pattern: str, globs: Sequence[str]) -> list[tuple[str, str]] | None:
        return self.tree.lines_matching(pattern, globs)

    def submodules(self, under: str = "") -> list[str]:
        return self.tree.submodules(under)
