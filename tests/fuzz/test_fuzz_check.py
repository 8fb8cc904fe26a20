"""`guardrails check` on hostile Terraform, manifests, plans and suppressions, next to good files."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

import strategies as gen
from harness import assert_sane, good_part, make_repo, run_cli

_count = itertools.count()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-check")


@pytest.fixture(scope="module")
def baseline(workdir: Path) -> tuple:
    """What the good files alone give: every fuzzed run must say the same about them."""
    result = run_cli(["check", "--format", "json"], make_repo(workdir / "baseline", {}))
    assert result.code == 1 and result.report is not None, result  # the good files do fail the policy
    part = good_part(result.report)
    assert part[0], "the good files must have findings for the comparison to mean something"
    return part


def _check(workdir: Path, files: dict[str, str | bytes], baseline: tuple, extra: list[str] | None = None,
           stdin: str | None = None) -> None:
    root = make_repo(workdir / f"ex{next(_count)}", files)
    result = run_cli(["check", "--format", "json", *(extra or [])], root, stdin=stdin)
    assert_sane(result, list(files) or ["-"], baseline)


def _corrupt(text: str, byte: bytes) -> bytes:
    """The text with a byte that is not valid UTF-8 in the middle."""
    data = text.encode("utf-8", "surrogatepass")
    return data[: len(data) // 2] + byte + data[len(data) // 2:]


@given(text=gen.hcl_texts())
def test_terraform(workdir: Path, baseline: tuple, text: str) -> None:
    _check(workdir, {"fz/main.tf": text}, baseline)


@given(text=gen.hcl_texts(), byte=st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00"]))
def test_terraform_bytes(workdir: Path, baseline: tuple, text: str, byte: bytes) -> None:
    _check(workdir, {"fz/main.tf": _corrupt(text, byte)}, baseline)


@given(text=gen.hcl_texts(), tfvars=gen.hcl_texts())
def test_terraform_with_tfvars(workdir: Path, baseline: tuple, text: str, tfvars: str) -> None:
    # tfvars are HCL too, read with the module; a second file in the module also adds duplicates.
    _check(workdir, {"fz/main.tf": text, "fz/terraform.tfvars": tfvars, "fz/more.tf": gen.HCL_SEEDS[0]}, baseline)


@given(text=gen.suppressed_hcl())
def test_terraform_suppressions(workdir: Path, baseline: tuple, text: str) -> None:
    _check(workdir, {"fz/main.tf": text}, baseline)


@given(value=gen.plan_object().flatmap(lambda p: gen.wrongify(p, 0.2)))
def test_terraform_json(workdir: Path, baseline: tuple, value: dict) -> None:
    # A .tf.json file holds configuration, not a plan: a plan-shaped one is mistyped configuration.
    import json

    _check(workdir, {"fz/main.tf.json": json.dumps(value)}, baseline)


@given(text=gen.yaml_texts())
def test_manifests(workdir: Path, baseline: tuple, text: str) -> None:
    _check(workdir, {"fz/k8s.yaml": text}, baseline)


@given(text=gen.yaml_texts())
def test_manifests_stdin(workdir: Path, baseline: tuple, text: str) -> None:
    _check(workdir, {}, baseline, ["-", "good"], stdin=text)


@given(text=gen.plan_texts())
def test_plans(workdir: Path, baseline: tuple, text: str) -> None:
    _check(workdir, {"fz/plan.json": text}, baseline)


@given(text=gen.plan_texts())
def test_plans_stdin(workdir: Path, baseline: tuple, text: str) -> None:
    _check(workdir, {}, baseline, ["-", "good"], stdin=text)


@given(text=st.one_of(gen.hcl_texts(), gen.yaml_texts()), fmt=st.sampled_from(["text", "sarif", "junit", "github", "gitlab", "markdown"]))
def test_every_format(workdir: Path, text: str, fmt: str) -> None:
    # Reporters see whatever strings the loaders let through: names, messages, unicode.
    root = make_repo(workdir / f"ex{next(_count)}", {"fz/main.tf": text, "fz/k8s.yaml": text})
    result = run_cli(["check", "--format", fmt], root)
    assert "Traceback" not in result.err and result.code in (0, 1, 2), result
