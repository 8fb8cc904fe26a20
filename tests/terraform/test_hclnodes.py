"""The lark-free syntax tree: a faithful copy of python-hcl2's, cheap to cache and to load."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from guardrails.terraform.hcl.nodes import Leaf, Node, from_lark
from guardrails.terraform.hcl.parse import _parser, clean_source, parse_body

SOURCE = textwrap.dedent('''\
    locals {
      tags = merge(var.tags, {
        team = "web"  # comment
      })
    }

    resource "aws_instance" "web" {
      count         = var.n > 2 ? 2 : var.n
      instance_type = "t3.${local.size}"
      user_data     = <<-EOT
        hello
      EOT
    }
    ''')


def _same(lark_node, node) -> None:
    from lark import Token

    if isinstance(lark_node, Token):
        assert isinstance(node, Leaf)
        assert (node.type, node.value, node.line) == (lark_node.type, str(lark_node), lark_node.line)
        return
    assert isinstance(node, Node)
    assert node.data == lark_node.data
    if not lark_node.meta.empty:
        assert (node.line, node.end_line) == (lark_node.meta.line, lark_node.meta.end_line)
    assert len(node.children) == len(lark_node.children)
    for a, b in zip(lark_node.children, node.children):
        _same(a, b)


def test_copy_keeps_every_rule_token_and_line() -> None:
    lark_tree = _parser().parse(clean_source(SOURCE) + "\n")
    _same(lark_tree, from_lark(lark_tree))


def test_cache_codec_round_trip_is_equal() -> None:
    from guardrails.files.datacodec import decode, encode

    tree = parse_body(SOURCE)
    again = decode(encode(tree))
    assert again == tree
    assert again is not tree
    assert Leaf("NAME", "a", 1, 1) != Leaf("NAME", "a", 2, 2)


def test_deep_tree_copies_without_recursion() -> None:
    # Lark builds a deep tree iteratively; the copy must not be what hits the recursion limit.
    lark_like = _lark_chain(3000)
    copied = from_lark(lark_like)
    depth = 0
    node = copied
    while node.children:
        node = node.children[0]
        depth += 1
    assert depth == 3000


def _lark_chain(depth: int):
    from lark import Tree

    node = Tree("leaf", [])
    for _ in range(depth):
        node = Tree("wrap", [node])
    return node


def test_a_run_from_a_warm_cache_imports_no_parser(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(SOURCE.replace("var.n", "1").replace("var.tags", "{}").replace("${local.size}", "micro"))
    # The session's cache (see conftest) has the compiled grammar; this file is new to it.
    # Lark as the parser, so that the first run's parse shows as an import of lark.
    env = {"GUARDRAILS_CACHE_DIR": os.environ["GUARDRAILS_CACHE_DIR"], "PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
           "GUARDRAILS_HCL_BACKEND": "lark"}
    probe = textwrap.dedent(f'''\
        import sys
        from guardrails.cli.main import main
        try:
            main(["check", {str(tmp_path / "main.tf")!r}, "--format", "json"])
        except SystemExit:
            pass
        print("LARK", sorted(m for m in sys.modules if m.split(".")[0] in ("lark", "hcl2", "yaml", "tree_sitter", "jsonschema")))
        ''')
    first = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
    assert "LARK ['hcl2'" in first.stdout or "LARK ['lark'" in first.stdout, first.stderr  # the cold run parsed
    second = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
    assert second.stdout.rstrip().endswith("LARK []"), second.stdout + second.stderr
    assert second.stdout.split("LARK")[0] == first.stdout.split("LARK")[0]  # same report


@pytest.mark.parametrize("text", ["a = [", 'resource "x" {', "a = 1 +"])
def test_syntax_errors_still_carry_a_line(text: str) -> None:
    from guardrails.terraform.hcl.parse import HclSyntaxError

    with pytest.raises(HclSyntaxError) as caught:
        parse_body(text)
    assert caught.value.line >= 1
