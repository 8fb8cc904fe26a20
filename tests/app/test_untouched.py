"""Issue 7: a run changes nothing and executes nothing in the repository it reads.

`check`, `cost` and `diff` (`--pre-commit` too) leave every byte, mtime and mode of the scanned
tree as it was, .git included (index, HEAD, refs, reflogs), and write their reports only where
they are told. Nothing the repository holds runs: not its Python files (as modules a `python -m`
run could import from the working directory), scripts, pre-commit configuration, git hooks,
fsmonitor or textconv commands, Terraform's external programs and provisioners, YAML tags that
name Python objects, nor a `terraform` it puts first on PATH. Symbolic links leaving the root or
looping back into it are not followed, and are reported. The parse cache survives concurrent
cold runs, damaged entries and a cache it cannot write to.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from guardrails.files import cache
from guardrails.terraform import parallel
from guardrails.terraform.hcl.parse import _parser

from conftest import REPO, run, write_tree

POLICY = """\
version: 1
extends: [builtin:default]
rules:
  - {id: tags, type: required-tags, tags: [owner], match: {resources: [aws_instance]}}
  - {id: storage, type: storage-tier, severity: warn, deny: [gp2], suggest: {gp2: gp3}, explicit_root_volumes: true}
  - {id: budget, type: cost, monthly_delta: {warn: 100, fail: 100000}}
"""
HOOKS = ("pre-commit", "prepare-commit-msg", "commit-msg", "post-commit", "pre-push", "post-checkout",
         "post-merge", "post-rewrite", "post-index-change", "reference-transaction", "pre-auto-gc",
         "fsmonitor-watchman", "push-to-checkout", "sendemail-validate")
TOOLS = ("terraform", "tofu", "terragrunt", "helm", "kubectl", "kustomize", "tflint", "infracost", "checkov",
         "pre-commit", "sh-trap")
PY_TRAPS = ("conftest.py", "setup.py", "__init__.py", "yaml.py", "click.py", "git.py", "hcl2.py", "lark.py",
            "jsonschema.py", "sitecustomize.py", "usercustomize.py", "guardrails/__init__.py",
            "guardrails/__main__.py", "tools/helper.py", "infra/__init__.py")
SMALL_DIR_FILES = 26  # over parallel.MIN_FILES: cold runs parse in forked workers


def py_trap(markers: Path, name: str) -> str:
    return f"import pathlib\npathlib.Path({str(markers)!r}, {name.replace('/', '_')!r}).write_text('ran')\n"


def sh_trap(markers: Path, name: str) -> str:
    return f"#!/bin/sh\necho ran > '{markers}/{name.replace('/', '_')}'\nexit 0\n"


def git(repo: Path, *args: str) -> str:
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=repo, env=env,
                          check=True, capture_output=True, text=True).stdout


def snapshot(root: Path) -> dict[str, tuple]:
    """Every entry under root, .git included: content hash, mtime and mode; link targets; dirs."""
    entries: dict[str, tuple] = {}
    for directory, dirs, files in os.walk(root, followlinks=False):
        for name in [*dirs, *files]:
            path = Path(directory, name)
            info = path.lstat()
            rel = path.relative_to(root).as_posix()
            if stat.S_ISLNK(info.st_mode):
                entries[rel] = ("link", os.readlink(path), info.st_mtime_ns)
            elif stat.S_ISDIR(info.st_mode):
                entries[rel] = ("dir", info.st_mode, info.st_mtime_ns)  # an added and removed file shows here
            else:
                entries[rel] = ("file", hashlib.sha256(path.read_bytes()).hexdigest(), info.st_mode, info.st_mtime_ns)
    top = root.lstat()
    entries["."] = ("dir", top.st_mode, top.st_mtime_ns)
    return entries


def grammar_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("hcl2-grammar-*.json"))


def guardrails(args: list[str], cwd: Path, cache_dir: Path, path_prefix: Path | None = None,
               safe_path: str = "-P") -> subprocess.Popen:
    """The CLI in a process of its own. `-P` (or PYTHONSAFEPATH, as the action sets) keeps the
    working directory off sys.path, as the `guardrails` console script does."""
    env = dict(os.environ, GUARDRAILS_CACHE_DIR=str(cache_dir), NO_COLOR="1")
    env.pop("GUARDRAILS_NO_CACHE", None)
    if path_prefix is not None:
        env["PATH"] = f"{path_prefix}{os.pathsep}{env.get('PATH', '')}"
    command = [sys.executable, "-m", "guardrails", *args]
    if safe_path == "-P":
        command.insert(1, "-P")
    else:
        env["PYTHONSAFEPATH"] = "1"
    return subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=180)
    return process.returncode, out.decode(), err.decode()


def small_repo_files() -> dict[str, str]:
    files = {f"stacks/s{i:02d}.tf": f'resource "aws_ebs_volume" "v{i}" {{\n  availability_zone = "us-east-1a"\n'
                                     f'  type = "{"gp2" if i % 4 == 0 else "gp3"}"\n  size = {i + 1}\n}}\n'
             for i in range(SMALL_DIR_FILES)}
    files["k8s/app.yaml"] = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
                             "    - {name: c, image: x, resources: {requests: {cpu: 100m, memory: 64Mi}}}\n")
    return files


# --- concurrent cold runs on one cache --------------------------------------------------------

@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the module, outside every repository, with the HCL grammar built once.

    The grammar is kept under a key that holds the cache's path, so a copy elsewhere is built
    again; the tests empty `parse/` instead, and never copy the cache.
    """
    directory = tmp_path_factory.mktemp("shared") / "cache"
    env = dict(os.environ, GUARDRAILS_CACHE_DIR=str(directory))
    env.pop("GUARDRAILS_NO_CACHE", None)
    subprocess.run([sys.executable, "-c", "from guardrails.terraform.hcl.parse import _parser; _parser()"],
                   env=env, check=True)
    return directory


@pytest.fixture
def in_process_cache(shared_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """In-process runs use the shared cache too, so the grammar is read, not built."""
    monkeypatch.setenv("GUARDRAILS_CACHE_DIR", str(shared_cache))
    cache.cache_dir.cache_clear()
    _parser()
    yield shared_cache
    cache.cache_dir.cache_clear()


@pytest.fixture(scope="module")
def concurrent(tmp_path_factory: pytest.TempPathFactory, shared_cache: Path) -> dict:
    """Four processes started at once on a cache that holds no parse yet (the grammar only:
    four grammar builds at once would cost half a minute of two cores)."""
    base = tmp_path_factory.mktemp("concurrent")
    repo = write_tree(base / "repo", {".git/HEAD": "", **small_repo_files()})
    cache_dir = shared_cache
    shutil.rmtree(cache_dir / "parse", ignore_errors=True)
    started = [guardrails(["check", "--format", "json"], repo, cache_dir) for _ in range(4)]
    results = [finish(process) for process in started]
    return {"repo": repo, "cache": cache_dir, "results": results}
def test_four_cold_runs_at_once_agree_and_leave_a_sound_cache(concurrent):
    assert SMALL_DIR_FILES >= parallel.MIN_FILES
    results, cache_dir, repo = concurrent["results"], concurrent["cache"], concurrent["repo"]
    assert {code for code, _, _ in results} == {0}, results[0][2]
    assert {err for _, _, err in results} == {""}
    assert len({out for _, out, _ in results}) == 1
    report = json.loads(results[0][1])
    assert len([f for f in report["findings"] if f["rule"] == "storage-tier"]) == SMALL_DIR_FILES // 4 + 1
    entries = list((cache_dir / "parse").rglob("*"))
    assert not [p for p in entries if p.name.startswith(".tmp-")]  # no half-written entry left behind
    # One entry per .tf file, the manifest, and the bundled policy.
    assert len([p for p in entries if p.suffix == ".json"]) == SMALL_DIR_FILES + 1 + 1
    (grammar,) = grammar_files(cache_dir)
    before = grammar.stat().st_mtime_ns
    # A later run reads what the racing runs left: the same report, and the grammar loads as it is
    # (a grammar file that cannot be loaded is compiled and written again, changing its mtime).
    code, out, err = finish(guardrails(["check", "--format", "json"], repo, cache_dir))
    assert (code, out, err) == results[0]
    assert grammar.stat().st_mtime_ns == before


def test_damaged_cache_entries_are_misses_for_the_cli(concurrent):
    cache_dir = concurrent["cache"]
    entries_ = sorted((cache_dir / "parse").rglob("*.json"))
    entries_[0].write_bytes(b"")                          # truncated to nothing
    entries_[1].write_bytes(entries_[2].read_bytes()[:7])  # cut short
    entries_[3].unlink()
    entries_[3].mkdir()                                   # a directory where the entry should be
    (entries_[4].parent / ".tmp-leftover").write_bytes(b"\x80")  # a run killed mid-write
    damaged = {p.parent for p in entries_[:5]}
    shard = next(p.parent for p in entries_[5:] if p.parent not in damaged)
    shutil.rmtree(shard)
    shard.write_text("a file where a shard directory should be")
    code, out, err = finish(guardrails(["check", "--format", "json"], concurrent["repo"], cache_dir))
    assert (code, out, err) == concurrent["results"][0]
    assert entries_[0].stat().st_size > 0 and entries_[1].stat().st_size > 7  # replaced by good entries


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes to read-only directories")
def test_read_only_cache_directory_runs_quietly_without_cache(concurrent, in_process_cache):
    cache_dir = in_process_cache
    before = snapshot(cache_dir)
    for directory, _, _ in os.walk(cache_dir):
        os.chmod(directory, 0o500)
    try:
        cache.cache_dir.cache_clear()
        code, out, err = run(["check", "--format", "json"], concurrent["repo"])
    finally:
        cache.cache_dir.cache_clear()
        for directory, _, _ in os.walk(cache_dir):
            os.chmod(directory, 0o700)
    assert (code, out, err) == concurrent["results"][0]
    assert snapshot(cache_dir) == before


def test_a_cache_path_that_cannot_be_a_directory_runs_quietly_without_cache(concurrent, in_process_cache, tmp_path,
                                                                            monkeypatch):
    # What a read-only file system does to the cache as root too: the directory cannot be made.
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    monkeypatch.setenv("GUARDRAILS_CACHE_DIR", str(blocker / "cache"))
    cache.cache_dir.cache_clear()
    try:
        assert cache.cache_dir() is None
        code, out, err = run(["check", "--format", "json"], concurrent["repo"])
    finally:
        cache.cache_dir.cache_clear()
    assert (code, out, err) == concurrent["results"][0]
    assert blocker.read_text() == "x"


# --- nothing changed, nothing executed --------------------------------------------------------

def build_trapped_repo(repo: Path, markers: Path, outside: Path) -> None:
    """A repository with a change in every state (committed, staged, unstaged, untracked) and a
    trap in everything a careless tool might run."""
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    write_tree(repo, {
        ".guardrails.yaml": POLICY,
        "infra/main.tf": (
            'resource "aws_instance" "web" {\n  ami           = "ami-1"\n  instance_type = "m5.large"\n'
            '  tags          = { owner = "web" }\n}\n'),
        "k8s/app.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - {name: c, image: x}\n",
        **small_repo_files(),
    })
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    marker = str(markers)
    write_tree(repo, {
        "infra/main.tf": (
            'resource "aws_instance" "web" {\n  ami           = "ami-1"\n  instance_type = "m5.2xlarge"\n'
            '  tags          = { owner = "web" }\n'
            '  provisioner "local-exec" {\n'
            f'    command = "echo ran > {marker}/local-exec"\n  }}\n}}\n'
            'data "external" "probe" {\n'
            f'  program = ["sh", "-c", "echo ran > {marker}/external"]\n}}\n'
            'resource "aws_instance" "probed" {\n  ami           = "ami-1"\n'
            '  instance_type = data.external.probe.result.size\n}\n'),
        "k8s/evil.yaml": f'apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: x}}\n'
                         f'data: !!python/object/apply:os.system ["echo ran > {marker}/yaml-tag"]\n',
        ".pre-commit-config.yaml": ("repos:\n  - repo: local\n    hooks:\n      - id: trap\n        name: trap\n"
                                    f"        entry: sh -c 'echo ran > {marker}/pre-commit-config'\n"
                                    "        language: system\n"),
        ".gitattributes": "*.tf diff=trap\n*.yaml filter=trap\n",
        "scripts/run.sh": sh_trap(markers, "run.sh"),
        **{name: py_trap(markers, name) for name in PY_TRAPS},
        **{f"bin/{tool}": sh_trap(markers, f"bin-{tool}") for tool in TOOLS},
    })
    for path in [repo / "scripts/run.sh", *(repo / "bin").iterdir()]:
        path.chmod(0o755)
    (repo / "linked.tf").symlink_to(outside / "secret.tf")
    (repo / "linked-dir").symlink_to(outside)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "change")
    # Staged but not committed, changed but not staged, untracked, and a tracked file whose stat
    # data no longer matches the index (a `git status` would refresh and rewrite the index).
    (repo / "stacks/s01.tf").write_text((repo / "stacks/s01.tf").read_text().replace("gp3", "io2"))
    git(repo, "add", "stacks/s01.tf")
    (repo / "stacks/s02.tf").write_text((repo / "stacks/s02.tf").read_text().replace("size = 3", "size = 300"))
    (repo / "stacks/new.tf").write_text('resource "aws_ebs_volume" "new" {\n  availability_zone = "us-east-1a"\n'
                                        '  size = 10\n}\n')
    os.utime(repo / "stacks/s03.tf", ns=(1_000_000_000, 1_000_000_000))
    # Git runs these only when asked to commit, check out, refresh the index, diff with textconv...
    for hook in HOOKS:
        (repo / ".git/hooks" / hook).write_text(sh_trap(markers, f"hook-{hook}"))
        (repo / ".git/hooks" / hook).chmod(0o755)
    git(repo, "config", "core.fsmonitor", str(repo / "bin/sh-trap"))
    git(repo, "config", "diff.trap.textconv", str(repo / "bin/sh-trap"))
    git(repo, "config", "filter.trap.smudge", str(repo / "bin/sh-trap"))


@pytest.fixture(scope="module")
def untouched(tmp_path_factory: pytest.TempPathFactory, concurrent, shared_cache: Path) -> dict:
    base = tmp_path_factory.mktemp("untouched")
    markers, outside, reports = base / "markers", base / "outside", base / "reports"
    markers.mkdir()
    reports.mkdir()
    write_tree(outside, {"secret.tf": 'resource "aws_instance" "outside_secret" {\n  instance_type = "x1.32xlarge"\n}\n'})
    repo = base / "repo"
    build_trapped_repo(repo, markers, outside)
    cache_dir = shared_cache  # outside the repository; emptied of parses, so the workers parse
    shutil.rmtree(cache_dir / "parse", ignore_errors=True)
    before = snapshot(repo)
    commands = {
        "check": (["check", "--format", "json", "--report-file", f"sarif={reports}/check.sarif",
                   "--output", f"{reports}/check.json"], "-P"),
        "check-files": (["check", "infra/main.tf", "stacks/s02.tf", "k8s/evil.yaml",
                         "--report-file", f"text={reports}/files.txt"], "env"),
        "cost": (["cost", "--format", "json", "--report-file", f"text={reports}/cost.txt"], "-P"),
        "diff": (["diff", "--base", "HEAD~1", "--format", "json", "--report-file", f"markdown={reports}/diff.md"], "-P"),
        "diff-staged": (["diff", "--base", "HEAD", "--staged", "--report-file", f"json={reports}/staged.json"], "env"),
        "diff-commits": (["diff", "--base", "HEAD~1", "--head", "HEAD", "--format", "sarif",
                          "--output", f"{reports}/commits.sarif"], "-P"),
        "pre-commit": (["diff", "--pre-commit", "--report-file", f"json={reports}/pre-commit.json"], "-P"),
    }
    results = {}
    pending = list(commands.items())
    while pending:  # two at a time: both cores, and concurrent readers of one cache
        batch, pending = pending[:2], pending[2:]
        started = {name: guardrails(args, repo, cache_dir, repo / "bin", safe) for name, (args, safe) in batch}
        results.update({name: finish(process) for name, process in started.items()})
    return {"repo": repo, "markers": markers, "reports": reports, "before": before, "after": snapshot(repo),
            "results": results}


def test_every_command_ran_to_a_report(untouched):
    results = untouched["results"]
    for name, (code, out, err) in results.items():
        assert code in (0, 1, 2), f"{name}: {err}"
        assert "internal error" not in err and "Traceback" not in err, f"{name}: {err}"
    assert results["check"][0] == 1  # failing findings; the YAML with a Python tag is an input error too
    check = json.loads((untouched["reports"] / "check.json").read_text())
    assert any(e["file"] == "k8s/evil.yaml" for e in check["errors"])
    assert {"aws_instance.web", "aws_ebs_volume.new"} <= {f["resource"] for f in check["findings"]}
    assert json.loads(results["diff"][1])["cost"]["monthly"]["delta"] > 0
    staged = json.loads((untouched["reports"] / "staged.json").read_text())
    pre_commit = json.loads((untouched["reports"] / "pre-commit.json").read_text())
    assert staged["cost"] == pre_commit["cost"]  # --pre-commit judges the index against HEAD
    changed = {r["address"] for r in staged["cost"]["resources"] if r["change"] != "unchanged"}
    assert changed == {"aws_ebs_volume.v1"}  # the staged edit, not the unstaged or untracked ones
    for name in ("check.sarif", "files.txt", "cost.txt", "diff.md", "commits.sarif"):
        assert (untouched["reports"] / name).stat().st_size > 0, name


def test_the_repository_is_byte_for_byte_as_it_was(untouched):
    before, after = untouched["before"], untouched["after"]
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert changed == []
    git_state = [".git/index", ".git/HEAD", ".git/refs/heads/main", ".git/logs/HEAD", ".git/logs/refs/heads/main",
                 ".git/config"]
    assert all(name in before for name in git_state)
    assert not [k for k in after if k.startswith(".git/") and k.endswith(".lock")]


def test_reports_go_only_where_they_are_told(untouched):
    names = {"check.json", "check.sarif", "files.txt", "cost.txt", "diff.md", "staged.json", "commits.sarif",
             "pre-commit.json"}
    assert {p.name for p in untouched["reports"].iterdir()} == names
    assert not (names & {Path(k).name for k in untouched["after"]})


def test_nothing_in_the_repository_was_executed_or_imported(untouched):
    ran = sorted(p.name for p in untouched["markers"].iterdir())
    assert ran == []
    # The traps themselves work: each writes its marker when it is run.
    repo, markers = untouched["repo"], untouched["markers"]
    try:
        subprocess.run([str(repo / "bin/terraform")], check=True)
        subprocess.run([str(repo / ".git/hooks/post-index-change")], check=True)
        subprocess.run([sys.executable, str(repo / "yaml.py")], check=True)
        assert sorted(p.name for p in markers.iterdir()) == ["bin-terraform", "hook-post-index-change", "yaml.py"]
    finally:
        for path in markers.iterdir():
            path.unlink()


def test_symlinks_leaving_the_repository_are_never_read(untouched):
    for name, (code, out, err) in untouched["results"].items():
        assert "outside_secret" not in out and "x1.32xlarge" not in out, name
    for report in untouched["reports"].iterdir():
        assert "outside_secret" not in report.read_text(), report.name
    notes = {n["file"]: n["message"] for n in json.loads((untouched["reports"] / "check.json").read_text())["notes"]}
    assert "outside the repository" in notes["linked.tf"] and "not followed" in notes["linked-dir"]


def test_plain_python_m_would_import_the_repositorys_modules(tmp_path):
    """Why the action sets PYTHONSAFEPATH: without it `python -m guardrails` imports from the cwd."""
    markers = tmp_path / "markers"
    markers.mkdir()
    repo = write_tree(tmp_path / "repo", {".git/HEAD": "", "yaml.py": py_trap(markers, "yaml.py"),
                                          "k8s.yaml": "kind: ConfigMap\n"})
    env = dict(os.environ, GUARDRAILS_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("PYTHONSAFEPATH", None)
    subprocess.run([sys.executable, "-m", "guardrails", "check"], cwd=repo, env=env, capture_output=True)
    assert [p.name for p in markers.iterdir()] == ["yaml.py"]  # the hazard is real...
    action = yaml.safe_load((REPO / "action.yml").read_text())
    steps = [s for s in action["runs"]["steps"] if "run" in s and ("$py" in s["run"] or "_PYTHON" in s["run"])]
    assert len(steps) >= 3
    for step in steps:  # ...and every step of the action that runs Python in the workspace avoids it
        assert step.get("env", {}).get("PYTHONSAFEPATH") == "1", step.get("name")
        # PYTHONSAFEPATH is ignored before Python 3.11: each interpreter is started isolated too.
        calls = re.findall(r'"\$(?:py|GUARDRAILS_PYTHON)" (-\S+)', step["run"])
        assert calls and all(flag == "-I" for flag in calls), (step.get("name"), calls)
    # -I is what holds where PYTHONSAFEPATH does not: the same trap, the variable unset.
    markers.joinpath("yaml.py").unlink()
    isolated = subprocess.run([sys.executable, "-I", "-m", "guardrails", "check"], cwd=repo, env=env,
                              capture_output=True, text=True)
    assert isolated.returncode == 0, isolated.stderr
    assert not list(markers.iterdir())


# --- symbolic links on disk -------------------------------------------------------------------

def test_links_out_of_the_root_are_reported_and_a_named_one_is_an_error(tmp_path, in_process_cache):
    outside = write_tree(tmp_path / "outside", {"o.tf": 'resource "aws_s3_bucket" "outside" {}\n',
                                                "o.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: out}\n"})
    repo = write_tree(tmp_path / "repo", {".git/HEAD": "", "main.tf": 'resource "aws_s3_bucket" "inside" {}\n'})
    (repo / "linked.yaml").symlink_to(outside / "o.yaml")
    (repo / "dir").symlink_to(outside)
    code, out, _ = run(["check", ".", "--format", "json"], repo)
    report = json.loads(out)
    assert code == 0
    assert {f["resource"] for f in report["findings"]} == {"aws_s3_bucket.inside"}
    assert [(n["file"], n["message"]) for n in report["notes"]] == [
        ("dir", "a symbolic link to outside the repository, not followed"),
        ("linked.yaml", "a symbolic link to outside the repository, not followed"),
    ]
    code, out, _ = run(["check", "linked.yaml", "--format", "json"], repo)
    assert code == 2
    assert [(e["file"], e["message"]) for e in json.loads(out)["errors"]] == [
        ("linked.yaml", "is outside the repository, not read")]


def test_links_that_loop_back_end_the_walk(tmp_path, in_process_cache):
    # Two links to a parent used to make the walk exponential: it never ended.
    repo = write_tree(tmp_path / "repo", {".git/HEAD": "", "sub/main.tf": 'resource "aws_s3_bucket" "b" {}\n',
                                          "k8s/p.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"})
    (repo / "sub/up").symlink_to("..")
    (repo / "sub/again").symlink_to("..")
    (repo / "k8s/self").symlink_to(".")
    (repo / "mirror").symlink_to("sub")  # a second name for a directory is not a loop: still read
    code, out, _ = run(["check", ".", "--format", "json"], repo)
    report = json.loads(out)
    assert code == 0
    assert sorted((f["resource"], f["file"]) for f in report["findings"] if f["rule"] == "owner-tag") == [
        ("aws_s3_bucket.b", "mirror/main.tf"), ("aws_s3_bucket.b", "sub/main.tf")]
    assert sorted(n["file"] for n in report["notes"] if "contains it" in n["message"]) == [
        "k8s/self", "mirror/again", "mirror/up", "sub/again", "sub/up"]
