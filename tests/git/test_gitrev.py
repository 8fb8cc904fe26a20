"""Git revisions read straight from objects, the index and the disk, never writing a byte.

Every test runs its operation inside `untouched(repo)`, which compares the repository before and
after: `.git` file by file, the index bytes, `git status --porcelain` and `git for-each-ref`.
"""
from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from guardrails.core.errors import UsageError
from guardrails.git.changes import Change
from guardrails.git.plumbing import RevisionError
from guardrails.git.revisions import Side, changed_files, is_shallow, open_repo, resolve_sides, tree_of
from guardrails.git.trees import CommitTree, IndexTree, WorkingTree
from guardrails.files.trees import DiskTree, select

BINARY = bytes(range(256)) * 4
QUIET_GIT = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "protocol.file.allow=always", *args],
        cwd=cwd, env=QUIET_GIT, capture_output=True, text=True, check=True,
    )
    return done.stdout.strip()


def init(root: Path) -> Path:
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Test")
    git(root, "config", "user.email", "test@example.com")
    return root


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def commit(root: Path, message: str, files: dict[str, str | bytes] | None = None) -> str:
    write(root, files or {})
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD")


def snapshot(root: Path) -> tuple:
    git_dir = root / ".git"
    files = sorted(
        (str(p.relative_to(git_dir)), p.stat().st_size, p.stat().st_mtime_ns)
        for p in git_dir.rglob("*") if p.is_file()
    ) if git_dir.is_dir() else []
    index = (git_dir / "index").read_bytes() if (git_dir / "index").exists() else b""
    # Quiet git: a plain `git status` would itself refresh and rewrite a stat-dirty index.
    return files, index, git(root, "status", "--porcelain"), git(root, "for-each-ref")


@contextmanager
def untouched(root: Path) -> Iterator[None]:
    before = snapshot(root)
    yield
    assert snapshot(root) == before


@pytest.fixture(scope="module")
def repo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """main and feature (merged from main once), with the disk and index in a busy state.

    main:    c1 -- c2 ----------- c3 (later.tf)
                \\        \\
    feature:     f1 ----- merge (HEAD, checked out)
    """
    tmp = tmp_path_factory.mktemp("gitrev")
    lib = init(tmp / "lib")
    commit(lib, "lib", {"lib.tf": 'resource "null_resource" "lib" {}\n'})
    root = init(tmp / "repo")
    commit(root, "c1", {
        ".gitignore": "*.tfvars\n",
        "infra/main.tf": 'resource "aws_instance" "web" {}\n',
        "infra/vars.tf": 'variable "size" {}\n',
        "k8s/app.yaml": "kind: Deployment\n",
        "k8s/cm.yaml": "kind: ConfigMap\n",
        "k8s/extra.yaml": "kind: Service\n",
        "docs/readme.md": "# docs\n",
        "old.tf": 'locals { moved = "yes, a rename" }\n',
        "bin.dat": BINARY,
    })
    os.symlink("infra/main.tf", root / "link.tf")
    commit(root, "symlink")
    git(root, "branch", "feature")
    commit(root, "c2", {"main-only.tf": 'locals { main = 1 }\n'})
    git(root, "checkout", "-q", "feature")
    git(root, "mv", "old.tf", "new.tf")
    git(root, "rm", "-q", "docs/readme.md")
    os.remove(root / "k8s/extra.yaml")
    os.symlink("app.yaml", root / "k8s/extra.yaml")
    git(root, "submodule", "add", "-q", str(lib), "sub")
    commit(root, "f1", {
        "infra/main.tf": 'resource "aws_instance" "web" { instance_type = "t3.large" }\n',
        "k8s/svc.yaml": "kind: Service\n",
    })
    git(root, "merge", "-q", "--no-edit", "main")
    git(root, "checkout", "-q", "main")
    commit(root, "c3", {"later.tf": 'locals { later = 1 }\n'})
    git(root, "checkout", "-q", "feature")
    git(root, "submodule", "update", "-q", "--init")

    write(root, {"k8s/app.yaml": "kind: Deployment # staged\n"})
    git(root, "add", "k8s/app.yaml")
    write(root, {
        "infra/vars.tf": 'variable "size" { default = 2 }\n',  # unstaged
        "untracked.tf": 'locals { new = 1 }\n',
        "secret.tfvars": 'size = 3\n',  # ignored
        "sub/inner.tf": 'locals { inside_the_submodule = 1 }\n',
    })
    os.rename(root / "new.tf", root / "moved.tf")  # a rename git has not been told about
    os.remove(root / "k8s/cm.yaml")  # tracked, deleted on disk
    os.utime(root / "bin.dat", (1, 1))  # stat data stale, content unchanged
    return root


@pytest.fixture
def repo(repo_dir: Path) -> Iterator[object]:
    handle = open_repo(repo_dir)
    yield handle
    handle.close()


def changes(repo, base: str, head: str | None = None, staged: bool = False) -> set[tuple]:
    base_side, head_side = resolve_sides(repo, base, head, staged)
    return {(c.status, c.path, c.old_path) for c in changed_files(repo, base_side, head_side)}


FEATURE_CHANGES = {
    ("M", "infra/main.tf", None),
    ("R", "new.tf", "old.tf"),
    ("D", "docs/readme.md", None),
    ("T", "k8s/extra.yaml", None),
    ("A", "k8s/svc.yaml", None),
    ("A", "sub", None),
    ("A", ".gitmodules", None),
}


# Opening repositories


def test_open_repo_searches_parent_directories(repo_dir: Path) -> None:
    with untouched(repo_dir):
        handle = open_repo(repo_dir / "infra" / "main.tf")
        assert Path(handle.working_tree_dir) == repo_dir
        handle.close()


def test_a_plain_directory_is_not_a_repository(tmp_path: Path) -> None:
    with pytest.raises(RevisionError) as error:
        open_repo(tmp_path)
    assert str(error.value) == (
        f"{tmp_path} is not in a git repository: guardrails diff compares git revisions "
        "(use guardrails check for plain files)"
    )
    assert isinstance(error.value, UsageError)  # the CLI's exit 2


# Resolving sides


def test_base_side_is_the_merge_base_not_the_branch_tip(repo_dir: Path, repo) -> None:
    with untouched(repo_dir):
        base, head = resolve_sides(repo, "main", None, False)
    merge_base = git(repo_dir, "merge-base", "main", "HEAD")
    assert merge_base != git(repo_dir, "rev-parse", "main")  # main moved on after the merge
    assert base == Side(f"main ({merge_base[:7]})", "commit", merge_base)
    assert head == Side("working tree", "worktree")


def test_head_commit_and_index_sides(repo_dir: Path, repo) -> None:
    feature = git(repo_dir, "rev-parse", "feature")
    with untouched(repo_dir):
        _, head = resolve_sides(repo, "main", "feature", False)
        _, staged = resolve_sides(repo, "main", None, True)
    assert head == Side(f"feature ({feature[:7]})", "commit", feature)
    assert staged == Side("index", "index")


def test_head_and_staged_together_is_an_error(repo_dir: Path, repo) -> None:
    with untouched(repo_dir), pytest.raises(RevisionError, match="--head and --staged"):
        resolve_sides(repo, "main", "feature", True)


@pytest.mark.parametrize("ref", ["nope", "--output=x", ""])
def test_unknown_revision(repo_dir: Path, repo, ref: str) -> None:
    with untouched(repo_dir), pytest.raises(RevisionError) as error:
        resolve_sides(repo, ref, None, False)
    assert str(error.value) == f"unknown revision '{ref}'"
    assert not (repo_dir / "x").exists()


def test_a_ref_that_is_not_a_commit(repo_dir: Path, repo) -> None:
    with untouched(repo_dir), pytest.raises(RevisionError) as error:
        resolve_sides(repo, "HEAD:infra", None, False)
    assert str(error.value) == "'HEAD:infra' does not name a commit"


def test_unknown_head_revision(repo_dir: Path, repo) -> None:
    with untouched(repo_dir), pytest.raises(RevisionError, match="unknown revision 'nope'"):
        resolve_sides(repo, "main", "nope", False)


# What changed


def test_changed_files_between_commits(repo_dir: Path, repo) -> None:
    with untouched(repo_dir):
        found = changes(repo, "main", "feature")
    # later.tf (main after the merge) and main-only.tf (merged in) are not the feature's change.
    assert found == FEATURE_CHANGES


def test_changed_files_in_the_index(repo_dir: Path, repo) -> None:
    with untouched(repo_dir):
        found = changes(repo, "main", staged=True)
    assert found == FEATURE_CHANGES | {("M", "k8s/app.yaml", None)}


def test_changed_files_in_the_working_tree(repo_dir: Path, repo) -> None:
    with untouched(repo_dir):
        found = changes(repo, "main")
    assert found == (FEATURE_CHANGES - {("R", "new.tf", "old.tf")}) | {
        ("M", "k8s/app.yaml", None),  # staged
        ("M", "infra/vars.tf", None),  # unstaged
        ("A", "untracked.tf", None),  # untracked; secret.tfvars is ignored
        ("R", "moved.tf", "old.tf"),  # untracked, same content as a deleted file
        ("D", "k8s/cm.yaml", None),  # deleted on disk only
    }  # bin.dat: touched, same content: not a change; sub/inner.tf: inside a submodule


def test_changed_files_are_sorted_values(repo_dir: Path, repo) -> None:
    with untouched(repo_dir):
        base, head = resolve_sides(repo, "main", "feature", False)
        found = changed_files(repo, base, head)
    assert [c.path for c in found] == sorted(c.path for c in found)
    assert Change("new.tf", "old.tf", "R") in found


def test_binary_files_are_listed(tmp_path: Path) -> None:
    root = init(tmp_path / "r")
    commit(root, "one", {"a.tf": "locals {}\n"})
    commit(root, "two", {"image.png": BINARY})
    handle = open_repo(root)
    with untouched(root):
        assert changes(handle, "HEAD~1", "HEAD") == {("A", "image.png", None)}
        assert changes(handle, "HEAD~1") == {("A", "image.png", None)}
    handle.close()


def test_untracked_file_removed_from_the_index_but_on_disk(tmp_path: Path) -> None:
    root = init(tmp_path / "r")
    commit(root, "one", {"same.tf": "locals {}\n", "edited.tf": "locals {}\n"})
    git(root, "rm", "-q", "--cached", "same.tf", "edited.tf")
    write(root, {"edited.tf": "locals { x = 1 }\n"})
    handle = open_repo(root)
    with untouched(root):
        assert changes(handle, "HEAD") == {("M", "edited.tf", None)}
        assert changes(handle, "HEAD", staged=True) == {
            ("D", "same.tf", None), ("D", "edited.tf", None),
        }
    handle.close()


# Trees


def test_commit_tree_reads_objects(repo_dir: Path, repo) -> None:
    with untouched(repo_dir):
        base, head = resolve_sides(repo, "main", "feature", False)
        old, new = tree_of(repo, base), tree_of(repo, head)
        assert isinstance(new, CommitTree)
        assert new.listdir("") == [
            ".gitignore", ".gitmodules", "bin.dat", "infra", "k8s", "link.tf", "main-only.tf",
            "new.tf", "sub",
        ]
        assert new.read("infra/main.tf").startswith(b'resource "aws_instance" "web" { instance')
        assert old.read("./infra//main.tf") == b'resource "aws_instance" "web" {}\n'
        assert new.read("bin.dat") == BINARY
        assert new.is_dir("infra") and new.is_dir("infra/") and new.is_dir("")
        assert new.is_file("k8s/svc.yaml") and not old.is_file("k8s/svc.yaml")
        assert not new.is_file("later.tf")  # main's commit after the merge
        assert not new.is_file("../repo/new.tf") and not new.is_dir("..")


def test_commit_tree_errors_mirror_the_disk(repo_dir: Path, repo) -> None:
    with untouched(repo_dir):
        tree = tree_of(repo, resolve_sides(repo, "main", "feature", False)[1])
        with pytest.raises(FileNotFoundError):
            tree.read("missing.tf")
        with pytest.raises(IsADirectoryError):
            tree.read("infra")
        with pytest.raises(FileNotFoundError):
            tree.listdir("missing")
        with pytest.raises(NotADirectoryError):
            tree.listdir("new.tf")
        assert tree.listdir("..") == []


def test_symlinks_and_submodules_are_neither_files_nor_directories(repo_dir: Path, repo) -> None:
    with untouched(repo_dir):
        base, _ = resolve_sides(repo, "main", None, False)
        _, head = resolve_sides(repo, "main", "feature", False)
        index, disk = Side("index", "index"), Side("working tree", "worktree")
        trees = [tree_of(repo, head), tree_of(repo, index), tree_of(repo, disk)]
        for tree in trees:
            assert "link.tf" in tree.listdir("") and "sub" in tree.listdir("")
            assert not tree.is_file("link.tf") and not tree.is_dir("link.tf")
            assert not tree.is_file("sub") and not tree.is_dir("sub")
            assert not tree.is_file("k8s/extra.yaml")  # a file turned into a link
            assert not tree.is_file("sub/lib.tf") and not tree.is_file("sub/inner.tf")
            with pytest.raises(FileNotFoundError):
                tree.read("link.tf")
            assert tree.submodules() == ["sub"]
            assert tree.submodules("sub") == ["sub"] and tree.submodules("infra") == []
        assert tree_of(repo, base).submodules() == []
        assert tree_of(repo, base).is_file("k8s/extra.yaml")


def test_commit_tree_loads_only_the_directories_it_is_asked_about(repo_dir: Path, repo) -> None:
    with untouched(repo_dir):
        tree = tree_of(repo, resolve_sides(repo, "main", "feature", False)[1])
        tree.read("infra/main.tf")
        assert set(tree._dirs) == {"", "infra"}


def test_index_tree_reads_staged_content(repo_dir: Path, repo) -> None:
    with untouched(repo_dir):
        tree = tree_of(repo, resolve_sides(repo, "main", None, True)[1])
        assert isinstance(tree, IndexTree)
        assert tree.read("k8s/app.yaml") == b"kind: Deployment # staged\n"
        assert tree.read("infra/vars.tf") == b'variable "size" {}\n'  # the edit is unstaged
        assert tree.is_file("k8s/cm.yaml")  # deleted on disk, still in the index
        assert tree.is_file("new.tf") and not tree.is_file("moved.tf")
        assert not tree.is_file("untracked.tf")
        assert tree.listdir("k8s") == ["app.yaml", "cm.yaml", "extra.yaml", "svc.yaml"]
        assert tree.is_dir("infra") and not tree.is_dir("docs")


def test_working_tree_is_what_git_would_commit(repo_dir: Path, repo) -> None:
    with untouched(repo_dir):
        tree = tree_of(repo, resolve_sides(repo, "main", None, False)[1])
        assert isinstance(tree, WorkingTree) and isinstance(tree, DiskTree)
        assert tree.read("infra/vars.tf") == b'variable "size" { default = 2 }\n'
        assert tree.is_file("untracked.tf") and tree.is_file("moved.tf")
        assert not tree.is_file("secret.tfvars")  # ignored
        assert not tree.is_file("k8s/cm.yaml") and not tree.is_file("new.tf")  # gone from disk
        with pytest.raises(FileNotFoundError):
            tree.read("secret.tfvars")
        assert "secret.tfvars" not in tree.listdir("")
        selection = select(tree, [""])
        assert sorted(selection.terraform_dirs) == ["", "infra"]
        assert selection.terraform_dirs[""] == ["main-only.tf", "moved.tf", "untracked.tf"]


def test_bare_repository_has_no_working_tree(repo_dir: Path, tmp_path: Path) -> None:
    git(tmp_path, "clone", "-q", "--bare", str(repo_dir), "bare.git")
    handle = open_repo(tmp_path / "bare.git")
    with pytest.raises(RevisionError, match="bare repository"):
        resolve_sides(handle, "main", None, False)
    base, head = resolve_sides(handle, "main", "feature", False)
    assert ("A", "k8s/svc.yaml", None) in {
        (c.status, c.path, c.old_path) for c in changed_files(handle, base, head)
    }
    handle.close()


# Unusual repositories


def test_unborn_branch(tmp_path: Path) -> None:
    root = init(tmp_path / "fresh")
    write(root, {"main.tf": "locals {}\n"})
    handle = open_repo(root)
    with untouched(root):
        for base in ("HEAD", "main"):
            with pytest.raises(RevisionError, match="branch 'main' has no commits yet"):
                resolve_sides(handle, base, None, False)
        with pytest.raises(RevisionError, match="unknown revision 'origin/main'"):
            resolve_sides(handle, "origin/main", None, False)
    handle.close()


def test_detached_head(tmp_path: Path) -> None:
    root = init(tmp_path / "r")
    first = commit(root, "one", {"a.tf": "locals {}\n"})
    commit(root, "two", {"b.tf": "locals {}\n"})
    git(root, "checkout", "-q", "--detach", "HEAD~1")
    write(root, {"c.tf": "locals {}\n"})
    handle = open_repo(root)
    with untouched(root):
        base, head = resolve_sides(handle, "main", None, False)
        assert base.commit == first and head.kind == "worktree"
        assert {(c.status, c.path) for c in changed_files(handle, base, head)} == {("A", "c.tf")}
    handle.close()


def test_unrelated_histories(tmp_path: Path) -> None:
    root = init(tmp_path / "r")
    commit(root, "one", {"a.tf": "locals {}\n"})
    git(root, "checkout", "-q", "--orphan", "other")
    commit(root, "other", {"b.tf": "locals {}\n"})
    handle = open_repo(root)
    with untouched(root), pytest.raises(RevisionError) as error:
        resolve_sides(handle, "main", None, False)
    assert str(error.value) == "main and HEAD have no common ancestor"
    assert not is_shallow(handle)
    handle.close()


@pytest.fixture(scope="module")
def shallow_clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("shallow")
    upstream = init(tmp / "upstream")
    commit(upstream, "base", {"a.tf": "locals {}\n"})
    git(upstream, "branch", "feature")
    commit(upstream, "main moves", {"b.tf": "locals {}\n"})
    git(upstream, "checkout", "-q", "feature")
    commit(upstream, "feature", {"c.tf": "locals {}\n"})
    # One commit per branch, as actions/checkout fetches: the merge base is not there.
    git(tmp, "clone", "-q", "--depth", "1", "--no-single-branch", "--branch", "feature",
        f"file://{upstream}", "clone")
    return tmp / "clone"


def test_shallow_clone_without_the_merge_base(shallow_clone: Path) -> None:
    handle = open_repo(shallow_clone)
    with untouched(shallow_clone):
        assert is_shallow(handle)
        with pytest.raises(RevisionError) as error:
            resolve_sides(handle, "origin/main", None, False)
    message = str(error.value)
    assert "shallow clone" in message and "fetch-depth: 0" in message
    assert "git fetch --unshallow" in message and "\n" not in message
    handle.close()


def test_shallow_clone_missing_the_base_branch(shallow_clone: Path) -> None:
    handle = open_repo(shallow_clone)
    with untouched(shallow_clone), pytest.raises(RevisionError) as error:
        resolve_sides(handle, "main", None, False)
    assert str(error.value).startswith("unknown revision 'main' in this shallow clone: fetch it")
    assert "fetch-depth: 0" in str(error.value)
    handle.close()


def test_staged_side_refuses_unresolved_conflicts(tmp_path: Path) -> None:
    root = init(tmp_path / "r")
    commit(root, "one", {"a.tf": "locals { a = 1 }\n"})
    git(root, "checkout", "-q", "-b", "other")
    commit(root, "other", {"a.tf": "locals { a = 2 }\n"})
    git(root, "checkout", "-q", "main")
    commit(root, "main", {"a.tf": "locals { a = 3 }\n"})
    subprocess.run(["git", "merge", "-q", "other"], cwd=root, capture_output=True, check=False)
    handle = open_repo(root)
    with untouched(root):
        with pytest.raises(RevisionError, match=r"unresolved merge conflicts \(a.tf\)"):
            resolve_sides(handle, "HEAD", None, True)
        base, head = resolve_sides(handle, "HEAD", None, False)
        assert [(c.status, c.path) for c in changed_files(handle, base, head)] == [("M", "a.tf")]
    handle.close()
