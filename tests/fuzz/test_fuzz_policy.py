"""Hostile policy files: `policy validate`, and `check`/`cost` run with them."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

import strategies as gen
from harness import assert_sane, make_repo, run_cli

_count = itertools.count()
POLICY = "fz/policy.yaml"
# An error may name the policy or a file it extends (the generator extends these).
NAMED = [POLICY, ".guardrails.yaml", "fz/", "/etc/passwd", "missing.yaml"]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-policy")


def _repo(workdir: Path, policy: str, extra: dict[str, str] | None = None) -> Path:
    return make_repo(workdir / f"ex{next(_count)}", {POLICY: policy, **(extra or {})})


@given(policy=gen.policy_texts())
def test_validate(workdir: Path, policy: str) -> None:
    result = run_cli(["policy", "validate", POLICY], _repo(workdir, policy))
    assert "Traceback" not in result.err and result.code in (0, 2), result
    if result.code == 0:
        assert result.out.strip() == "1 policy valid", result
    else:
        assert_sane(result, NAMED)


@given(policy=gen.policy_texts(), command=st.sampled_from(["check", "cost"]))
def test_commands(workdir: Path, policy: str, command: str) -> None:
    root = _repo(workdir, policy, {"fz/main.tf": gen.HCL_SEEDS[1], "fz/k8s.yaml": gen.ANCHOR_SEEDS[0]})
    result = run_cli([command, "--format", "json", "--policy", POLICY], root)
    assert_sane(result, NAMED)


@given(policy=gen.policy_texts())
def test_as_repository_default(workdir: Path, policy: str) -> None:
    # .guardrails.yaml at the root is read without --policy; its errors must name it.
    root = make_repo(workdir / f"ex{next(_count)}", {}, policy=policy)
    result = run_cli(["check", "--format", "json"], root)
    assert_sane(result, NAMED)


@given(policy=gen.policy_texts())
def test_validate_agrees_with_check(workdir: Path, policy: str) -> None:
    """A policy `validate` accepts runs; one it rejects stops `check` with the same file named."""
    root = _repo(workdir, policy)
    validated = run_cli(["policy", "validate", POLICY], root)
    checked = run_cli(["check", "--format", "json", "--policy", POLICY, "good"], root)
    assert_sane(checked, NAMED)
    if validated.code == 2:
        assert checked.code == 2 and checked.report is None, (validated, checked)
