"""Manifests are parsed once per content: the YAML documents go through the parse cache."""
from guardrails.files import cache, yamllines


def test_a_manifest_is_parsed_once_and_a_broken_one_every_time(tmp_path, monkeypatch):
    monkeypatch.setenv("GUARDRAILS_CACHE_DIR", str(tmp_path / "cache"))
    cache.cache_dir.cache_clear()
    parsed = []
    real = yamllines.load_documents_partial

    def counting(text, file, **bounds):
        parsed.append(file)
        return real(text, file, **bounds)

    monkeypatch.setattr(yamllines, "load_documents_partial", counting)
    text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n"
    first = yamllines.load_documents_cached(text, "a.yaml")
    second = yamllines.load_documents_cached(text, "a.yaml")
    assert parsed == ["a.yaml"]
    assert [(d.value, d.lines, d.start_line) for d in first[0]] == [(d.value, d.lines, d.start_line) for d in second[0]]
    broken = "a: [\n"
    yamllines.load_documents_cached(broken, "b.yaml")
    _, errors = yamllines.load_documents_cached(broken, "b.yaml")
    assert parsed == ["a.yaml", "b.yaml", "b.yaml"] and errors  # errors are found afresh
    # Other bounds are another entry: a tighter limit is never bypassed by an earlier parse.
    yamllines.load_documents_cached(text, "a.yaml", max_nodes=10)
    assert parsed[-1] == "a.yaml"
    cache.cache_dir.cache_clear()
