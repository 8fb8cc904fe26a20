"""The parse cache: a second run reads parses back, damage is a miss, no cache is no error."""
import os
import stat
from pathlib import Path

import pytest

from guardrails.files import cache
from guardrails.files import parsecache

from conftest import load_tf, run, write_tree

TF = {"main.tf": 'resource "aws_instance" "a" {\n  instance_type = "t3.micro"\n}\n'}


@pytest.fixture
def cache_at(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("GUARDRAILS_CACHE_DIR", str(folder))
    monkeypatch.setenv("GUARDRAILS_NO_CACHE", "")  # whatever the outer environment says: this cache is on
    cache.cache_dir.cache_clear()
    yield folder
    cache.cache_dir.cache_clear()


def entries(folder):
    return sorted(p for p in (folder / "parse").rglob("*.json"))


def test_second_load_reads_the_cache_and_gives_the_same_resources(tmp_path, cache_at, monkeypatch):
    import guardrails.terraform.reader as reader

    write_tree(tmp_path / "repo", TF)
    first = load_tf(tmp_path / "repo").resources
    assert len(entries(cache_at)) == 1
    parsed = []
    monkeypatch.setattr(reader, "cached", lambda kind, path, text, build: parsecache.cached(
        kind, path, text, lambda: parsed.append(path) or build()))
    second = load_tf(tmp_path / "repo").resources
    assert parsed == []  # nothing was parsed again
    assert [(r.address, r.attrs, r.lines) for r in second] == [(r.address, r.attrs, r.lines) for r in first]


def test_changed_content_is_parsed_again(tmp_path, cache_at):
    write_tree(tmp_path / "repo", TF)
    load_tf(tmp_path / "repo")
    (tmp_path / "repo" / "main.tf").write_text(TF["main.tf"].replace("t3.micro", "t3.large"))
    (resource,) = load_tf(tmp_path / "repo").resources
    assert resource.attrs["instance_type"] == "t3.large"
    assert len(entries(cache_at)) == 2


@pytest.mark.parametrize("damage", [b"", b"\x80\x04garbage", b"not json at all", b"{\"N\": [\"x\", 5, 1, 2]}", b"{\"D\": [1]}", b"{\"__reduce__\": 1}"])
def test_truncated_or_corrupt_entries_are_misses(tmp_path, cache_at, damage):
    write_tree(tmp_path / "repo", TF)
    load_tf(tmp_path / "repo")
    (entry,) = entries(cache_at)
    entry.write_bytes(damage)
    (resource,) = load_tf(tmp_path / "repo").resources
    assert resource.attrs["instance_type"] == "t3.micro"
    assert entry.read_bytes() != damage  # replaced by a good entry


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to read-only directories")
def test_read_only_cache_directory_runs_without_cache(tmp_path, cache_at):
    cache_at.mkdir()
    cache_at.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        write_tree(tmp_path / "repo", TF)
        (resource,) = load_tf(tmp_path / "repo").resources
        assert resource.attrs["instance_type"] == "t3.micro"
    finally:
        cache_at.chmod(stat.S_IRWXU)


def test_unwritable_cache_entry_is_not_an_error(tmp_path, cache_at):
    cache_at.mkdir()
    (cache_at / "parse").write_text("a file where a directory should be")
    write_tree(tmp_path / "repo", TF)
    (resource,) = load_tf(tmp_path / "repo").resources
    assert resource.attrs["instance_type"] == "t3.micro"


def test_no_cache_flag(tmp_path, cache_at):
    write_tree(tmp_path, {".git/HEAD": "", **TF})
    code, _, _ = run(["--no-cache", "check", "."], tmp_path)
    assert code == 0
    assert not (cache_at / "parse").exists()


def test_parallel_prewarm_gives_the_same_resources_as_serial_parsing(tmp_path, cache_at, monkeypatch):
    import guardrails.terraform.parallel as parallel

    files = {f"f{i:02d}.tf": f'resource "aws_instance" "r{i}" {{\n  instance_type = "t3.{"micro" if i % 2 else "large"}"\n}}\n'
             for i in range(30)}
    files["bad.tf"] = "resource {\n"
    write_tree(tmp_path / "a", files)
    write_tree(tmp_path / "b", files)
    handed = []
    real = parallel.prewarm
    monkeypatch.setattr(parallel, "prewarm", lambda items: handed.append(real(items)) or handed[-1])
    first = load_tf(tmp_path / "a")
    assert handed and handed[0] >= parallel.MIN_FILES  # the workers parsed the directory
    import shutil

    shutil.rmtree(cache_at / "parse")  # the same paths and contents: make the second load parse again
    monkeypatch.setattr(parallel, "MIN_FILES", 10**9)
    second = load_tf(tmp_path / "b")
    assert len(handed) == 1
    assert [(r.address, r.attrs, r.lines) for r in first.resources] == [(r.address, r.attrs, r.lines) for r in second.resources]
    assert [(e.file, e.line) for e in first.errors] == [(e.file, e.line) for e in second.errors] == [("bad.tf", 2)]


def _many_roots(root, caller_json_source: str) -> None:
    """30 root modules sharing one local module, one more module reached only through JSON."""
    files = {"modules/web/main.tf": 'variable "size" {}\nresource "aws_instance" "web" {\n  instance_type = var.size\n}\n',
             # Sorted before its caller, and its source written with JSON escapes a text search misses.
             "a-hidden/main.tf": 'resource "aws_ebs_volume" "v" {\n  type = "gp2"\n}\n',
             "z-caller/main.tf.json": '{"module": {"h": {"source": "%s"}}}\n' % caller_json_source,
             "broken/main.tf": "resource {\n"}
    for i in range(30):
        files[f"live/r{i:02d}/main.tf"] = (f'module "web" {{\n  source = "../../modules/web"\n  size = "t3.{"micro" if i % 2 else "large"}"\n}}\n'
                                           f'resource "aws_s3_bucket" "b{i}" {{}}\n')
    write_tree(root, files)


def test_roots_are_dropped_once_evaluated_and_the_result_is_the_same(tmp_path, cache_at, monkeypatch):
    import guardrails.terraform.loader as terraform
    from guardrails.files.trees import DiskTree, select

    _many_roots(tmp_path / "repo", "\\u002e\\u002e/a-hidden")
    tree = DiskTree(tmp_path / "repo")
    dirs = sorted(select(tree, [""]).terraform_dirs)
    loader = terraform.TerraformLoader(tree)
    streamed = loader.load(dirs)
    # Only called modules stay loaded (memory does not grow with the number of roots).
    assert set(loader._modules) <= {"modules/web", "a-hidden"}
    monkeypatch.setenv("GUARDRAILS_NO_CACHE", "1")
    cache.cache_dir.cache_clear()
    whole = terraform.TerraformLoader(tree).load(dirs)  # no cache: nothing read ahead, all kept
    key = lambda r: (r.address, r.location.file, r.attrs)  # noqa: E731
    assert [key(r) for r in streamed.resources] == [key(r) for r in whole.resources]
    assert streamed.errors == whole.errors == [terraform.InputError("broken/main.tf", 2, streamed.errors[0].message)]
    # The module the text search missed was evaluated early as a root, then recognised as called.
    addresses = [r.address for r in streamed.resources]
    assert "module.h.aws_ebs_volume.v" in addresses and "aws_ebs_volume.v" not in addresses
    assert addresses.count("module.web.aws_instance.web") == 30


def test_the_compiled_grammar_is_found_again_after_the_cache_moves(tmp_path, cache_at, monkeypatch):
    # CI caches are restored at other paths; the grammar (~4 s to compile) must still be used.
    import shutil

    from lark import Lark

    from guardrails.terraform.hcl import parse as hclparse

    monkeypatch.setenv("GUARDRAILS_HCL_BACKEND", "lark")  # this is about Lark's grammar
    hclparse._fast_backend.cache_clear()
    hclparse._parser.cache_clear()
    hclparse._parser()
    [saved] = cache_at.glob("hcl2-grammar-*.json")
    moved = tmp_path / "elsewhere"
    shutil.copytree(cache_at, moved)
    monkeypatch.setenv("GUARDRAILS_CACHE_DIR", str(moved))
    cache.cache_dir.cache_clear()
    hclparse._parser.cache_clear()
    monkeypatch.setattr(Lark, "open", classmethod(lambda *a, **k: pytest.fail("compiled again")))
    try:
        assert hclparse.parse_body("a = 1\n").data == "start"
        # A damaged file is compiled again (here: would be), never an error.
        (moved / saved.name).write_bytes(b"not a grammar")
        hclparse._parser.cache_clear()
        monkeypatch.undo()
        monkeypatch.setenv("GUARDRAILS_CACHE_DIR", str(moved))
        monkeypatch.setenv("GUARDRAILS_HCL_BACKEND", "lark")
        cache.cache_dir.cache_clear()
        assert hclparse.parse_body("a = 1\n").data == "start"
        assert (moved / saved.name).read_bytes() != b"not a grammar"
    finally:
        hclparse._parser.cache_clear()
        hclparse._fast_backend.cache_clear()


def test_files_named_tf_that_are_not_files_are_skipped_and_links_out_noted(tmp_path):
    repo = write_tree(tmp_path / "repo", TF)
    (tmp_path / "outside.tf").write_text('resource "aws_s3_bucket" "o" {}\n')
    (repo / "dangling.tf").symlink_to("nowhere.tf")
    (repo / "folder.tf").mkdir()
    (repo / "linked.tf").symlink_to(tmp_path / "outside.tf")
    result = load_tf(repo)
    assert [r.address for r in result.resources] == ["aws_instance.a"]
    assert result.errors == []
    assert [(n.file, n.message) for n in result.notes] == [("linked.tf", "a symbolic link to outside the repository, not followed")]


def test_a_planted_pickle_in_the_cache_never_runs(tmp_path, cache_at):
    # Whoever can write a cache entry (a restored CI cache, a shared directory) must not run code:
    # entries are data, and a pickle where an entry should be is a miss, never loaded.
    import pickle

    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    write_tree(tmp_path / "repo", TF)
    load_tf(tmp_path / "repo")
    (entry,) = entries(cache_at)
    entry.write_bytes(pickle.dumps(Payload()))
    (resource,) = load_tf(tmp_path / "repo").resources
    assert resource.attrs["instance_type"] == "t3.micro"
    assert not marker.exists()
    assert not list((cache_at).rglob("*.pickle"))
    source = (Path(__file__).resolve().parents[2] / "guardrails").rglob("*.py")
    assert not [p for p in source if "pickle.load" in p.read_text()]  # nothing of ours unpickles


def test_a_planted_pickle_as_the_saved_grammar_never_runs(tmp_path, cache_at, monkeypatch):
    import pickle

    from guardrails.terraform.hcl import parse as hclparse

    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    monkeypatch.setenv("GUARDRAILS_HCL_BACKEND", "lark")
    hclparse._fast_backend.cache_clear()
    hclparse._parser.cache_clear()
    hclparse._parser()
    [saved] = cache_at.glob("hcl2-grammar-*.json")
    saved.write_bytes(pickle.dumps(Payload()))
    hclparse._parser.cache_clear()
    try:
        assert hclparse.parse_body("a = 1\n").data == "start"
    finally:
        hclparse._parser.cache_clear()
        hclparse._fast_backend.cache_clear()
    assert not marker.exists()


def test_a_cache_directory_others_can_write_is_refused_with_a_note(tmp_path, cache_at):
    from conftest import run

    cache_at.mkdir(mode=0o700)
    cache_at.chmod(0o777)  # a shared GUARDRAILS_CACHE_DIR anyone on the machine may fill
    write_tree(tmp_path / "repo", {**TF, ".git/HEAD": ""})
    cache._refused.clear()
    code, out, _ = run(["check", "."], tmp_path / "repo")
    assert code == 0
    assert (f"note: GUARDRAILS_CACHE_DIR: the cache directory {cache_at} is writable by its group or by others "
            "(chmod go-w): running without a cache") in out
    assert not list(cache_at.rglob("*.json"))  # nothing written there either
    cache._refused.clear()


def test_a_new_cache_directory_is_private_and_used(tmp_path, cache_at):
    write_tree(tmp_path / "repo", TF)
    load_tf(tmp_path / "repo")
    assert stat.S_IMODE(cache_at.stat().st_mode) & 0o077 == 0
    assert entries(cache_at)


def test_a_cache_directory_of_another_user_is_refused(tmp_path, cache_at):
    cache_at.mkdir(mode=0o700)
    info = os.stat(cache_at)
    assert cache.unsafe(info) == ""
    foreign = os.stat_result((info.st_mode, info.st_ino, info.st_dev, info.st_nlink, info.st_uid + 1,
                              *tuple(info)[5:]))
    assert cache.unsafe(foreign) == "belongs to another user"


def test_the_crash_log_without_a_cache_is_a_new_private_file(tmp_path, monkeypatch):
    import tempfile

    from guardrails.cli import main as cli

    monkeypatch.setenv("GUARDRAILS_NO_CACHE", "1")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    cache.cache_dir.cache_clear()
    planted = tmp_path / "guardrails-error.log"
    planted.symlink_to(tmp_path / "victim")  # a link someone left at the old fixed name
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        first, second = cli._log_internal_error(), cli._log_internal_error()
    cache.cache_dir.cache_clear()
    assert first != second and Path(first).parent == tmp_path
    assert "RuntimeError: boom" in Path(first).read_text()
    assert stat.S_IMODE(os.stat(first).st_mode) == 0o600
    assert not (tmp_path / "victim").exists()


def test_no_cache_is_an_option_of_the_run_never_a_change_to_the_environment(tmp_path, monkeypatch):
    import os

    from click.testing import CliRunner

    from guardrails.cli.main import main

    (tmp_path / ".git").mkdir()
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "b" {}\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GUARDRAILS_CACHE_DIR", str(tmp_path / "cache"))
    before = dict(os.environ)
    try:
        with CliRunner().isolation():
            with pytest.raises(SystemExit):
                main(["check", "--no-cache", "main.tf"])
        assert dict(os.environ) == before
        assert cache.current_settings().enabled is False and cache.cache_dir() is None
        assert not (tmp_path / "cache").exists()
        with CliRunner().isolation():
            with pytest.raises(SystemExit):
                main(["check", "main.tf"])  # the next run, without the option, caches again
        assert cache.current_settings().enabled is True and (tmp_path / "cache").is_dir()
    finally:
        cache._configured.clear()
        cache.cache_dir.cache_clear()
