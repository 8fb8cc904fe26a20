"""file(), fileset(), fileexists(), templatefile(): read inside the repository only, as Terraform would."""
import pytest

from guardrails.terraform.functions.globs import Glob, GlobError

from guardrails.terraform.functions import files as tffiles
from guardrails.core.model import is_unknown

from conftest import by_address, load_tf, write_tree

MODULE = """
variable "names" {}
locals {
  specs = { for f in fileset("${path.module}/specs", "**/*.{yml,yaml}") : f => yamldecode(file("${path.module}/specs/${f}")) }
}
resource "aws_instance" "box" {
  for_each      = local.specs
  instance_type = each.value.size
  user_data     = templatefile("${path.module}/init.tpl", { names = var.names })
  tags          = { seen = fileexists("${path.module}/init.tpl") ? "yes" : "no", missing = fileexists("nope") }
}
"""


def test_a_child_module_reads_its_own_files_through_path_module(tmp_path):
    write_tree(tmp_path, {
        "modules/boxes/main.tf": MODULE,
        "modules/boxes/init.tpl": "%{ for n in names ~}\nuser ${n}\n%{ endfor ~}\n",
        "modules/boxes/specs/a.yaml": "size: t3.small\n",
        "modules/boxes/specs/deep/b.yml": "size: t3.large\n",
        "modules/boxes/specs/skip.json": "{}",
        "live/prod/main.tf": 'module "boxes" {\n  source = "../../modules/boxes"\n  names  = ["ann", "bob"]\n}\n'
                             'resource "aws_s3_bucket" "b" {\n  bucket = file("bucket.txt")\n}\n',
        "live/prod/bucket.txt": "logs",
    })
    found = by_address(load_tf(tmp_path, ["live/prod", "modules/boxes"]))
    assert found["aws_s3_bucket.b"].attrs["bucket"] == "logs"  # relative to the root module
    box = found['module.boxes.aws_instance.box["a.yaml"]']
    assert box.attrs["instance_type"] == "t3.small"
    assert box.attrs["user_data"] == "user ann\nuser bob\n"
    assert box.attrs["tags"] == {"seen": "yes", "missing": False}
    assert found['module.boxes.aws_instance.box["deep/b.yml"]'].attrs["instance_type"] == "t3.large"


@pytest.mark.parametrize("expression", [
    'file("../../outside.txt")',          # climbs out of the repository
    'file("/etc/hostname")',              # an absolute path that is not the working directory's
    'file("missing.txt")',
    'file("big.txt")',
    'templatefile("loop.tpl", {})',       # a template may not call templatefile()
    'fileset(".", "[a-")',
])
def test_what_cannot_be_read_is_unknown_and_nothing_outside_is_read(tmp_path, monkeypatch, expression):
    monkeypatch.setattr(tffiles, "MAX_FILE_BYTES", 10)
    (tmp_path / "outside.txt").write_text("secret")
    write_tree(tmp_path / "repo", {
        "live/main.tf": f'resource "aws_s3_bucket" "b" {{\n  bucket = {expression}\n}}\n',
        "live/big.txt": "x" * 11,
        "live/loop.tpl": '${templatefile("loop.tpl", {})}',
    })
    bucket = by_address(load_tf(tmp_path / "repo"))["aws_s3_bucket.b"].attrs["bucket"]
    assert is_unknown(bucket)
    assert "secret" not in bucket.reason


def test_path_cwd_names_the_root_module_directory(tmp_path):
    write_tree(tmp_path, {"examples/complete/main.tf": """
        resource "aws_s3_bucket" "b" {
          bucket = "ex-${basename(path.cwd)}"
          tags   = { here = file("${path.cwd}/name.txt"), root = path.root, module = path.module }
        }
        """, "examples/complete/name.txt": "n"})
    bucket = by_address(load_tf(tmp_path))["aws_s3_bucket.b"]
    assert bucket.attrs["bucket"] == "ex-complete"
    assert bucket.attrs["tags"] == {"here": "n", "root": ".", "module": "."}


def test_fileset_patterns_follow_terraform():
    glob = Glob
    assert glob("*.yaml").fullmatch("a.yaml") and not glob("*.yaml").fullmatch("d/a.yaml")
    assert glob("**/*.yaml").fullmatch("a.yaml") and glob("**/*.yaml").fullmatch("d/e/a.yaml")
    assert glob("?.{tf,tfvars}").fullmatch("a.tfvars") and not glob("?.{tf,tfvars}").fullmatch("ab.tf")
    assert glob("[!a]*").fullmatch("b") and not glob("[!a]*").fullmatch("a")
    assert glob("**/x").fullmatch("x") and glob("**/x").fullmatch("a/b/x") and not glob("**/x").fullmatch("ax")
    assert glob("a/**/b").fullmatch("a/b") and glob("a/**/b").fullmatch("a/x/y/b")
    assert glob("{a,b{c,d}}.tf").fullmatch("bd.tf") and glob("\\*.tf").fullmatch("*.tf")
    assert not glob("\\*.tf").fullmatch("a.tf")


@pytest.mark.parametrize("pattern, path", [
    ("*" * 24 + "x", "a" * 20_000 + "y"),
    ("*a" * 30 + "b", "a" * 20_000),
    ("**/" * 30 + "x", "a/" * 5_000 + "y"),
])
def test_fileset_patterns_match_in_linear_time(pattern, path):
    # A backtracking matcher takes hours on these; the steps are counted, not the clock.
    glob = Glob(pattern)
    assert glob.fullmatch(path) is False
    assert glob.fullmatch(path[:-1] + pattern[-1]) is True


@pytest.mark.parametrize("pattern", ["[a-", "{a,b", "{a,b}" * 9])
def test_a_pattern_that_cannot_be_read_is_a_glob_error(pattern):
    with pytest.raises(GlobError):
        Glob(pattern)


def test_a_reading_function_called_with_the_wrong_arguments_is_unknown(tmp_path):
    write_tree(tmp_path, {"main.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = file()\n  acl = fileset("a")\n}\n'})
    bucket = by_address(load_tf(tmp_path))["aws_s3_bucket.b"]
    assert is_unknown(bucket.attrs["bucket"]) and "wrong number of arguments" in bucket.attrs["bucket"].reason
    assert is_unknown(bucket.attrs["acl"])


def test_path_cwd_of_a_root_module_at_the_repository_root_reads_its_files(tmp_path):
    repo = write_tree(tmp_path / "repo", {"main.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = file("${path.cwd}/name.txt")\n}\n',
                                          "name.txt": "n"})
    assert by_address(load_tf(repo))["aws_s3_bucket.b"].attrs["bucket"] == "n"


def _git_repo(root):
    import subprocess

    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "config", "remote.origin.url",
                    "https://x-access-token:ghs_job_token@github.com/o/r"], check=True)
    return root


@pytest.mark.parametrize("expression, why", [
    ('file(".git/config")', ".git/config is inside .git, not read"),
    ('file("${path.module}/.git/config")', "is inside .git, not read"),
    ('file("config-link")', "no file config-link"),  # a link into .git is not a file of ours
    ('jsonencode(fileset(path.module, ".git/**"))', None),
    ('file("secrets.auto.json")', "secrets.auto.json is ignored by git (or untracked and ignored), not read"),
])
def test_the_ci_credentials_in_git_and_ignored_files_are_never_read(tmp_path, expression, why):
    # actions/checkout keeps the token's auth header in .git/config; GitLab puts its job token in
    # the remote URL; a CI step may write a key the repository ignores.
    root = _git_repo(tmp_path)
    write_tree(root, {".gitignore": "secrets.auto.json\n", "secrets.auto.json": '{"key": "ghs_job_token"}',
                      "main.tf": f'resource "aws_s3_bucket" "b" {{\n  bucket = {expression}\n}}\n'})
    (root / "config-link").symlink_to(root / ".git" / "config")
    [bucket] = load_tf(root).resources
    value = bucket.attrs["bucket"]
    if why is None:
        assert value == "[]"
    else:
        assert is_unknown(value) and why in value.reason
    assert "ghs_job_token" not in repr(bucket.attrs)


def test_untracked_files_that_are_not_ignored_are_read_as_git_would_commit_them(tmp_path):
    root = _git_repo(tmp_path)
    write_tree(root, {"main.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = file("name.txt")\n}\n',
                      "name.txt": "logs"})
    [bucket] = load_tf(root).resources
    assert bucket.attrs["bucket"] == "logs"
