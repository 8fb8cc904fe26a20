"""YAML with line numbers: values, paths, lines, limits and errors."""
from __future__ import annotations

import json
import textwrap
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from guardrails.core.paths import join_path
from guardrails.files.yamllines import (
    YamlError,
    YamlLimitError,
    load_documents,
    load_documents_partial,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "k8s"


def load(text: str, **limits: int):
    return load_documents(textwrap.dedent(text).lstrip("\n"), "f.yaml", **limits)


def test_values_and_the_line_of_every_key_and_item():
    [doc] = load("""
        name: web
        spec:
          replicas: 3
          containers:
            - name: api
              ports:
                - 80
                - 443
            - {name: proxy}
        """)
    assert doc.value == {
        "name": "web",
        "spec": {"replicas": 3, "containers": [{"name": "api", "ports": [80, 443]}, {"name": "proxy"}]},
    }
    assert doc.lines == {
        "name": 1,
        "spec": 2,
        "spec.replicas": 3,
        "spec.containers": 4,
        "spec.containers[0]": 5,
        "spec.containers[0].name": 5,
        "spec.containers[0].ports": 6,
        "spec.containers[0].ports[0]": 7,
        "spec.containers[0].ports[1]": 8,
        "spec.containers[1]": 9,
        "spec.containers[1].name": 9,
    }
    assert (doc.start_line, doc.end_line) == (1, 9)


def test_keys_that_are_not_plain_names_are_written_in_brackets():
    [doc] = load("""
        metadata:
          annotations:
            guardrails.dev/ignore: "x"
            app/name: y
        "a b": 1
        "": 2
        80: 3
        'say "hi"': 4
        """)
    assert doc.lines['metadata.annotations["guardrails.dev/ignore"]'] == 3
    assert doc.lines["metadata.annotations.app/name"] == 4
    assert doc.lines['["a b"]'] == 5
    assert doc.lines['[""]'] == 6
    assert doc.lines['["80"]'] == 7
    assert doc.lines['["say \\"hi\\""]'] == 8
    assert doc.value[80] == 3


def test_join_path_spells_paths_as_lines_do():
    assert join_path("", "spec") == "spec"
    assert join_path("spec", "replicas") == "spec.replicas"
    assert join_path("max", "limits.cpu") == 'max["limits.cpu"]'
    assert join_path("", "x.y") == '["x.y"]'
    assert join_path("ports", 80) == 'ports["80"]'


def test_yaml_1_1_scalars_as_safe_load_reads_them():
    text = "a: yes\nb: off\nc: 0x1F\nd: 1_000\ne: 1.5e+3\nf: ~\ng: 2024-01-02\nh: '07'\ni: .inf\nj: 010\n"
    [doc] = load_documents(text, "f.yaml")
    expected = yaml.safe_load(text)
    expected["g"] = "2024-01-02"  # timestamps stay text
    assert doc.value == expected


def test_streams_skip_empty_documents_and_keep_the_lines_of_the_file():
    docs = load_documents((FIXTURES / "multi.yaml").read_text(), "multi.yaml")
    assert [doc.value["metadata"]["name"] for doc in docs] == ["settings", "tiny"]
    assert [(doc.start_line, doc.end_line) for doc in docs] == [(6, 13), (15, 27)]
    assert docs[1].lines["spec.containers[0].resources.limits.cpu"] == 27


def test_a_stream_of_nothing_has_no_documents():
    assert load_documents("", "f.yaml") == []
    assert load_documents("# just a comment\n---\n---\n...\n", "f.yaml") == []


def test_scalar_and_list_documents_are_documents():
    docs = load_documents("--- hello\n--- [1, 2]\n--- ~\n", "f.yaml")
    assert [doc.value for doc in docs] == ["hello", [1, 2], None]
    assert docs[1].lines == {"[0]": 2, "[1]": 2}


def test_aliases_share_values_and_copy_lines_under_the_new_path():
    [doc] = load("""
        base: &base
          cpu: 1
          memory: 2Gi
        copy: *base
        """)
    assert doc.value["copy"] == {"cpu": 1, "memory": "2Gi"}
    assert doc.lines["copy"] == 4
    assert doc.lines["copy.cpu"] == 2
    assert doc.lines["copy.memory"] == 3


def test_merge_keys_own_keys_win_then_earlier_sources():
    [doc] = load("""
        one: &one {a: 1, b: 1}
        two: &two {b: 2, c: 2}
        merged:
          <<: [*one, *two]
          c: 3
        inline:
          <<: {x: 1, y: 1}
          y: 2
        """)
    assert doc.value["merged"] == {"a": 1, "b": 1, "c": 3}
    assert doc.value["inline"] == {"x": 1, "y": 2}
    assert doc.lines["merged.a"] == 1
    assert doc.lines["merged.b"] == 1
    assert doc.lines["merged.c"] == 5
    assert doc.lines["inline.x"] == 7
    assert doc.lines["inline.y"] == 8
    assert not any("<<" in path or "\x00" in path for path in doc.lines)


def test_merge_of_something_that_is_not_a_map_is_an_error():
    with pytest.raises(YamlError, match="merge key"):
        load("a:\n  <<: [1, 2]\n")


def test_an_alias_bomb_stops_quickly_with_an_error():
    started = time.monotonic()
    with pytest.raises(YamlError) as caught:
        load_documents((FIXTURES / "alias-bomb.yaml").read_text(), "bomb.yaml")
    assert time.monotonic() - started < 5
    assert "more than 1000000 nodes" in str(caught.value)
    assert caught.value.file == "bomb.yaml"


def test_max_nodes_counts_what_aliases_add():
    # 5 paths of its own (a, a[0..2], b) and 8 the aliases add (b[0], b[0][0..2], b[1], ...).
    text = "a: &a [1, 2, 3]\nb: [*a, *a]\n"
    assert load_documents(text, "f.yaml", max_nodes=13)[0].value["b"] == [[1, 2, 3], [1, 2, 3]]
    with pytest.raises(YamlError, match="aliases expand to more than 12 nodes"):
        load_documents(text, "f.yaml", max_nodes=12)


def test_max_nodes_counts_every_node_of_the_stream():
    text = "a: [1, 2]\n---\nb: [3, 4]\n"
    assert len(load_documents(text, "f.yaml", max_nodes=6)) == 2
    documents, errors = load_documents_partial(text, "f.yaml", max_nodes=5)
    assert [d.value for d in documents] == [{"a": [1, 2]}]
    assert [(e.line, e.message) for e in errors] == [
        (3, "more than 5 nodes; the rest of the file is not read")]
    assert isinstance(errors[0], YamlLimitError) and errors[0].limit == "max_nodes"


@pytest.mark.parametrize("text", [
    "[" * 200_000 + "]" * 200_000,
    "{a: " * 100_000 + "1" + "}" * 100_000,
    "".join(" " * level + "a:\n" for level in range(2_000)),
])
def test_deep_nesting_stops_at_max_depth_quickly(text):
    started = time.monotonic()
    with pytest.raises(YamlError, match="nesting deeper than 500 levels"):
        load_documents(text, "f.yaml")
    assert time.monotonic() - started < 5


def test_max_depth_counts_maps_and_lists():
    assert load_documents("[[[1]]]", "f.yaml", max_depth=3)[0].value == [[[1]]]
    with pytest.raises(YamlError, match="deeper than 3"):
        load_documents("[[[[1]]]]", "f.yaml", max_depth=3)


def test_an_alias_cannot_make_the_nesting_deeper_than_max_depth():
    text = "a: &a [[[1]]]\nb: [[*a]]\n"
    with pytest.raises(YamlError, match=r"alias \*a makes the nesting deeper than 4"):
        load_documents(text, "f.yaml", max_depth=4)


def test_an_alias_inside_its_own_anchor_is_an_error():
    with pytest.raises(YamlError, match="contains it"):
        load_documents("a: &a [1, *a]\n", "f.yaml")


def test_an_undefined_alias_is_an_error_with_its_line():
    with pytest.raises(YamlError) as caught:
        load_documents("a: 1\nb: *nowhere\n", "f.yaml")
    assert caught.value.line == 2
    assert "no anchor" in caught.value.message


def test_syntax_errors_carry_file_line_and_message():
    with pytest.raises(YamlError) as caught:
        load_documents("a: 1\nb: [1, 2\nc: 3\n", "dir/f.yaml")
    error = caught.value
    assert error.file == "dir/f.yaml"
    assert error.line == 3
    assert error.message.startswith("invalid YAML: ")
    assert str(error) == f"dir/f.yaml:3: {error.message}"


def test_unsafe_tags_are_refused_and_local_tags_ignored():
    with pytest.raises(YamlError, match="unsupported tag"):
        load_documents("a: !!python/object:os.system ls\n", "f.yaml")
    with pytest.raises(YamlError, match="unsupported tag"):
        load_documents("a: !!python/object/apply:os.system [ls]\n", "f.yaml")
    assert load_documents("a: !Ref Bucket\n", "f.yaml")[0].value == {"a": "Bucket"}
    assert load_documents("a: !!str 12\n", "f.yaml")[0].value == {"a": "12"}


def test_a_map_used_as_a_key_is_an_error():
    with pytest.raises(YamlError, match="used as a map key"):
        load_documents("? {a: 1}\n: b\n", "f.yaml")


def test_duplicate_keys_last_wins():
    [doc] = load_documents("a: 1\na: 2\n", "f.yaml")
    assert doc.value == {"a": 2}
    assert doc.lines == {"a": 2}


def test_partial_loading_goes_on_after_a_broken_document():
    text = (FIXTURES / "broken.yaml").read_text()
    docs, errors = load_documents_partial(text, "broken.yaml")
    assert [doc.value["metadata"]["name"] for doc in docs] == ["first", "third"]
    assert docs[1].lines["metadata.name"] == 15
    assert [error.line for error in errors] == [11]
    with pytest.raises(YamlError):
        load_documents(text, "broken.yaml")


def test_a_large_stream_loads_in_reasonable_time():
    manifest = textwrap.dedent("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web-%d, namespace: prod}
        spec:
          template:
            spec:
              containers:
                - name: api
                  image: "nginx:1.25"
                  resources:
                    requests: {cpu: 500m, memory: 256Mi}
        """)
    text = "---".join(manifest % index for index in range(3_000))
    started = time.monotonic()
    docs = load_documents(text, "big.yaml")
    assert len(docs) == 3_000
    assert docs[-1].lines["metadata.name"] == text.count("\n") - 8
    assert time.monotonic() - started < 10


# YAML allows neither control characters nor surrogates in a file; line separators count as lines.
text = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=8)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None)
@given(json_values)
def test_values_match_safe_load_and_every_path_has_a_line(value):
    for text in (yaml.safe_dump(value), json.dumps(value, ensure_ascii=False)):
        docs = load_documents(text, "f.yaml")
        expected = yaml.safe_load(text)
        if expected is None and text.strip() in ("", "null", "...", "null\n..."):
            continue
        assert docs[0].value == expected
        assert set(docs[0].lines) == set(_paths(expected, ""))
        assert all(1 <= line <= text.count("\n") + 1 for line in docs[0].lines.values())


def _paths(value, path):
    if isinstance(value, dict):
        for key, child in value.items():
            child_path = join_path(path, key)
            yield child_path
            yield from _paths(child, child_path)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            child_path = f"{path}[{index}]"
            yield child_path
            yield from _paths(child, child_path)


def test_a_path_with_unicode_line_ends_in_a_key_stays_on_one_line():
    from guardrails.core.paths import join_path

    path = join_path("metadata", "a\x85b\u2028c")
    assert path == 'metadata["a\\u0085b\\u2028c"]'
    assert len(path.splitlines()) == 1
