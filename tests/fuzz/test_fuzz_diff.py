"""`guardrails diff` with a hostile file on the head (working tree) or on the base (a commit)."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

import strategies as gen
from harness import assert_sane, good_part, make_repo, run_cli, write_files

# Committed on the base and left as they are unless an example changes them.
SEEDS = {"fz/main.tf": gen.HCL_SEEDS[0], "fz/k8s.yaml": gen.ANCHOR_SEEDS[0], "fz/plan.json": '{"format_version": "1.2"}\n'}
# A harmless edit puts the good files into the change, so their findings are in every report.
TOUCH = "\n# touched\n"


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=fuzz", "-c", "user.email=fuzz@example.invalid", "-c", "commit.gpgsign=false",
                    *args], cwd=root, check=True, capture_output=True)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz-diff")
    _git(root, "init", "-q", "-b", "main")
    make_repo(root, SEEDS)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    (root / "good/main.tf").write_text((root / "good/main.tf").read_text() + TOUCH)
    return root


def _reset(root: Path) -> None:
    write_files(root, SEEDS)


@pytest.fixture(scope="module")
def baseline(repo: Path) -> tuple:
    _reset(repo)
    result = run_cli(["diff", "--base", "HEAD", "--format", "json"], repo)
    assert result.report is not None and result.code in (0, 1), result
    part = good_part(result.report)
    assert part[0], "the good files must have findings for the comparison to mean something"
    return part


@settings(max_examples=max(4, settings().max_examples // 2))
@given(name=st.sampled_from(sorted(SEEDS)), data=st.data())
def test_head(repo: Path, baseline: tuple, name: str, data: st.DataObject) -> None:
    strategy = {"fz/main.tf": gen.hcl_texts(), "fz/k8s.yaml": gen.yaml_texts(), "fz/plan.json": gen.plan_texts()}[name]
    _reset(repo)
    write_files(repo, {name: data.draw(strategy)})
    try:
        result = run_cli(["diff", "--base", "HEAD", "--format", "json"], repo)
    finally:
        _reset(repo)
    assert_sane(result, [name], baseline)


@settings(max_examples=max(3, settings().max_examples // 4))
@given(text=st.one_of(gen.hcl_texts(), gen.suppressed_hcl()), usage=st.one_of(st.none(), gen.usage_texts()))
def test_base_commit(tmp_path_factory: pytest.TempPathFactory, text: str, usage: str | None) -> None:
    """The hostile file is the base; the head is a good one. The base's problems are notes."""
    root = tmp_path_factory.mktemp("fuzz-diff-base")
    _git(root, "init", "-q", "-b", "main")
    make_repo(root, {"fz/main.tf": text})
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    write_files(root, {"fz/main.tf": gen.HCL_SEEDS[1], **({"fz/usage.yaml": usage} if usage else {})})
    result = run_cli(["diff", "--base", "HEAD", "--format", "json", *(["--usage", "fz/usage.yaml"] if usage else [])], root)
    assert_sane(result, ["fz/main.tf", "fz/usage.yaml"])
