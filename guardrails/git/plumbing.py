"""Running git read-only: the one place that spawns git, and what its plumbing output means.

Git runs with GIT_OPTIONAL_LOCKS=0 and only plumbing (rev-parse, merge-base, diff-tree,
diff-index, ls-files, ls-tree, grep) is used: porcelain `git diff` rewrites a stat-dirty index
even with optional locks off. Keeping every invocation behind `run_git` keeps that promise
checkable in one place, for revisions, trees and changes alike.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from guardrails.core.errors import UsageError

if TYPE_CHECKING:
    import git

# Optional locks off: no command refreshes and rewrites the index. No lazy fetch: a partial
# clone must not reach the network or write objects (honoured by git 2.44 and later).
GIT_ENV = {"GIT_OPTIONAL_LOCKS": "0", "GIT_NO_LAZY_FETCH": "1"}
# An fsmonitor daemon would write its cookies into .git.
_GIT_CONFIG = ("-c", "core.fsmonitor=false")

# The kind of a tree or index entry is its mode >> 12; trees and the change list both ask it.
TREE, FILE, LINK, GITLINK = 0o04, 0o10, 0o12, 0o16
DIR_MODE = 0o040000


class RevisionError(UsageError):
    """A revision or repository that cannot be compared; the message is one line for the user."""


def gitpython() -> Any:
    """The GitPython module, imported on use: its start-up time is not for every command to pay."""
    try:
        import git
    except ImportError as error:
        raise RevisionError(f"guardrails diff needs git and GitPython: {error}") from None
    return git


def run_git(repo: git.Repo, *args: str) -> bytes:
    """The raw standard output of one git command, run with locks and lazy fetches off."""
    command = [repo.git.GIT_PYTHON_GIT_EXECUTABLE, *_GIT_CONFIG, *args]
    return repo.git.execute(  # type: ignore[no-any-return]
        command, env=GIT_ENV, stdout_as_string=False, strip_newline_in_stdout=False
    )


def working_dir(repo: git.Repo) -> Path:
    """The repository's working tree; a bare repository is a usage error with the way out."""
    if repo.working_tree_dir is None:
        raise RevisionError(
            f"{repo.git_dir} is a bare repository: it has no working tree, "
            "compare with a commit (--head REF) or the index (--staged)"
        )
    return Path(repo.working_tree_dir)


def decode(raw: bytes) -> str:
    """A path as git printed it, as text."""
    # As GitPython decodes names in tree objects, so paths from both sources compare equal.
    return raw.decode("utf-8", "surrogateescape")


def index_entries(repo: git.Repo) -> list[tuple[int, str, int, str]]:
    """(mode, object id, stage, path) of every index entry, via `git ls-files --stage`."""
    entries = []
    for record in run_git(repo, "ls-files", "-z", "--stage").split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        mode, sha, stage = meta.decode().split(" ")
        entries.append((int(mode, 8), sha, int(stage), decode(path)))
    return entries


def untracked(repo: git.Repo) -> list[str]:
    """Untracked files that are not ignored; nested repositories (listed as "dir/") left out."""
    out = run_git(repo, "ls-files", "-z", "--others", "--exclude-standard")
    return [decode(p) for p in out.split(b"\0") if p and not p.endswith(b"/")]
