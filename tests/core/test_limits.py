"""Hostile and runaway input ends in bounded time and memory, and a hit limit names its setting.

The heavy cases run in a subprocess that reports its own peak memory (VmHWM), so a blow-up
shows as a failed bound instead of taking the test run down; the subprocess timeout is only a
guard against a hang, never a measure.
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from guardrails.core.limits import DEFAULT_LIMITS, MIB, Limits, over_size
from guardrails.core.model import Unknown
from guardrails.policy.load import PolicyError, load_policy
from guardrails.app.scan import Loaded, load_paths, load_text
from guardrails.files.trees import DiskTree

POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: x}]\n"
GUARD_SECONDS = 240  # a hang, not a slow machine, should trip this

# Loads a directory like `guardrails check` does and prints what came of it and the peak memory.
_PROBE = textwrap.dedent("""
    import json, resource, sys
    from pathlib import Path
    from guardrails.core.limits import Limits
    from guardrails.app.scan import load_paths
    from guardrails.files.trees import DiskTree

    def peak_mib():
        # ru_maxrss survives exec on Linux, so it would report pytest's own size at the fork;
        # VmHWM belongs to this process's address space alone.
        try:
            for line in Path("/proc/self/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    loaded = load_paths(DiskTree(Path(sys.argv[1])), [""], limits=Limits(**json.loads(sys.argv[2])))
    print(json.dumps({
        "resources": len(loaded.resources),
        "errors": [[e.file, e.line, e.message] for e in loaded.errors],
        "peak_mib": peak_mib(),
    }))
""")


def _probe(root: Path, **limits: object) -> dict:
    done = subprocess.run([sys.executable, "-c", _PROBE, str(root), json.dumps(limits)],
                          capture_output=True, text=True, timeout=GUARD_SECONDS, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _baseline_mib(tmp_path: Path) -> float:
    """Peak memory of a probe that reads nothing: what the bounds below are measured against."""
    if not _BASELINE:
        empty = tmp_path / "empty"
        empty.mkdir()
        _BASELINE.append(_probe(empty)["peak_mib"])
    return _BASELINE[0]


_BASELINE: list[float] = []


def _load(root: Path, **limits: object) -> Loaded:
    return load_paths(DiskTree(root), [""], limits=Limits(**limits))


def _messages(loaded: Loaded) -> list[tuple[str, int, str]]:
    return [(e.file, e.line, e.message) for e in loaded.errors]


# --- the settings ---------------------------------------------------------------------------

def _policy(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def test_a_policy_without_limits_gets_the_defaults(tmp_path):
    policy = load_policy([_policy(tmp_path, "p.yaml", "version: 1\nsettings: {region: eu-west-1}\n")], tmp_path)
    assert policy.settings.limits == DEFAULT_LIMITS == Limits(
        max_file_mib=64, max_manifest_mib=16, max_hcl_mib=1, max_yaml_depth=500, max_yaml_nodes=2_000_000)


def test_limits_merge_key_by_key_and_stay_out_of_other_settings(tmp_path):
    _policy(tmp_path, "base.yaml", """
        version: 1
        settings:
          limits: {max_hcl_mib: 2.5, max_yaml_depth: 50}
    """)
    team = _policy(tmp_path, "team.yaml", """
        version: 1
        extends: [base.yaml]
        settings:
          limits: {max_yaml_depth: 100, max_yaml_nodes: 5000}
    """)
    settings = load_policy([team], tmp_path).settings
    assert settings.limits == Limits(max_hcl_mib=2.5, max_yaml_depth=100, max_yaml_nodes=5000)
    assert "limits" not in settings.other


def test_bad_limits_are_policy_errors_at_their_line(tmp_path):
    path = _policy(tmp_path, "p.yaml", """
        version: 1
        settings:
          limits:
            max_file_mib: 0
            max_yaml_depth: 5000
            max_yaml_nodes: 2.5
            max_manifest_mb: 8
    """)
    with pytest.raises(PolicyError) as caught:
        load_policy([path], tmp_path)
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (4, "settings.limits.max_file_mib: 0 is less than or equal to the minimum of 0"),
        (5, "settings.limits.max_yaml_depth: 5000 is greater than the maximum of 800"),
        (6, "settings.limits.max_yaml_nodes: expected an integer, got 2.5"),
        (7, ("settings.limits.max_manifest_mb: unknown key 'max_manifest_mb' "
             "(did you mean 'max_manifest_mib'?)")),
    ]


def test_size_messages_name_the_limit_and_never_round_down_to_it():
    assert over_size(50 * MIB, "manifest", 16, "max_manifest_mib") == (
        "a 50 MiB manifest is over the 16 MiB limit (settings.limits.max_manifest_mib)")
    assert over_size(16 * MIB + 1, "manifest", 16, "max_manifest_mib").startswith("a 16.01 MiB")
    assert "over the 0.5 MiB limit" in over_size(MIB, "file", 0.5, "max_file_mib")


# --- size limits ----------------------------------------------------------------------------

def test_a_50_mb_manifest_is_refused_without_being_read(tmp_path):
    with open(tmp_path / "huge.yaml", "w", encoding="utf-8") as handle:
        handle.write((POD + "---\n") * (50 * MIB // len(POD + "---\n") + 1))
    (tmp_path / "ok.yaml").write_text(POD)
    result = _probe(tmp_path)
    assert result["errors"] == [[
        "huge.yaml", 0, ("a 50 MiB manifest is over the 16 MiB limit "
                         "(settings.limits.max_manifest_mib), not read (split it into several files)")]]
    assert result["resources"] == 1  # the other file is still checked
    # Refused from its size on disk: not even its bytes are read (YAML would need over 1 GB).
    assert result["peak_mib"] < _baseline_mib(tmp_path) + 30


def test_the_manifest_limit_is_a_setting_and_covers_stdin(tmp_path):
    text = "---\n".join([POD] * (MIB // 4 // len(POD)))  # about 0.25 MiB
    (tmp_path / "pods.yaml").write_text(text)
    assert not _load(tmp_path).errors
    [(file, line, message)] = _messages(_load(tmp_path, max_manifest_mib=0.125))
    assert (file, line) == ("pods.yaml", 0)
    assert "over the 0.12 MiB limit (settings.limits.max_manifest_mib)" in message
    loaded = Loaded()
    load_text(text, "-", loaded, Limits(max_manifest_mib=0.125))
    assert [e.file for e in loaded.errors] == ["-"] and not loaded.resources


@pytest.mark.parametrize("name", ["plan.json", "main.tf.json", "pods.yaml"])
def test_any_file_over_max_file_mib_is_refused(tmp_path, name):
    (tmp_path / name).write_text(" " * (MIB // 2) + "{}")
    [(file, line, message)] = _messages(_load(tmp_path, max_file_mib=0.25, max_manifest_mib=0.25))
    assert (file, line) == (name, 0)
    assert "over the 0.25 MiB limit (settings.limits.max_file_mib)" in message


def test_stdin_over_max_file_mib_is_refused():
    loaded = Loaded()
    load_text('{"format_version": "1.2", "resource_changes": []}' + " " * MIB, "-", loaded,
              Limits(max_file_mib=0.5))
    assert [(e.file, e.line) for e in loaded.errors] == [("-", 0)]
    assert "(settings.limits.max_file_mib), not read" in loaded.errors[0].message


def test_an_hcl_file_over_max_hcl_mib_is_refused_before_parsing(tmp_path):
    (tmp_path / "main.tf").write_text('resource "aws_instance" "a" {\n  instance_type = "t3.micro"\n}\n')
    (tmp_path / "big.tf").write_text("locals {\n  a = [" + ", ".join(["0"] * 200_000) + "]\n}\n")
    loaded = _load(tmp_path, max_hcl_mib=0.5)
    assert _messages(loaded) == [(
        "big.tf", 0, "cannot read: a 0.57 MiB HCL file is over the 0.5 MiB limit (settings.limits.max_hcl_mib)")]
    assert [r.address for r in loaded.resources] == ["aws_instance.a"]


def test_a_50_mb_plan_loads(tmp_path):
    change = ('{"address": "aws_instance.w%d", "mode": "managed", "type": "aws_instance", '
              '"name": "w%d", "provider_name": "registry.terraform.io/hashicorp/aws", '
              '"change": {"actions": ["create"], "before": null, "after": {"instance_type": '
              '"t3.micro", "user_data": "' + "x" * 1000 + '"}, "after_unknown": {"id": true}}}')
    count = 50 * MIB // len(change) + 1
    with open(tmp_path / "plan.json", "w", encoding="utf-8") as handle:
        handle.write('{"format_version": "1.2", "resource_changes": [\n')
        handle.write(",\n".join(change % (i, i) for i in range(count)))
        handle.write("\n]}\n")
    assert (tmp_path / "plan.json").stat().st_size > 50 * MIB
    result = _probe(tmp_path)
    assert (result["resources"], result["errors"]) == (count, [])
    assert result["peak_mib"] < _baseline_mib(tmp_path) + 1024


# --- YAML structure limits --------------------------------------------------------------------

BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8))


def test_an_alias_bomb_is_refused_before_it_expands(tmp_path):
    (tmp_path / "bomb.yaml").write_text(BOMB)  # a billion x once expanded
    result = _probe(tmp_path)
    [[file, line, message]] = result["errors"]
    assert (file, line) == ("bomb.yaml", 7)  # the line of the alias that would go over
    assert message == ("aliases expand to more than 2000000 nodes (an alias bomb?) "
                       "(settings.limits.max_yaml_nodes); the rest of the file is not read")
    assert result["peak_mib"] < _baseline_mib(tmp_path) + 400  # expanded, it would need tens of GB


def test_raising_max_yaml_nodes_lets_a_small_alias_fan_out_through(tmp_path):
    (tmp_path / "fan.yaml").write_text("a: &a [1, 2, 3]\nb: [*a, *a, *a, *a]\n")
    [(_, line, message)] = _messages(_load(tmp_path, max_yaml_nodes=10))
    assert line == 2 and "(settings.limits.max_yaml_nodes)" in message
    assert not _load(tmp_path, max_yaml_nodes=21).errors


@pytest.mark.parametrize("deep", [
    "[" * 5000 + "]" * 5000,
    "{a: " * 5000 + "1" + "}" * 5000,
    "\n" + "".join(" " * (2 + level) + "a:\n" for level in range(5000)),
], ids=["flow-lists", "flow-maps", "block-maps"])
def test_yaml_nested_5000_deep_is_refused_at_max_yaml_depth(tmp_path, deep):
    (tmp_path / "deep.yaml").write_text(POD + "  deep: " + deep + "\n")
    (tmp_path / "ok.yaml").write_text(POD.replace("name: p", "name: q"))
    loaded = _load(tmp_path)
    [(file, line, message)] = _messages(loaded)
    assert file == "deep.yaml" and line >= 5
    assert message == ("nesting deeper than 500 levels (settings.limits.max_yaml_depth); "
                       "the rest of the file is not read")
    assert [r.address for r in loaded.resources] == ["Pod/default/q"]


def test_max_yaml_depth_is_a_setting(tmp_path):
    (tmp_path / "pod.yaml").write_text(POD + "  deep: " + "[" * 20 + "]" * 20 + "\n")
    assert not _load(tmp_path).errors
    [(_, _, message)] = _messages(_load(tmp_path, max_yaml_depth=10))
    assert message.startswith("nesting deeper than 10 levels (settings.limits.max_yaml_depth)")


# --- HCL nesting ------------------------------------------------------------------------------

def _deep_resource(expression: str) -> str:
    return f'resource "aws_instance" "a" {{\n  instance_type = "t3.micro"\n  tags = {expression}\n}}\n'


@pytest.mark.parametrize("expression", [
    "[" * 5000 + "]" * 5000,
    "(" * 5000 + "{}" + ")" * 5000,
], ids=["tuples", "parentheses"])
def test_hcl_nested_5000_deep_is_unknown_not_a_crash(tmp_path, expression):
    (tmp_path / "main.tf").write_text(_deep_resource(expression))
    loaded = _load(tmp_path)
    assert [(e.file, e.line, e.message) for e in loaded.errors] == [
        ("main.tf", 3, "an expression nested more than 200 levels deep")]
    [resource] = loaded.resources
    assert resource.attrs["instance_type"] == "t3.micro"
    assert isinstance(resource.attrs["tags"], Unknown)


def test_hcl_object_nested_5000_deep_is_unknown_not_a_crash(tmp_path):
    (tmp_path / "main.tf").write_text(_deep_resource("{a = " * 5000 + "1" + "}" * 5000))
    loaded = _load(tmp_path)
    assert [(e.line, e.message) for e in loaded.errors] == [(3, "an expression nested more than 200 levels deep")]
    assert isinstance(loaded.resources[0].attrs["tags"], Unknown)


# --- one long line --------------------------------------------------------------------------

def test_a_1_mb_single_line_file_loads(tmp_path):
    blob = "x" * 1_000_000
    (tmp_path / "main.tf").write_text(
        f'resource "aws_instance" "a" {{ user_data = "{blob}" }}')
    (tmp_path / "config.yaml").write_text(
        f"{{apiVersion: v1, kind: ConfigMap, metadata: {{name: big}}, data: {{blob: {blob}}}}}")
    (tmp_path / "list.json").write_text(json.dumps({
        "apiVersion": "v1", "kind": "List", "items": [
            {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big"}, "data": {"blob": blob}},
        ]}))
    loaded = _load(tmp_path)
    assert not loaded.errors
    located = {(r.address, r.location.file, r.location.line) for r in loaded.resources}
    assert located == {("aws_instance.a", "main.tf", 1), ("ConfigMap/default/big", "config.yaml", 1),
                       ("ConfigMap/default/big", "list.json", 1)}
    assert all(len(r.attrs.get("user_data") or r.attrs["data"]["blob"]) == 1_000_000
               for r in loaded.resources)


# --- a million elements ---------------------------------------------------------------------

def test_a_million_element_yaml_list_stops_at_max_yaml_nodes(tmp_path):
    (tmp_path / "list.yaml").write_text(POD + "  items: [" + ", ".join(["0"] * 1_000_000) + "]\n")
    result = _probe(tmp_path, max_yaml_nodes=100_000)
    [[file, line, message]] = result["errors"]
    assert (file, line) == ("list.yaml", 6)
    assert message == ("more than 100000 nodes (settings.limits.max_yaml_nodes); "
                       "the rest of the file is not read")
    assert result["peak_mib"] < _baseline_mib(tmp_path) + 200


def test_a_million_element_list_in_a_plan_loads(tmp_path):
    plan = {"format_version": "1.2", "resource_changes": [{
        "address": "aws_instance.a", "mode": "managed", "type": "aws_instance", "name": "a",
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": {"actions": ["create"], "before": None,
                   "after": {"instance_type": "t3.micro", "ids": list(range(1_000_000))},
                   "after_unknown": {}}}]}
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    loaded = _load(tmp_path)
    assert not loaded.errors
    assert len(loaded.resources[0].attrs["ids"]) == 1_000_000


def test_a_million_element_hcl_tuple_is_refused_at_max_hcl_mib(tmp_path):
    (tmp_path / "main.tf").write_text("locals {\n  a = [" + ", ".join(["0"] * 1_000_000) + "]\n}\n")
    [(file, line, message)] = _messages(_load(tmp_path))
    assert (file, line) == ("main.tf", 0)
    assert message == ("cannot read: a 2.86 MiB HCL file is over the 1 MiB limit "
                       "(settings.limits.max_hcl_mib)")
