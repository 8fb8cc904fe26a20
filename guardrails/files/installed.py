"""Where installed modules are read: `.terraform` of the working directory, or the cache.

`terraform init` installs registry and git modules under `.terraform/modules/` of the directory
it runs in, and git ignores them: a commit or the index never holds them. `diff` reads both sides
of a change from git, so the modules installed on disk are read through this overlay, for both
sides (the loader says so when a side's configuration asks for another version).

`guardrails modules fetch` never writes into the repository: it installs into the cache, in the
same layout (`<root>/.terraform/modules/modules.json` and the module directories) under a
directory of its own for each checkout. A root where `terraform init` ran is read from the
working directory; any other from what `modules fetch` installed.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from guardrails.files.cache import cache_dir
from guardrails.files.trees import Delegating, DiskTree, Tree

MARKER = ".terraform"
# Where `modules fetch` keeps each package once, in a checkout's directory of the cache; the
# manifests of its roots point there.
STORE = ".terraform/guardrails-packages"


def installed(path: str) -> bool:
    """Whether `path` is inside a `.terraform` directory."""
    return MARKER in path.split("/")


def _module_file(path: str) -> bool:
    """Whether `path` is inside `.terraform/modules/`: installed module code, never the backend
    state or plugins that `.terraform` also holds (`.terraform/terraform.tfstate` can carry a
    backend's credentials, and a module's file() must not put them in a report)."""
    parts = path.split("/")
    packages = STORE.split("/")[1]
    return any(a == MARKER and b in ("modules", packages) for a, b in zip(parts, parts[1:])) and len(parts) > 2


class _Routed(Tree):
    """Reads each path from the tree `_for(path)` chooses."""

    def _for(self, path: str) -> Tree:
        raise NotImplementedError

    def read(self, path: str) -> bytes:
        return self._for(path).read(path)

    def listdir(self, path: str) -> list[str]:
        return self._for(path).listdir(path)

    def is_dir(self, path: str) -> bool:
        return self._for(path).is_dir(path)

    def is_file(self, path: str) -> bool:
        return self._for(path).is_file(path)

    def leaves_root(self, path: str) -> bool:
        return self._for(path).leaves_root(path)

    def identity(self, path: str) -> str | None:
        return self._for(path).identity(path)


class WithInstalledModules(_Routed, Delegating):
    """`tree`, with paths inside `.terraform` read from `disk` (the working directory)."""

    def __init__(self, tree: Tree, disk: Tree) -> None:
        super().__init__(tree)
        self.disk = disk

    def _for(self, path: str) -> Tree:
        return self.disk if installed(path) else self.tree

    def listed(self, path: str) -> bool:
        # git ignores installed modules; their own files are theirs to read (file(), templatefile()).
        return _module_file(path) if installed(path) else self.tree.listed(path)


def fetched_modules(repository: Path) -> Path | None:
    """The directory `modules fetch` installs the modules of the checkout at `repository` into;
    None without a cache."""
    base = cache_dir()
    if base is None:
        return None
    key = hashlib.sha256(str(repository.resolve()).encode("utf-8")).hexdigest()[:24]
    return base / "modules" / "checkouts" / key


class Installed(_Routed):
    """The `.terraform` directories of `disk` (the working directory) where `terraform init` ran,
    else those `modules fetch` installed under `fetched`."""

    def __init__(self, disk: Tree, fetched: Path | None) -> None:
        self.disk = disk
        self.fetched = DiskTree(fetched) if fetched is not None and fetched.is_dir() else None
        self._choice: dict[str, Tree] = {}

    def _for(self, path: str) -> Tree:
        if path.startswith(STORE + "/") and self.fetched is not None:
            return self.fetched
        parts = path.split("/")
        root = "/".join(parts[:parts.index(MARKER)]) if MARKER in parts else ""
        if root not in self._choice:
            manifest = f"{root}/{MARKER}/modules/modules.json" if root else f"{MARKER}/modules/modules.json"
            initialised = self.disk.is_file(manifest)
            self._choice[root] = self.disk if initialised or self.fetched is None else self.fetched
        return self._choice[root]


def installed_modules(repository: Path) -> Tree:
    """Where the checkout at `repository` has its installed modules read from."""
    return Installed(DiskTree(repository), fetched_modules(repository))
