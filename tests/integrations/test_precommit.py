"""The pre-commit hooks: the manifest as pre-commit validates it, and the hooks run by pre-commit.

The slow tests install this checkout the way a user's pre-commit would: `pre-commit try-repo`
clones a repository, builds a virtualenv and pip-installs the project from PyPI's packages. try-repo
takes a repository's HEAD commit, so the files the package needs are committed to a snapshot
repository first; the checkout under test is only read.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
MANIFEST = REPO / ".pre-commit-hooks.yaml"
# What `pip install` of the project reads (pyproject.toml names README.md and maps policies/).
SNAPSHOT = (".pre-commit-hooks.yaml", "pyproject.toml", "README.md", "LICENSE", "guardrails/", "policies/")
MINIMUM = (3, 2, 0)  # stage names that match the git hook names (pre-commit, pre-push)

POLICY = """\
version: 1
rules:
  - id: owner-tag
    type: required-tags
    tags: [owner]
"""
TAGGED = """\
provider "aws" {
  region = "us-east-1"
}

resource "aws_instance" "api" {
  ami           = "ami-123"
  instance_type = "t3.micro"
  tags          = { owner = "team-a" }
}
"""
UNTAGGED = """\
resource "aws_instance" "worker" {
  ami           = "ami-123"
  instance_type = "m5.large"
}
"""


def _hooks() -> dict[str, dict]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return {hook["id"]: hook for hook in yaml.load(MANIFEST.read_text(encoding="utf-8"), Loader=loader)}


def _pre_commit() -> None:
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (pip install pre-commit)")


def test_pre_commit_accepts_the_manifest() -> None:
    _pre_commit()
    done = subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest", str(MANIFEST)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_minimum_version_is_the_one_that_knows_the_stage_names() -> None:
    for hook in _hooks().values():
        assert tuple(int(n) for n in str(hook["minimum_pre_commit_version"]).split(".")) == MINIMUM
        assert set(hook.get("stages", [])) <= {"pre-commit", "pre-merge-commit", "pre-push", "manual"}


def test_the_hooks() -> None:
    hooks = _hooks()
    assert set(hooks) == {"guardrails", "guardrails-cost"}
    check, cost = hooks["guardrails"], hooks["guardrails-cost"]
    assert (check["entry"], check["language"], check["require_serial"]) == ("guardrails check", "python", False)
    assert check.get("pass_filenames", True) is True
    assert (cost["entry"], cost["language"]) == ("guardrails diff --pre-commit", "python")
    assert (cost["pass_filenames"], cost["always_run"]) == (False, False)
    assert cost["stages"] == ["pre-commit", "pre-push"]
    assert cost["files"] == check["files"]


@pytest.mark.parametrize(("name", "matches"), [
    ("main.tf", True), ("envs/prod/network.tf", True), ("stack.tf.json", True), ("prod.tfvars", True),
    ("k8s/api.yaml", True), ("k8s/api.yml", True), ("plan.json", True),
    ("README.md", False), ("main.tf.bak", False), ("setup.py", False), ("tf", False), ("values.yaml.tpl", False),
])
def test_the_files_pattern(name: str, matches: bool) -> None:
    for hook in _hooks().values():
        # pre-commit matches `files` with re.search against the path from the repository root
        assert bool(re.search(hook["files"], name)) is matches


# --- pre-commit try-repo, for real ----------------------------------------------------------------

def _git(cwd: Path, *args: str) -> str:
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull,
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committed snapshot of this checkout's package files: what a user's `rev:` would point at."""
    _pre_commit()
    snapshot = tmp_path_factory.mktemp("hook-repo")
    listed = _git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    folders = tuple(p for p in SNAPSHOT if p.endswith("/"))
    for name in sorted(set(listed)):
        if name in SNAPSHOT or name.startswith(folders):
            source = REPO / name
            if source.is_file():  # a tracked file deleted in the working tree is not there to copy
                (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, snapshot / name)
    _git(snapshot, "init", "-q", "-b", "main")
    _git(snapshot, "add", "-A")
    _git(snapshot, "commit", "-q", "-m", "snapshot")
    return snapshot


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Shared by the module's tests: the hook's virtualenv is built once.
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A user's repository: a committed tagged instance, and a staged new file with an untagged one."""
    root = tmp_path / "project"
    (root / "infra").mkdir(parents=True)
    _git(root, "init", "-q", "-b", "main")
    (root / ".guardrails.yaml").write_text(POLICY, encoding="utf-8")
    (root / "infra" / "main.tf").write_text(TAGGED, encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    (root / "infra" / "worker.tf").write_text(UNTAGGED, encoding="utf-8")
    _git(root, "add", "infra/worker.tf")
    return root


def _try_repo(hook_repo: Path, home: Path, project: Path, hook: str, *files: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never", NO_COLOR="1",
               GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    env.pop("PYTHONPATH", None)  # the hook must run the package installed in its own virtualenv
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), hook, "--files", *files],
                          cwd=project, env=env, capture_output=True, text=True, timeout=900, check=False)


@pytest.mark.slow
def test_the_check_hook_reports_the_files_it_is_given(hook_repo: Path, pre_commit_home: Path, project: Path) -> None:
    failing = _try_repo(hook_repo, pre_commit_home, project, "guardrails", "infra/worker.tf")
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "aws_instance.worker" in failing.stdout and "owner" in failing.stdout

    # main.tf shares worker.tf's directory, but only findings in the files given are reported
    passing = _try_repo(hook_repo, pre_commit_home, project, "guardrails", "infra/main.tf")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert re.search(r"guardrails policy check\.+Passed", passing.stdout)


@pytest.mark.slow
def test_the_cost_hook_judges_what_is_staged(hook_repo: Path, pre_commit_home: Path, project: Path) -> None:
    done = _try_repo(hook_repo, pre_commit_home, project, "guardrails-cost", "infra/worker.tf")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "aws_instance.worker" in done.stdout
    assert re.search(r"\+\$\d+\.\d\d", done.stdout), done.stdout  # the staged instance's monthly cost
