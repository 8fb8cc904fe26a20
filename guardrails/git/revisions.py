"""Git revisions as `guardrails diff` inputs: which commits, their trees, what changed.

Everything comes from git objects, the index file and the disk; nothing in the repository (index,
refs, objects, working tree) is ever written: git runs only through `plumbing.run_git`.

This module picks the two sides of a comparison (a merge base and a commit, the index or the
working tree) and hands out what the diff use case reads of them: a tree for each side
(`trees`) and the files that changed between them (`changes`).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from guardrails.git.changes import Change, add_untracked, parse_raw, stat_only, to_change
from guardrails.git.plumbing import GIT_ENV, RevisionError, decode, gitpython, run_git, working_dir
from guardrails.git.trees import CommitTree, IndexTree, WorkingTree

if TYPE_CHECKING:
    import git

_SHALLOW_FIX = (
    "GitHub's actions/checkout fetches one commit by default: set `fetch-depth: 0`; "
    "or run `git fetch --unshallow`, or fetch the base branch"
)


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a commit, the index or the working tree."""

    label: str  # "main (3f2a1c9)", "index", "working tree"
    kind: Literal["commit", "index", "worktree"]
    commit: str | None = None  # full object id when kind == "commit"


def open_repo(path: Path) -> git.Repo:
    """The repository holding `path` (searching parent directories), ready for read-only use."""
    git = gitpython()
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
    return run_git(repo, "rev-parse", "--is-shallow-repository").strip() == b"true"


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
            working_dir(repo)
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
    """A `files.trees.Tree` over one side; commit and index trees read the object database."""
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
        out = run_git(repo, "diff-tree", "-r", *options, base.commit, head.commit)
    elif head.kind == "index":
        out = run_git(repo, "diff-index", "--cached", *options, base.commit)
    else:
        # Submodules count by the commit they point at, not by edits inside them.
        out = run_git(repo, "diff-index", "--ignore-submodules=dirty", *options, base.commit)
    records = parse_raw(out)
    if head.kind == "worktree":
        root = working_dir(repo)
        records = [r for r in records if not stat_only(root, r)]
        records = add_untracked(repo, root, records)
    return sorted(
        (to_change(r) for r in records), key=lambda c: (c.path, c.old_path or "")
    )


def _resolve(repo: git.Repo, ref: str) -> str:
    git = gitpython()
    try:
        out = run_git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}")
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
        run_git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", ref)
    except git.GitCommandError:
        hint = ""
        if is_shallow(repo):
            hint = f" in this shallow clone: fetch it ({_SHALLOW_FIX})"
        raise RevisionError(f"unknown revision '{ref}'{hint}") from None
    raise RevisionError(f"'{ref}' does not name a commit")


def _unborn_branch(repo: git.Repo) -> str | None:
    """The branch HEAD names when it has no commit yet, else None."""
    git = gitpython()
    try:
        run_git(repo, "rev-parse", "--verify", "--quiet", "HEAD")
        return None
    except git.GitCommandError:
        pass
    try:
        return run_git(repo, "symbolic-ref", "--short", "-q", "HEAD").decode().strip() or None
    except git.GitCommandError:
        return None


def _merge_base(repo: git.Repo, one: str, other: str) -> str | None:
    git = gitpython()
    try:
        return run_git(repo, "merge-base", one, other).decode().strip()
    except git.GitCommandError as error:
        if error.status == 1:  # no common ancestor
            return None
        raise


def _refuse_conflicts(repo: git.Repo) -> None:
    out = run_git(repo, "ls-files", "-z", "--unmerged")
    paths = sorted({decode(r.split(b"\t", 1)[1]) for r in out.split(b"\0") if b"\t" in r})
    if paths:
        shown = ", ".join(paths[:3]) + (", ..." if len(paths) > 3 else "")
        raise RevisionError(
            f"the index has unresolved merge conflicts ({shown}): resolve them, "
            "or compare the working tree (leave out --staged)"
        )
