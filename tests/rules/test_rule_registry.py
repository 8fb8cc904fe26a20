"""The typed rule registry: every type declares itself, options are typed and checked at load."""
import dataclasses
import textwrap
from pathlib import Path

import pytest

from guardrails.core.policy import RuleConfig
from guardrails.policy.load import load_policy
from guardrails.rules import registry

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", registry.names())
def test_every_type_declares_targets_cost_and_typed_options(name):
    kind = registry.rule_type(name)
    assert kind.name == name and kind.targets <= {"terraform", "kubernetes"} and kind.targets
    assert dataclasses.is_dataclass(kind.module.Options)
    assert "## What it does" in kind.doc and "## Why is this bad?" in kind.doc  # `guardrails explain` prints it


def test_the_schema_names_exactly_the_registered_types():
    from guardrails.policy.validate import schema

    rule = schema()["$defs"]["rule"]
    assert rule["properties"]["type"]["enum"] == registry.names()
    assert [branch["if"]["properties"]["type"]["const"] for branch in rule["allOf"]] == registry.names()
    assert all(f"rule-{name}" in schema()["$defs"] for name in registry.names())


def test_only_cost_rules_need_prices():
    rules = [RuleConfig(id=name, type=name) for name in registry.names()] + [RuleConfig(id="x", type="nonsense")]
    assert [rule.type for rule in registry.cost_rules(rules)] == ["cost"]
    assert registry.find("nonsense") is None
    with pytest.raises(registry.UnknownRuleType, match="known types: attribute, cost"):
        registry.rule_type("nonsense")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "p.yaml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def test_options_are_parsed_once_at_load_and_typed(tmp_path):
    policy = load_policy([write(tmp_path, """
        version: 1
        rules:
          - {id: sizes, type: instance-size, max_size: xlarge, deny: ["*.metal"]}
          - {id: tags, type: required-tags, tags: [owner]}
        """)], root=tmp_path)
    sizes, tags = policy.rules
    assert sizes.parsed.max_size == "xlarge" and sizes.parsed.deny == ("*.metal",) and sizes.parsed.max_rank
    assert tags.parsed.tags == ("owner",)


def test_a_rule_replaced_by_a_later_file_is_parsed_as_it_ends_up(tmp_path):
    (tmp_path / "base.yaml").write_text("version: 1\nrules:\n  - {id: sizes, type: instance-size, max_size: metal}\n")
    policy = load_policy([write(tmp_path, """
        version: 1
        extends: [base.yaml]
        rules:
          - {id: sizes, type: instance-size, max_size: large}
        """)], root=tmp_path)
    (sizes,) = policy.rules
    assert sizes.parsed.max_size == "large"


def test_a_rule_built_in_code_gets_its_options_parsed_when_it_runs():
    rule = RuleConfig(id="sizes", type="instance-size", options={"max_size": "huge"})
    with pytest.raises(ValueError, match="rule sizes: max_size 'huge' is not a size"):
        registry.options_of(rule)


def test_nothing_outside_the_registry_decides_by_a_rule_types_name():
    offenders = []
    for path in (REPO / "guardrails").rglob("*.py"):
        if path.name == "registry.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "rule.type ==" in line or "rule.type in " in line or "rule.type !=" in line:
                offenders.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert offenders == []
