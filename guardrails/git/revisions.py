"""Git revisions as `guardrails diff` inputs: which commits, their trees, what changed.

Everything comes from git objects, the index file and the disk; nothing in the repository (index,
refs, objects, working tree) is ever written. Git runs with GIT_OPTIONAL_LOCKS=0 and only
plumbing (rev-parse, merge-base, diff-tree, diff-index, ls-files, ls-tree) is used: porcelain
`git diff` rewrites a stat-dirty index even with optional locks off.

Commit and index trees show regular files and directories; symbolic links and submodules are
listed but are neither (never followed). The working tree follows the same rules and shows what
git would commit: tracked files plus untracked ones that are not ignored.
"""
from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Sequence

from guardrails.core.errors import UsageError
from guardrails.files.trees import DiskTree, OutsideRoot, join

if TYPE_CHECKING:
    import git

# Optional locks off: no command refreshes and rewrites the index. No lazy fetch: a partial
# clone must not reach the network or write objects (honoured by git 2.44 and later).
GIT_ENV = {"GIT_OPTIONAL_LOCKS": "0", "GIT_NO_LAZY_FETCH": "1"}
# An fsmonitor daemon would write its cookies into .git.
_GIT_CONFIG = ("-c", "core.fsmonitor=false")

_TREE, _FILE, _LINK, _GITLINK = 0o04, 0o10, 0o12, 0o16  # mode >> 12
_DIR_MODE = 0o040000
_SHALLOW_FIX = (
    "GitHub's actions/checkout fetches one commit by default: set `fetch-depth: 0`; "
    "or run `git fetch --unshallow`, or fetch the base branch"
)

Entry = tuple[int, bytes]  # (mode, binary object id)


class RevisionError(UsageError):
    """A revision or repository that cannot be compared; the message is one line for the user."""


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a commit, the index or the working tree."""

    label: str  # "main (3f2a1c9)", "index", "working tree"
    kind: Literal["commit", "index", "worktree"]
    commit: str | None = None  # full object id when kind == "commit"


@dataclass(frozen=True)
class Change:
    path: str
    old_path: str | None  # set for renames only
    status: str  # "A" added, "M" modified, "D" deleted, "R" renamed, "T" type change


def open_repo(path: Path) -> git.Repo:
    """The repository holding `path` (searching parent directories), ready for read-only use."""
    git = _gitpython()
    start = path if path.is_dir() else path.parent
    try:
        repo = git.Repo(start, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise RevisionError(
            f"{path} is not in a git repository: guardrails diff compares git revisions "
            "(use guardrails check for plain files)"
        ) from None
    repo.git.update_environment(**GIT_ENV)  # also for GitPython's own cat-file processes
    return repo


def is_shallow(repo: git.Repo) -> bool:
    return _git(repo, "rev-parse", "--is-shallow-repository").strip() == b"true"


def resolve_sides(
    repo: git.Repo, base: str, head: str | None, staged: bool
) -> tuple[Side, Side]:
    """The merge base of `base` and the head commit, and the head: a commit, index or disk."""
    if head is not None and staged:
        raise RevisionError("--head and --staged cannot be used together")
    base_commit = _resolve(repo, base)
    if head is not None:
        head_commit = _resolve(repo, head)
        head_side = Side(f"{head} ({head_commit[:7]})", "commit", head_commit)
    else:
        head_commit = _resolve(repo, "HEAD")
        if staged:
            _refuse_conflicts(repo)
            head_side = Side("index", "index")
        else:
            _working_dir(repo)
            head_side = Side("working tree", "worktree")
    merge_base = _merge_base(repo, base_commit, head_commit)
    if merge_base is None:
        head_name = head if head is not None else "HEAD"
        if is_shallow(repo):
            raise RevisionError(
                f"{base} and {head_name} have no common ancestor in this shallow clone: "
                f"the history joining them was not fetched ({_SHALLOW_FIX})"
            )
        raise RevisionError(f"{base} and {head_name} have no common ancestor")
    return Side(f"{base} ({merge_base[:7]})", "commit", merge_base), head_side


def tree_of(repo: git.Repo, side: Side) -> CommitTree | IndexTree | WorkingTree:
    """A `workspace.Tree` over one side; commit and index trees read the object database."""
    if side.kind == "commit":
        assert side.commit is not None
        return CommitTree(repo, side.commit)
    if side.kind == "index":
        return IndexTree(repo)
    return WorkingTree(repo)


def changed_files(repo: git.Repo, base: Side, head: Side) -> list[Change]:
    """Files that differ between a base commit and the head, renames detected, sorted by path."""
    if base.kind != "commit" or base.commit is None:
        raise ValueError("the base side of a comparison is a commit")
    options = ("-z", "--raw", "--no-abbrev", "-M")
    if head.kind == "commit":
        assert head.commit is not None
        out = _git(repo, "diff-tree", "-r", *options, base.commit, head.commit)
    elif head.kind == "index":
        out = _git(repo, "diff-index", "--cached", *options, base.commit)
    else:
        # Submodules count by the commit they point at, not by edits inside them.
        out = _git(repo, "diff-index", "--ignore-submodules=dirty", *options, base.commit)
    records = _parse_raw(out)
    if head.kind == "worktree":
        root = _working_dir(repo)
        records = [r for r in records if not _stat_only(root, r)]
        records = _add_untracked(repo, root, records)
    return sorted(
        (_change(r) for r in records), key=lambda c: (c.path, c.old_path or "")
    )


class _ObjectTree:
    """A tree of git objects: directories map names to (mode, object id)."""

    def __init__(self, repo: git.Repo) -> None:
        self._repo = repo

    def _directory(self, path: str) -> dict[str, Entry] | None:
        raise NotImplementedError

    def _entry(self, path: str) -> Entry | None:
        if path == "":
            return (_DIR_MODE, b"")
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
        return self._kind(path) == _TREE

    def is_file(self, path: str) -> bool:
        return self._kind(path) == _FILE

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
        if entry is None or entry[0] >> 12 in (_LINK, _GITLINK):
            # Links and submodules are not followed: to a reader they are not there.
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), path)
        if entry[0] >> 12 == _TREE:
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
            if entry is not None and entry[0] >> 12 == _TREE:
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
            out = _git(self._repo, "ls-tree", "-r", "-z", "--full-tree", self.commit)
            self._submodules = sorted(
                _decode(record.split(b"\t", 1)[1])
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
        for mode, sha, stage, path in _index_entries(self._repo):
            if stage != 0:
                continue  # conflicted paths have no single content
            parts = path.split("/")
            for depth in range(len(parts) - 1):
                dirs["/".join(parts[:depth])][parts[depth]] = (_DIR_MODE, b"")
                dirs.setdefault("/".join(parts[: depth + 1]), {})
            dirs["/".join(parts[:-1])][parts[-1]] = (mode, bytes.fromhex(sha))
            if mode >> 12 == _GITLINK:
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
        super().__init__(_working_dir(repo))
        self._repo = repo
        self._known: _Known | None = None

    def _listing(self) -> _Known:
        if self._known is None:
            known = _Known()
            for mode, _, stage, path in _index_entries(self._repo):
                if mode >> 12 == _GITLINK:
                    if stage == 0:
                        known.submodules.append(path)
                else:
                    known.files.add(path)
            known.files.update(_untracked(self._repo))
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


@dataclass(frozen=True)
class _Raw:
    """One record of `git diff-* --raw`."""

    src_mode: int
    dst_mode: int
    src_sha: str
    dst_sha: str
    status: str
    path: str
    old_path: str | None = None


def _gitpython():  # type: ignore[no-untyped-def]
    # Imported on use: GitPython costs start-up time every other command would pay.
    try:
        import git
    except ImportError as error:
        raise RevisionError(f"guardrails diff needs git and GitPython: {error}") from None
    return git


def _grep(repo: git.Repo, where: Sequence[str], needle: str, globs: Sequence[str]) -> list[str]:
    """`git grep -l` for a fixed string; no match is an empty list, not an error."""
    out = _grep_raw(repo, ["-l", "-F", "-e", needle, *where], globs)
    return sorted(_decode(path) for path in out.split(b"\0") if path)


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
            found.append((_decode(path), _decode(line)))
    return found


def _grep_raw(repo: git.Repo, args: Sequence[str], globs: Sequence[str]) -> bytes:
    git = _gitpython()
    try:
        return _git(repo, "grep", "-z", "-I", "--full-name", *args, "--", *globs)
    except git.GitCommandError as error:
        if error.status == 1:
            return b""  # no match
        raise RevisionError(f"git grep failed: {_decode(error.stderr or b'').strip() or error}") from None


def _git(repo: git.Repo, *args: str) -> bytes:
    command = [repo.git.GIT_PYTHON_GIT_EXECUTABLE, *_GIT_CONFIG, *args]
    return repo.git.execute(  # type: ignore[no-any-return]
        command, env=GIT_ENV, stdout_as_string=False, strip_newline_in_stdout=False
    )


def _working_dir(repo: git.Repo) -> Path:
    if repo.working_tree_dir is None:
        raise RevisionError(
            f"{repo.git_dir} is a bare repository: it has no working tree, "
            "compare with a commit (--head REF) or the index (--staged)"
        )
    return Path(repo.working_tree_dir)


def _decode(raw: bytes) -> str:
    # As GitPython decodes names in tree objects, so paths from both sources compare equal.
    return raw.decode("utf-8", "surrogateescape")


def _resolve(repo: git.Repo, ref: str) -> str:
    git = _gitpython()
    try:
        out = _git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}")
        return out.decode().strip()
    except git.GitCommandError:
        pass
    unborn = _unborn_branch(repo)
    if unborn is not None and ref in ("HEAD", "@", unborn):
        raise RevisionError(
            f"branch '{unborn}' has no commits yet: there is nothing to compare; "
            "commit first, or check out a branch that has commits"
        )
    try:
        _git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", ref)
    except git.GitCommandError:
        hint = ""
        if is_shallow(repo):
            hint = f" in this shallow clone: fetch it ({_SHALLOW_FIX})"
        raise RevisionError(f"unknown revision '{ref}'{hint}") from None
    raise RevisionError(f"'{ref}' does not name a commit")


def _unborn_branch(repo: git.Repo) -> str | None:
    """The branch HEAD names when it has no commit yet, else None."""
    git = _gitpython()
    try:
        _git(repo, "rev-parse", "--verify", "--quiet", "HEAD")
        return None
    except git.GitCommandError:
        pass
    try:
        return _git(repo, "symbolic-ref", "--short", "-q", "HEAD").decode().strip() or None
    except git.GitCommandError:
        return None


def _merge_base(repo: git.Repo, one: str, other: str) -> str | None:
    git = _gitpython()
    try:
        return _git(repo, "merge-base", one, other).decode().strip()
    except git.GitCommandError as error:
        if error.status == 1:  # no common ancestor
            return None
        raise


def _refuse_conflicts(repo: git.Repo) -> None:
    out = _git(repo, "ls-files", "-z", "--unmerged")
    paths = sorted({_decode(r.split(b"\t", 1)[1]) for r in out.split(b"\0") if b"\t" in r})
    if paths:
        shown = ", ".join(paths[:3]) + (", ..." if len(paths) > 3 else "")
        raise RevisionError(
            f"the index has unresolved merge conflicts ({shown}): resolve them, "
            "or compare the working tree (leave out --staged)"
        )


def _index_entries(repo: git.Repo) -> list[tuple[int, str, int, str]]:
    """(mode, object id, stage, path) of every index entry, via `git ls-files --stage`."""
    entries = []
    for record in _git(repo, "ls-files", "-z", "--stage").split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        mode, sha, stage = meta.decode().split(" ")
        entries.append((int(mode, 8), sha, int(stage), _decode(path)))
    return entries


def _untracked(repo: git.Repo) -> list[str]:
    """Untracked files that are not ignored; nested repositories (listed as "dir/") left out."""
    out = _git(repo, "ls-files", "-z", "--others", "--exclude-standard")
    return [_decode(p) for p in out.split(b"\0") if p and not p.endswith(b"/")]


def _below(paths: list[str], under: str) -> list[str]:
    under = join("", under)
    if not under:
        return list(paths)
    return [p for p in paths if p == under or p.startswith(under + "/")]


def _parse_raw(out: bytes) -> list[_Raw]:
    fields = out.split(b"\0")
    records = []
    index = 0
    while index < len(fields) and fields[index].startswith(b":"):
        src_mode, dst_mode, src_sha, dst_sha, status = fields[index][1:].decode().split(" ")
        path = _decode(fields[index + 1])
        index += 2
        old_path = None
        if status[0] in "RC":
            old_path, path = path, _decode(fields[index])
            index += 1
        records.append(
            _Raw(int(src_mode, 8), int(dst_mode, 8), src_sha, dst_sha, status[0], path, old_path)
        )
    return records


def _blob_id(data: bytes, like: str) -> str:
    digest = hashlib.sha256 if len(like) == 64 else hashlib.sha1
    return digest(b"blob %d\0" % len(data) + data).hexdigest()


def _disk_blob(root: Path, path: str, like: str) -> str | None:
    """The object id a regular file's bytes would get (no filters applied), else None."""
    full = root / path
    try:
        if not stat.S_ISREG(os.lstat(full).st_mode):
            return None
        return _blob_id(full.read_bytes(), like)
    except OSError:
        return None


def _stat_only(root: Path, record: _Raw) -> bool:
    """A file diff-index calls modified only because its index stat data is stale."""
    return (
        record.status == "M"
        and set(record.dst_sha) == {"0"}
        and record.src_mode == record.dst_mode
        and record.src_mode >> 12 == _FILE
        and _disk_blob(root, record.path, record.src_sha) == record.src_sha
    )


def _add_untracked(repo: git.Repo, root: Path, records: list[_Raw]) -> list[_Raw]:
    """Untracked files are additions, or the other half of a deletion (same path or content)."""
    deleted = {r.path: r for r in records if r.status == "D"}
    by_content: dict[str, list[str]] = {}
    for record in sorted(deleted.values(), key=lambda r: r.path):
        if record.src_mode >> 12 == _FILE:
            by_content.setdefault(record.src_sha, []).append(record.path)
    like = next(iter(by_content), "0" * 40)  # any object id: its length says the hash
    zero = "0" * len(like)
    added: list[_Raw] = []
    for path in _untracked(repo):
        before = deleted.get(path)
        if before is not None:
            # Removed from the index but still on disk: compare with the base.
            del deleted[path]
            if _disk_blob(root, path, before.src_sha) != before.src_sha:
                mode = before.src_mode
                added.append(_Raw(mode, mode, before.src_sha, zero, "M", path))
            continue
        blob = _disk_blob(root, path, like) if by_content else None
        old_paths = [p for p in by_content.get(blob or "", []) if p in deleted]
        if old_paths:
            old = deleted.pop(old_paths[0])
            added.append(_Raw(old.src_mode, old.src_mode, old.src_sha, zero, "R", path, old.path))
        else:
            added.append(_Raw(0, 0, zero, zero, "A", path))
    kept = [r for r in records if r.status != "D" or r.path in deleted]
    return kept + added


def _change(record: _Raw) -> Change:
    if record.status not in ("A", "M", "D", "R", "T"):
        raise RevisionError(
            f"git reported an unexpected change '{record.status}' for {record.path}"
        )
    return Change(record.path, record.old_path if record.status == "R" else None, record.status)
