"""The package ships everything it reads at run time."""
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_every_subpackage_is_listed_for_installation():
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "guardrails").rglob("__init__.py")}
    assert found | {"guardrails.packs"} == listed
    assert config["package-dir"] == {"guardrails.packs": "policies"}


def test_bundled_packs_are_the_reference_policies():
    from guardrails.policy.load import builtin_packs

    assert set(builtin_packs()) == {p.stem for p in (REPO / "policies").glob("*.yaml")} >= {"default", "production"}
