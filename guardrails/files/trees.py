"""Which files a run reads, and from where: the disk now, later git trees too.

Loaders see a `Tree`: repository-relative POSIX paths, bytes in. They never touch the file
system themselves, so the same loader reads a working tree, a commit or the index.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Iterable, Sequence

SKIP_DIRS = {".git", ".terraform", "node_modules", ".venv", "__pycache__", ".terragrunt-cache"}
TERRAFORM_SUFFIXES = (".tf", ".tf.json", ".tofu", ".tofu.json")  # OpenTofu reads .tofu too
TFVARS_SUFFIXES = (".tfvars", ".tfvars.json")
MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
# Terraform files that are not a module's configuration: Stacks deploy modules through components
# (the modules are read where they are scanned); tests and queries deploy nothing.
STACKS_SUFFIXES = (".tfcomponent.hcl", ".tfdeploy.hcl", ".tfstack.hcl", ".tfcomponent.json", ".tfdeploy.json")
KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
NOT_DEPLOYED_SUFFIXES = (".tftest.hcl", ".tftest.json", ".tfquery.hcl", ".tfmock.hcl")


class Tree:
    """What loaders read: repository-relative POSIX paths, bytes in.

    A tree implements the four reading methods. The capabilities below have defaults that are
    right for a tree without links, listings or search; a tree that can do better (the disk,
    git's trees) overrides them, so that no caller has to ask what a tree can do.
    """

    root: Path | None = None  # the directory on disk, for a tree that has one

    def read(self, path: str) -> bytes:
        raise NotImplementedError

    def listdir(self, path: str) -> list[str]:
        raise NotImplementedError

    def is_dir(self, path: str) -> bool:
        raise NotImplementedError

    def is_file(self, path: str) -> bool:
        raise NotImplementedError

    def listed(self, path: str) -> bool:
        """Whether the repository holds `path` (what file() and fileset() may read)."""
        return True

    def leaves_root(self, path: str) -> bool:
        """Whether a link on the way to `path` points outside the root (it is never followed)."""
        return False

    def identity(self, path: str) -> str | None:
        """The directory a path really is (links followed), or None in a tree without links."""
        return None

    def files_containing(self, needle: str, globs: Sequence[str]) -> list[str] | None:
        """The files matching `globs` whose text contains `needle`; None: not known, walk and read."""
        return None

    def lines_matching(self, pattern: str, globs: Sequence[str]) -> list[tuple[str, str]] | None:
        """(file, line) for each line matching a POSIX pattern; None: not known, walk and read."""
        return None

    def submodules(self, under: str = "") -> list[str]:
        """Paths of git submodules under `under` (never inspected)."""
        return []


class Delegating(Tree):
    """A tree that forwards everything to `self.tree`; a wrapper overrides only what it changes
    (the capabilities of the tree underneath stay visible)."""

    def __init__(self, tree: Tree) -> None:
        self.tree = tree

    @property
    def root(self) -> Path | None:  # type: ignore[override]
        return self.tree.root

    def read(self, path: str) -> bytes:
        return self.tree.read(path)

    def listdir(self, path: str) -> list[str]:
        return self.tree.listdir(path)

    def is_dir(self, path: str) -> bool:
        return self.tree.is_dir(path)

    def is_file(self, path: str) -> bool:
        return self.tree.is_file(path)

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


class DiskTree(Tree):
    """The working tree under `root`; symlinks leaving the root are not followed."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._prefix = str(self.root).rstrip(os.sep) + os.sep
        self._inside: dict[str, bool] = {}  # path -> stays inside the root once links are followed
        self._git_files: object = _UNREAD  # what git would commit, read on first use

    def _real(self, path: str) -> Path:
        full = (self.root / path) if path not in ("", ".") else self.root
        inside = self._inside.get(path)
        if inside is None:
            # A walk asks is_dir, is_file and read of the same path: resolve each path once.
            resolved = os.path.realpath(full)
            inside = resolved == str(self.root) or resolved.startswith(self._prefix)
            # .git holds the CI's credentials (actions/checkout's auth header, GitLab's job token in
            # the remote URL): nothing in it is ever read, by name or through a link.
            if inside and ".git" in resolved[len(self._prefix):].split(os.sep):
                inside = False
            self._inside[path] = inside
        if not inside:
            raise OutsideRoot(path)
        return full

    def read(self, path: str) -> bytes:
        return self._real(path).read_bytes()

    def listdir(self, path: str) -> list[str]:
        try:
            return sorted(os.listdir(self._real(path)))
        except OutsideRoot:
            return []

    def is_dir(self, path: str) -> bool:
        try:
            return self._real(path).is_dir()
        except OutsideRoot:
            return False

    def is_file(self, path: str) -> bool:
        try:
            return self._real(path).is_file()
        except OutsideRoot:
            return False

    def listed(self, path: str) -> bool:
        """Whether git would commit `path` (tracked, or untracked and not ignored); every path
        when the root is not a git work tree. What the repository's own functions may read
        (file(), fileset()): an ignored file on a CI runner (a key a step wrote) is not theirs."""
        if self._git_files is _UNREAD:
            self._git_files = _git_listing(self.root)
        return self._git_files is None or path in self._git_files  # type: ignore[operator]

    def leaves_root(self, path: str) -> bool:
        """Whether a link on the way to `path` points outside the root (it is never followed)."""
        try:
            self._real(path)
        except OutsideRoot:
            return True
        return False

    def identity(self, path: str) -> str:
        """The directory a path really is, links followed: a walk must not enter it again below itself."""
        return os.path.realpath(self.root / path) if path not in ("", ".") else str(self.root)


_UNREAD = object()


def _git_listing(root: Path) -> set[str] | None:
    """The files git would commit under `root` (a work tree's top), or None without git.

    Plain `git ls-files`, with the fsmonitor hook off (the one thing ls-files could start from
    the repository's config) and no lazy fetch; GitPython is not needed, so `check` stays fast.
    """
    if not (root / ".git").exists():
        return None
    import subprocess

    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "GIT_NO_LAZY_FETCH": "1"}
    try:
        done = subprocess.run(["git", "-c", "core.fsmonitor=false", "ls-files", "-z", "--cached", "--others",
                               "--exclude-standard"], cwd=root, env=env, capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return set()  # a work tree git cannot list: nothing is known to be the repository's
    if done.returncode != 0:
        return set()
    return {name.decode("utf-8", "surrogateescape") for name in done.stdout.split(b"\0") if name}


class OutsideRoot(Exception):
    """A path (or a symlink's target) lies outside the scanned repository."""


def join(base: str, *parts: str) -> str:
    """Join and normalise repository-relative paths ("" is the root); `..` may not leave it."""
    pieces: list[str] = [] if base in ("", ".") else base.split("/")
    for part in parts:
        for piece in part.replace("\\", "/").split("/"):
            if piece in ("", "."):
                continue
            if piece == "..":
                if not pieces:
                    raise OutsideRoot(part)
                pieces.pop()
            else:
                pieces.append(piece)
    return "/".join(pieces)


def parent(path: str) -> str:
    parent_path = str(PurePosixPath(path).parent)
    return "" if parent_path == "." else parent_path


def is_terraform(name: str) -> bool:
    return name.endswith(TERRAFORM_SUFFIXES)


def is_manifest(name: str) -> bool:
    if name == KUSTOMIZATION_NAMES[2]:  # kustomize's third file name, without an extension
        return True
    return name.endswith(MANIFEST_SUFFIXES) and not name.endswith((".tf.json", ".tofu.json", ".tfvars.json"))


@dataclass
class Selection:
    """What a scan covers: Terraform directories and manifest files, repository-relative."""

    terraform_dirs: dict[str, list[str]] = field(default_factory=dict)  # dir -> its .tf files
    manifests: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # paths given that do not exist
    outside: list[str] = field(default_factory=list)  # paths or links leaving the root
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why): links a walk did not follow
    named: set[str] = field(default_factory=set)  # files given by name, not found by a walk


def select(tree: Tree, paths: Iterable[str]) -> Selection:
    """Walk the given paths (files or directories) and sort what they hold by kind."""
    selection = Selection()
    seen: set[str] = set()
    for path in paths:
        if tree.is_dir(path):
            _walk(tree, path, selection, seen)
        elif tree.is_file(path):
            selection.named.add(path)
            _add_file(path, selection, seen, explicit=True)
        elif tree.leaves_root(path):
            selection.outside.append(path)
        else:
            try:
                join(path)
                selection.missing.append(path)
            except OutsideRoot:
                selection.outside.append(path)
    for files in selection.terraform_dirs.values():
        files.sort()
    selection.manifests.sort()
    return selection


def _walk(tree: Tree, directory: str, selection: Selection, seen: set[str]) -> None:
    # A link to a directory above itself (`sub/up -> ..`) would make the walk endless (two make
    # it exponential): each entry carries the real directories above it, and none is entered twice.
    stack: list[tuple[str, frozenset[str]]] = [(directory, frozenset())]
    while stack:
        current, above = stack.pop()
        real = tree.identity(current)
        if real is not None:
            if real in above:
                selection.skipped.append((current, "a symbolic link to a directory that contains it, not followed"))
                continue
            above = above | {real}
        for name in tree.listdir(current):
            path = join(current, name)
            if tree.is_dir(path):
                if name not in SKIP_DIRS and not name.startswith("."):
                    stack.append((path, above))
            elif tree.is_file(path):
                _add_file(path, selection, seen, explicit=False)
            elif not name.startswith(".") and tree.leaves_root(path):
                selection.skipped.append((path, "a symbolic link to outside the repository, not followed"))


def _add_file(path: str, selection: Selection, seen: set[str], explicit: bool) -> None:
    if path in seen:
        return
    seen.add(path)
    name = path.rsplit("/", 1)[-1]
    if name.endswith(STACKS_SUFFIXES):
        selection.skipped.append((path, "a Terraform Stacks file: not read (scan the modules its components use)"))
    elif name.endswith(NOT_DEPLOYED_SUFFIXES):
        if explicit:
            selection.skipped.append((path, "a Terraform test or query file: it deploys nothing, not read"))
    elif is_terraform(name):
        selection.terraform_dirs.setdefault(parent(path), []).append(path)
    elif name.endswith(TFVARS_SUFFIXES):
        # tfvars are read with their directory's configuration, not on their own.
        selection.terraform_dirs.setdefault(parent(path), [])
    elif is_manifest(name) and not name.startswith("."):
        selection.manifests.append(path)
    elif explicit:
        selection.manifests.append(path)
