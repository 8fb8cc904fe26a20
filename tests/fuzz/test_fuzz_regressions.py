"""Every input that ever broke the CLI, replayed through the same invariants as the fuzzers.

The file name says what the input is and where it goes:
  *.tf -> fz/main.tf, *.tfvars -> fz/terraform.tfvars, *.k8s.yaml -> fz/k8s.yaml,
  *.plan.json -> fz/plan.json (also on stdin), *.policy.yaml -> --policy, *.usage.yaml -> --usage.
"""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest

import strategies as gen
from harness import assert_sane, good_part, make_repo, run_cli

HERE = Path(__file__).parent / "regressions"
_count = itertools.count()

# Inputs whose fix lies in a file this suite's authors do not own: strict, so that the fix
# turns the test red until the mark goes.
KNOWN: dict[str, str] = {}


def _runs(name: str, data: bytes) -> list[tuple[list[str], dict[str, str | bytes], str | None]]:
    """(arguments, files, stdin) of each run that replays one input."""
    text = data.decode("utf-8", "replace")  # stdin is text; files keep their exact bytes
    if name.endswith(".policy.yaml"):
        files = {"fz/policy.yaml": data}
        return [([c, "--policy", "fz/policy.yaml"], files, None) for c in ("check", "cost")]
    if name.endswith(".usage.yaml"):
        return [(["cost", "--usage", "fz/usage.yaml"], {"fz/usage.yaml": data, "fz/main.tf": gen.HCL_SEEDS[4]}, None)]
    if name.endswith(".plan.json"):
        return [([c], {"fz/plan.json": data}, None) for c in ("check", "cost")] + [(["check", "-", "good"], {}, text)]
    if name.endswith(".k8s.yaml"):
        return [([c], {"fz/k8s.yaml": data}, None) for c in ("check", "cost")] + [(["check", "-", "good"], {}, text)]
    if name.endswith(".tfvars"):
        return [([c], {"fz/terraform.tfvars": data, "fz/main.tf": gen.HCL_SEEDS[0]}, None) for c in ("check", "cost")]
    if name.endswith(".tf"):
        return [([c], {"fz/main.tf": data}, None) for c in ("check", "cost")]
    raise AssertionError(f"regressions/{name}: the name says nothing of where it goes")


def _cases() -> list:
    cases = []
    for path in sorted(HERE.iterdir()):
        marks = [pytest.mark.xfail(strict=True, reason=KNOWN[path.name])] if path.name in KNOWN else []
        cases.append(pytest.param(path.name, marks=marks, id=path.name))
    return cases


@pytest.fixture(scope="module")
def baselines(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    root = make_repo(tmp_path_factory.mktemp("regressions") / "baseline", {})
    return {command: good_part(run_cli([command, "--format", "json"], root).report) for command in ("check", "cost")}


def test_every_known_input_is_here() -> None:
    import fnmatch

    from harness import KNOWN_BUGS

    names = {p.name for p in HERE.iterdir()}
    assert set(KNOWN) <= names
    # a bug the fuzzers pass over is one a regression here still replays
    assert all(fnmatch.filter(KNOWN, pattern) for pattern in KNOWN_BUGS)


@pytest.mark.parametrize("name", _cases())
def test_replay(tmp_path_factory: pytest.TempPathFactory, baselines: dict[str, tuple], name: str) -> None:
    for args, files, stdin in _runs(name, (HERE / name).read_bytes()):
        root = make_repo(tmp_path_factory.mktemp("replay") / f"r{next(_count)}", files)
        result = run_cli([*args, "--format", "json"], root, stdin=stdin)
        # A policy of its own changes the findings of the good files; nothing else may.
        baseline = None if "--policy" in args else baselines[args[0]]
        assert_sane(result, list(files) or ["-"], baseline, pass_known=False)
