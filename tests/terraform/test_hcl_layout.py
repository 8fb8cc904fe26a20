"""Block layouts Terraform refuses are refused by both parsers (hashicorp/hcl native syntax spec)."""
import shutil
import subprocess

import pytest

from guardrails.terraform.hcl import parse as hclparse
from guardrails.terraform.hcl.parse import HclSyntaxError
from guardrails.terraform.source import parse_hcl_file

REFUSED = [
    ('a { b = "foo"\n}\n', 1, "a single-line block must close with } on the same line, right after its argument"),
    ("a { b { } }\n", 1, "a single-line block holds one argument, not a nested block"),
    ("a { b = 1\nc = 2 }\n", 1, "a single-line block holds one argument at most"),
    ("a {\n  b = 1 }\n", 2, "missing newline after the argument: put } on a line of its own"),
    ("a {\n  b {\n  } }\n", 3, "missing newline after the block: put } on a line of its own"),
    ('resource "x" "y"\n{\n  b = 1\n}\n', 2, "a block's { must be on the same line as its type and labels"),
    ('resource "x" "y" {\n  lifecycle { ignore_changes = [a]\n  }\n}\n', 2,
     "a single-line block must close with } on the same line, right after its argument"),
]

ACCEPTED = [
    'a { b = 1 }\n',
    'a {}\nb { }\n',
    'a { # a comment\n  b = 1\n}\n',
    'a { v = { q = 1 } }\n',
    'h {\n  t = <<EOT\nhi\nEOT\n}\n',
    'h {\n  t = <<-EOT\n    hi\n    EOT\n}\n',
    'h {\n  t = [\n    1,\n  ]\n}\n',
    'a "x" { b = 1 } # trailing comment\n',
    # the benchmark corpus's node group: a nested block, then a call whose object spans lines
    'r {\n  c {\n    m = a.b * 2\n  }\n\n  tags = merge(var.tags, {\n    k = 1\n  })\n}\n',
    'r {\n  x = 1 # a comment\n}\n',
]


@pytest.fixture(params=["tree-sitter", "lark"])
def backend(request, monkeypatch):
    if request.param == "lark":
        monkeypatch.setenv("GUARDRAILS_HCL_BACKEND", "lark")
    else:
        monkeypatch.delenv("GUARDRAILS_HCL_BACKEND", raising=False)
    hclparse._fast_backend.cache_clear()
    yield request.param
    hclparse._fast_backend.cache_clear()


@pytest.mark.parametrize("text, line, message", REFUSED)
def test_layouts_terraform_refuses_are_syntax_errors_at_their_line(backend, text, line, message):
    with pytest.raises(HclSyntaxError) as caught:
        parse_hcl_file(text, "main.tf")
    assert (caught.value.line, caught.value.message) == (line, message)


@pytest.mark.parametrize("text", ACCEPTED)
def test_layouts_terraform_accepts_parse(backend, text):
    parse_hcl_file(text, "main.tf")


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed")
@pytest.mark.parametrize("text, accepted", [(t, False) for t, _, _ in REFUSED] + [(t, True) for t in ACCEPTED])
def test_terraform_itself_agrees(tmp_path, text, accepted):
    (tmp_path / "main.tf").write_text(text)
    result = subprocess.run(["terraform", "fmt", "-check", "-no-color", "main.tf"], cwd=tmp_path,
                            capture_output=True, text=True, env={"PATH": "/usr/bin:/usr/local/bin:/bin",
                                                                  "TF_CLI_CONFIG_FILE": "/dev/null"})
    # fmt exits 3 for a file it would reformat, 2 for one it cannot parse.
    assert (result.returncode != 2) == accepted, result.stderr
