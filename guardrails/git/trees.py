"""The trees a comparison reads: a commit's, the index's and the working tree's.

Each is a `files.trees.Tree`, so the loaders read a revision exactly as they read the disk.
Commit and index trees come from the object database and show regular files and directories;
symbolic links and submodules are listed but are neither (never followed). The working tree
follows the same rules and shows what git would commit: tracked files plus untracked ones that
are not ignored. Searches (`files_containing`, `lines_matching`) run `git grep`, in C.
"""
from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Sequence

from guardrails.files.trees import DiskTree, OutsideRoot, Tree, join
from guardrails.git.plumbing import (
    DIR_MODE,
    FILE,
    GITLINK,
    LINK,
    TREE,
    RevisionError,
    decode,
    gitpython,
    index_entries,
    run_git,
    untracked,
    working_dir,
)

if TYPE_CHECKING:
    import git

Entry = tuple[int, bytes]  # (mode, binary object id)


class _ObjectTree(Tree):
    """A tree of git objects: directories map names to (mode, object id)."""

    def __init__(self, repo: git.Repo) -> None:
        self._repo = repo

    def _directory(self, path: str) -> dict[str, Entry] | None:
        raise NotImplementedError

    def _entry(self, path: str) -> Entry | None:
        if path == "":
            return (DIR_MODE, b"")
        head, _, name = path.rpartition("/")
        directory = self._directory(head)
        return None if directory is None else directory.get(name)

    def _kind(self, path: str) -> int | None:
        try:
            entry = self._entry(join("", path))
        except OutsideRoot:
            return None
        return None if entry is None else entry[0] >> 12

    def is_dir(self, path: str) -> bool:
        return self._kind(path) == TREE

    def is_file(self, path: str) -> bool:
        return self._kind(path) == FILE

    def listdir(self, path: str) -> list[str]:
        try:
            norm = join("", path)
        except OutsideRoot:
            return []
        directory = self._directory(norm)
        if directory is None:
            code = errno.ENOTDIR if self._entry(norm) else errno.ENOENT
            raise OSError(code, os.strerror(code), path)
        return sorted(directory)

    def read(self, path: str) -> bytes:
        entry = self._entry(join("", path))
        if entry is None or entry[0] >> 12 in (LINK, GITLINK):
            # Links and submodules are not followed: to a reader they are not there.
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), path)
        if entry[0] >> 12 == TREE:
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
        return self._object(entry[1], path)

    def _object(self, binsha: bytes, path: str) -> bytes:
        try:
            return self._repo.odb.stream(binsha).read()
        except ValueError:
            # A partial clone lacks blobs until fetched, and we never fetch.
            raise OSError(
                errno.ENOENT, f"object {binsha.hex()} is not in the repository (partial clone?)",
                path,
            ) from None


class CommitTree(_ObjectTree):
    """A commit's tree; each directory's tree object is read once, when first asked for."""

    def __init__(self, repo: git.Repo, commit: str) -> None:
        super().__init__(repo)
        self.commit = commit
        self._root = repo.commit(commit).tree.binsha
        self._dirs: dict[str, dict[str, Entry] | None] = {}
        self._submodules: list[str] | None = None

    def _directory(self, path: str) -> dict[str, Entry] | None:
        if path in self._dirs:
            return self._dirs[path]
        listing: dict[str, Entry] | None = None
        if path == "":
            listing = self._load(self._root)
        else:
            entry = self._entry(path)
            if entry is not None and entry[0] >> 12 == TREE:
                listing = self._load(entry[1])
        self._dirs[path] = listing
        return listing

    def _load(self, binsha: bytes) -> dict[str, Entry]:
        from git.objects.fun import tree_entries_from_data

        data = self._object(binsha, "")
        return {name: (mode, sha) for sha, mode, name in tree_entries_from_data(data)}

    def files_containing(self, needle: str, globs: Sequence[str]) -> list[str]:
        """Files matching `globs` whose text contains `needle`, found by git in C."""
        return [_strip(path, self.commit) for path in _grep(self._repo, [self.commit], needle, globs)]

    def lines_matching(self, pattern: str, globs: Sequence[str]) -> list[tuple[str, str]]:
        """(path, line) of the lines matching an extended regular expression."""
        return [(_strip(path, self.commit), line) for path, line in _grep_lines(self._repo, [self.commit], pattern, globs)]

    def submodules(self, under: str = "") -> list[str]:
        """Paths of the submodules (gitlinks) in this tree, at or below `under`."""
        if self._submodules is None:
            out = run_git(self._repo, "ls-tree", "-r", "-z", "--full-tree", self.commit)
            self._submodules = sorted(
                decode(record.split(b"\t", 1)[1])
                for record in out.split(b"\0")
                if record.startswith(b"160000 ")
            )
        return _below(self._submodules, under)


class IndexTree(_ObjectTree):
    """The index (what `git commit` would record): stage-0 entries, read from `git ls-files`."""

    def __init__(self, repo: git.Repo) -> None:
        super().__init__(repo)
        self._dirs: dict[str, dict[str, Entry]] | None = None
        self._submodules: list[str] = []

    def _directory(self, path: str) -> dict[str, Entry] | None:
        if self._dirs is None:
            self._dirs = self._build()
        return self._dirs.get(path)

    def _build(self) -> dict[str, dict[str, Entry]]:
        dirs: dict[str, dict[str, Entry]] = {"": {}}
        for mode, sha, stage, path in index_entries(self._repo):
            if stage != 0:
                continue  # conflicted paths have no single content
            parts = path.split("/")
            for depth in range(len(parts) - 1):
                dirs["/".join(parts[:depth])][parts[depth]] = (DIR_MODE, b"")
                dirs.setdefault("/".join(parts[: depth + 1]), {})
            dirs["/".join(parts[:-1])][parts[-1]] = (mode, bytes.fromhex(sha))
            if mode >> 12 == GITLINK:
                self._submodules.append(path)
        return dirs

    def files_containing(self, needle: str, globs: Sequence[str]) -> list[str]:
        """Files of the index matching `globs` whose staged text contains `needle`."""
        return _grep(self._repo, ["--cached"], needle, globs)

    def lines_matching(self, pattern: str, globs: Sequence[str]) -> list[tuple[str, str]]:
        return _grep_lines(self._repo, ["--cached"], pattern, globs)

    def submodules(self, under: str = "") -> list[str]:
        """Paths of the submodules (gitlinks) in the index, at or below `under`."""
        self._directory("")
        return _below(sorted(self._submodules), under)


class WorkingTree(DiskTree):
    """The disk, seen as git would commit it.

    Files are the tracked ones still on disk plus untracked ones that are not ignored; symbolic
    links and submodules are neither files nor directories, as in commit trees, so both sides
    of a diff read the same kind of tree.
    """

    def __init__(self, repo: git.Repo) -> None:
        super().__init__(working_dir(repo))
        self._repo = repo
        self._known: _Known | None = None

    def _listing(self) -> _Known:
        if self._known is None:
            known = _Known()
            for mode, _, stage, path in index_entries(self._repo):
                if mode >> 12 == GITLINK:
                    if stage == 0:
                        known.submodules.append(path)
                else:
                    known.files.add(path)
            known.files.update(untracked(self._repo))
            for path in known.files:
                while "/" in path:
                    path = path.rsplit("/", 1)[0]
                    if path in known.dirs:
                        break
                    known.dirs.add(path)
            known.submodules.sort()
            self._known = known
        return self._known

    def _plain(self, path: str, is_kind: Callable[[int], bool]) -> bool:
        # No symbolic link anywhere on the way: the real path is the path.
        full = os.path.join(self.root, path) if path else str(self.root)
        try:
            return os.path.realpath(full) == full and is_kind(os.lstat(full).st_mode)
        except OSError:
            return False

    def is_file(self, path: str) -> bool:
        try:
            norm = join("", path)
        except OutsideRoot:
            return False
        return norm in self._listing().files and self._plain(norm, stat.S_ISREG)

    def is_dir(self, path: str) -> bool:
        try:
            norm = join("", path)
        except OutsideRoot:
            return False
        return norm in self._listing().dirs and self._plain(norm, stat.S_ISDIR)

    def listdir(self, path: str) -> list[str]:
        try:
            norm = join("", path)
        except OutsideRoot:
            return []
        if not self.is_dir(norm):
            code = errno.ENOTDIR if self.is_file(norm) else errno.ENOENT
            raise OSError(code, os.strerror(code), path)
        known = self._listing()
        return [
            name
            for name in super().listdir(norm)
            if (child := join(norm, name)) in known.files
            or child in known.dirs
            or child in known.submodules
        ]

    def read(self, path: str) -> bytes:
        if not self.is_file(path):
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), path)
        return super().read(join("", path))

    def listed(self, path: str) -> bool:
        return True  # is_file already admits only what git would commit

    def files_containing(self, needle: str, globs: Sequence[str]) -> list[str]:
        """Files git would commit, matching `globs`, whose text on disk contains `needle`."""
        return [p for p in _grep(self._repo, ["--untracked"], needle, globs) if self.is_file(p)]

    def lines_matching(self, pattern: str, globs: Sequence[str]) -> list[tuple[str, str]]:
        return [(p, line) for p, line in _grep_lines(self._repo, ["--untracked"], pattern, globs) if self.is_file(p)]

    def submodules(self, under: str = "") -> list[str]:
        """Paths of the submodules registered in the index, at or below `under`."""
        return _below(self._listing().submodules, under)


@dataclass
class _Known:
    files: set[str] = field(default_factory=set)
    dirs: set[str] = field(default_factory=lambda: {""})
    submodules: list[str] = field(default_factory=list)


def _grep(repo: git.Repo, where: Sequence[str], needle: str, globs: Sequence[str]) -> list[str]:
    """`git grep -l` for a fixed string; no match is an empty list, not an error."""
    out = _grep_raw(repo, ["-l", "-F", "-e", needle, *where], globs)
    return sorted(decode(path) for path in out.split(b"\0") if path)


def _strip(path: str, commit: str) -> str:
    # git grep names blobs of a commit `<commit>:<path>`.
    return path[len(commit) + 1:] if path.startswith(commit + ":") else path


def _grep_lines(repo: git.Repo, where: Sequence[str], pattern: str, globs: Sequence[str]) -> list[tuple[str, str]]:
    """(path, line) for every line matching the extended regular expression `pattern`."""
    out = _grep_raw(repo, ["-E", "-e", pattern, *where], globs)
    found = []
    for record in out.split(b"\n"):
        if b"\0" in record:
            path, line = record.split(b"\0", 1)
            found.append((decode(path), decode(line)))
    return found


def _grep_raw(repo: git.Repo, args: Sequence[str], globs: Sequence[str]) -> bytes:
    git = gitpython()
    try:
        return run_git(repo, "grep", "-z", "-I", "--full-name", *args, "--", *globs)
    except git.GitCommandError as error:
        if error.status == 1:
            return b""  # no match
        raise RevisionError(f"git grep failed: {decode(error.stderr or b'').strip() or error}") from None


def _below(paths: list[str], under: str) -> list[str]:
    under = join("", under)
    if not under:
        return list(paths)
    return [p for p in paths if p == under or p.startswith(under + "/")]
