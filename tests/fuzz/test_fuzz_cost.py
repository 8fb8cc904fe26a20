"""`guardrails cost` on hostile configuration, plans, manifests and usage files."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given

import strategies as gen
from harness import assert_sane, good_part, make_repo, run_cli

_count = itertools.count()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-cost")


@pytest.fixture(scope="module")
def baseline(workdir: Path) -> tuple:
    result = run_cli(["cost", "--format", "json"], make_repo(workdir / "baseline", {}))
    assert result.code in (0, 1) and result.report is not None, result
    part = good_part(result.report)
    assert part[1], "the good files must be priced for the comparison to mean something"
    return part


def _cost(workdir: Path, files: dict[str, str], baseline: tuple | None, extra: list[str] | None = None,
          stdin: str | None = None) -> None:
    root = make_repo(workdir / f"ex{next(_count)}", files)
    result = run_cli(["cost", "--format", "json", *(extra or [])], root, stdin=stdin)
    assert_sane(result, list(files) or ["-"], baseline)


@given(text=gen.hcl_texts())
def test_terraform(workdir: Path, baseline: tuple, text: str) -> None:
    _cost(workdir, {"fz/main.tf": text}, baseline)


@given(text=gen.yaml_texts())
def test_manifests(workdir: Path, baseline: tuple, text: str) -> None:
    _cost(workdir, {"fz/k8s.yaml": text}, baseline)


@given(text=gen.plan_texts())
def test_plans(workdir: Path, baseline: tuple, text: str) -> None:
    _cost(workdir, {"fz/plan.json": text}, baseline)


@given(text=gen.plan_texts())
def test_plans_stdin(workdir: Path, baseline: tuple, text: str) -> None:
    _cost(workdir, {}, baseline, ["-", "good"], stdin=text)


@given(usage=gen.usage_texts(), text=gen.hcl_texts())
def test_usage_files(workdir: Path, baseline: tuple, usage: str, text: str) -> None:
    # The usage file is the one named in errors; the good files name no usage-priced component.
    _cost(workdir, {"fz/usage.yaml": usage, "fz/main.tf": text}, baseline, ["--usage", "fz/usage.yaml"])
