"""Shared helpers: write small repositories into tmp dirs and load them like the CLI does."""
from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Mapping

import pytest

from guardrails.terraform.loader import TerraformOptions, load_terraform
from guardrails.files.trees import DiskTree, select

FIXTURES = Path(__file__).parent / "fixtures"


def write_tree(root: Path, files: Mapping[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def load_tf(root: Path, paths: list[str] | None = None, **options: object):
    tree = DiskTree(root)
    selection = select(tree, paths or [""])
    return load_terraform(tree, sorted(selection.terraform_dirs), TerraformOptions(**options))


def by_address(result) -> dict:
    return {r.address: r for r in result.resources}


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests never write into the user's cache; the grammar cache is shared by the session.
    monkeypatch.setenv("GUARDRAILS_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
    # Nor do they take a region from the machine's environment (a CI runner on AWS sets AWS_REGION).
    from guardrails.core.regions import ENVIRONMENT_REGION_VARIABLES

    for names in ENVIRONMENT_REGION_VARIABLES.values():
        for name in names:
            monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _usage_keys_are_declared(monkeypatch: pytest.MonkeyPatch) -> None:
    # The usage file loader refuses keys that guardrails/pricing/usage_keys.py does not list for
    # a type, so a cost model that reads an unlisted key would make a valid usage entry an error:
    # every test that prices something checks the table against what the models read.
    from guardrails.core.usage import Usage
    from guardrails.pricing.usage_keys import keys_of

    original = Usage.get

    def get(self: Usage, resource, key: str):
        assert key in keys_of(resource.type), (
            f"the cost model of {resource.type} reads the usage key {key!r}, "
            f"which guardrails/pricing/usage_keys.py does not list for it")
        return original(self, resource, key)

    monkeypatch.setattr(Usage, "get", get)


def run_policy(root: Path, policy_yaml: str, today: str = "2026-11-28"):
    """Load `root` and check it with the policy text, as `guardrails check` does."""
    import datetime as dt

    from guardrails.engine import run as engine
    from guardrails.policy.load import load_policy
    from guardrails.app.scan import load_paths

    policy_file = root / ".test-policy.yaml"
    policy_file.write_text(textwrap.dedent(policy_yaml).lstrip("\n"), encoding="utf-8")
    policy = load_policy([policy_file], root)
    loaded = load_paths(DiskTree(root), [""])
    return engine.check(policy, loaded.resources, dt.date.fromisoformat(today))


def summary(findings) -> list[tuple]:
    """(resource, path, severity, status) per finding: what a test usually asserts."""
    return [(f.resource, f.path, f.severity, f.status) for f in findings]


REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"


def run(args, cwd: Path, stdin: str | None = None):
    """The real CLI entry point in-process: (exit code, stdout, stderr)."""
    import os

    from click.testing import CliRunner

    from guardrails.cli.main import main

    runner = CliRunner()
    previous = os.getcwd()
    environment = dict(os.environ)  # a run must leave the process as it found it
    os.chdir(cwd)
    try:
        with runner.isolation(input=stdin) as streams:
            try:
                main(list(args))
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            out, err = streams[0].getvalue().decode(), streams[1].getvalue().decode()
    finally:
        os.chdir(previous)
        os.environ.clear()
        os.environ.update(environment)
        _forget_cache_settings()
        from guardrails.providers.kubernetes import configure_workloads

        configure_workloads(None)  # a run's own workload kinds end with it
    return code, out, err


def _forget_cache_settings() -> None:
    """The CLI configures the cache for its run (--no-cache); the next test reads its own environment."""
    from guardrails.files import cache

    cache._configured.clear()
    cache.cache_dir.cache_clear()


@pytest.fixture
def example_repo(tmp_path: Path) -> Path:
    """A copy of examples/ inside a repository root of its own."""
    import shutil

    shutil.copytree(EXAMPLES, tmp_path / "examples")
    (tmp_path / ".git").mkdir()
    return tmp_path


def kube(obj, lines=None):
    """A Kubernetes resource built by hand, for rule and cost model tests."""
    from guardrails.core.model import Location, Resource

    return Resource(
        address=f"{obj['kind']}/default/{obj['metadata']['name']}",
        type=obj["kind"],
        kind="kubernetes",
        location=Location("k8s.yaml", 1, 30),
        attrs=obj,
        lines=lines or {},
        provider="kubernetes",
    )
