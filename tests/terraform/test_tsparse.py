"""The tree-sitter backend must give exactly Lark's tree, or None (fall back), never another tree."""
from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("tree_sitter")
pytest.importorskip("tree_sitter_hcl")

from guardrails.terraform.hcl import treesitter as tsparse
from guardrails.terraform.hcl.nodes import Leaf, Node, from_lark
from guardrails.terraform.hcl.parse import _parser, clean_source
from guardrails.terraform.hcl.treesitter import available, parse_body_fast

ROOT = Path(__file__).resolve().parents[2]


def lark_tree(text: str) -> Node | None:
    """Lark's tree for exactly the string the fast parser gets (no second, repaired reading)."""
    from lark.exceptions import UnexpectedInput

    try:
        return from_lark(_parser().parse(clean_source(text) + "\n"))
    except (UnexpectedInput, RecursionError):
        return None


def fast_tree(text: str) -> Node | None:
    return parse_body_fast(clean_source(text) + "\n")


def first_difference(got: object, want: object, path: str = "start") -> str:
    """Where two trees part, for a readable failure."""
    if isinstance(got, Leaf) or isinstance(want, Leaf) or type(got) is not type(want):
        return f"{path}: {got!r} != {want!r}"
    assert isinstance(got, Node) and isinstance(want, Node)
    if (got.data, got.line, got.end_line, len(got.children)) != (want.data, want.line, want.end_line,
                                                                  len(want.children)):
        return (f"{path}: {got.data} {got.line}-{got.end_line} ({len(got.children)} children) != "
                f"{want.data} {want.line}-{want.end_line} ({len(want.children)} children)")
    for index, (a, b) in enumerate(zip(got.children, want.children)):
        if a != b:
            return first_difference(a, b, f"{path}/{got.data}[{index}]")
    return f"{path}: equal"


def assert_same_or_fallback(text: str, *, must_map: bool = False) -> str:
    """'same', 'fallback' (None where Lark parses) or 'rejected' (both refuse the text)."""
    want = lark_tree(text)
    got = fast_tree(text)
    if want is None:
        assert got is None, f"Lark rejects {text!r} but the fast parser built a tree"
        return "rejected"
    if got is None:
        assert not must_map, f"fell back on {text!r}"
        return "fallback"
    assert got == want, f"{text!r}: {first_difference(got, want)}"
    return "same"


def test_available_and_cheap_import() -> None:
    assert available()
    code = "import sys, guardrails.terraform.hcl.treesitter; print('tree_sitter' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_without_tree_sitter_everything_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tsparse, "_parser_state", tsparse._UNAVAILABLE)
    assert not available()
    assert parse_body_fast("a = 1\n") is None


def test_a_simple_file_is_mapped_exactly() -> None:
    text = 'resource "aws_instance" "web" {\n  count = var.n > 2 ? 2 : var.n # two\n}\n'
    assert assert_same_or_fallback(text, must_map=True) == "same"
    tree = fast_tree(text)
    assert tree is not None and tree.data == "start" and (tree.line, tree.end_line) == (1, 5)  # the caller appends a newline


def _tf_files(*roots: Path) -> list[Path]:
    return sorted(p for root in roots for p in root.rglob("*") if p.suffix in (".tf", ".tfvars") and p.is_file())


def test_fixtures_and_examples() -> None:
    files = _tf_files(ROOT / "tests" / "fixtures", ROOT / "examples")
    assert files
    for path in files:
        assert_same_or_fallback(path.read_text(encoding="utf-8"), must_map=True)


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "corpus.py"), str(out), "--scale", "small"],
                   check=True, capture_output=True)
    return out


def test_generated_corpus(small_corpus: Path) -> None:
    files = _tf_files(small_corpus)
    assert len(files) > 100
    outcomes = [assert_same_or_fallback(path.read_text(encoding="utf-8")) for path in files]
    # Today every corpus file maps; a handful of fallbacks would be a regression worth seeing.
    assert outcomes.count("same") == len(files)


# Snippets Lark accepts and the fast parser maps exactly (equal tree, never None).
MAPPED = [
    # literals
    'a = 1\n', 'a = 1.5\n', 'a = 1.5e+3\n', 'a = 2.0E-7\n', 'a = -1\n', 'a = -12\n', 'a = -1.5\n',
    'a = -12.5e3\n', 'a = - 12\n', 'a = true\nb = false\nc = null\n', 'a = 1 - -12\n', 'a = 1 - -1\n',
    'a = 1-2\n', 'a = -12[0]\n', 'a = 007\n', 'a = x -1\n',
    # strings and templates
    'a = ""\n', 'a = "x"\n', 'a = "a\\"b\\\\c\\n"\n', 'a = "$${x} and %%{y}"\n', 'a = "a$b%c"\n',
    'a = "${x}"\n', 'a = "p-${x}-${y.z}-s"\n', 'a = "${ x }"\n', 'a = "${x + 1}"\n', 'a = "${f("n")}"\n',
    'a = "${"nested ${x}"}"\n', 'a = "unicode é ☃ ${x}"\n', 'a = "x$"\n', 'a = "x%"\n', 'a = "$$"\n',
    'a = "%{ if x }y%{ endif }"\n', 'a = "%{if x~}y%{~else~}z%{~endif}"\n',
    'a = "%{ for v in xs }${v},%{ endfor }"\n', 'a = "%{~ for k, v in m ~}${k}=${v}%{~ endfor ~}"\n',
    'a = "%{ if a }%{ for x in y }${x}%{ endfor }%{ else }n%{ endif }"\n', 'a = "${x +\n1}"\n',
    # heredocs
    'a = <<EOT\nhello\nEOT\n', 'a = <<-EOT\n  hello\n  EOT\n', 'a = <<EOT\n${x} and %{ if y }z%{ endif }\nEOT\n',
    'a = <<EOT\nEOT\n', 'a = <<E\nx\nE\nb = 1\n', 'a = <<EOT\n  EOTX\nEOT\n', 'a = <<-EOF\n  x\n    EOF\n',
    'a = [<<EOT\nx\nEOT\n, 1]\n', 'a = f(<<EOT\nx\nEOT\n)\n', 'b {\n  a = <<EOT\nx\nEOT\n  c = 1\n}\n',
    'a = <<EOT\nx\nEOT\n\n\nb = 2\n', 'a = <<-EOT\n  ${x}\n  %{ for v in y }${v}%{ endfor }\n  EOT\n',
    # tuples
    'a = []\n', 'a = [1]\n', 'a = [1,]\n', 'a = [1, 2]\n', 'a = [1, 2,]\n', 'a = [\n  1,\n  2\n]\n',
    'a = [\n  1,\n  2,\n]\n', 'a = [ # c\n  1, // d\n  /* e */ 2 /* f */\n  # g\n]\n', 'a = [1\n, 2]\n',
    'a = [\n\n1\n\n]\n', 'a = [[1, [2]], []]\n', 'a = [/*x*/]\n', 'a = [1 /*x*/, 2]\n',
    # objects
    'a = {}\n', 'a = {x = 1}\n', 'a = {x = 1, y = 2}\n', 'a = {x = 1, y = 2,}\n', 'a = {\n  x = 1\n  y = 2\n}\n',
    'a = {\n  x = 1,\n  y = 2,\n}\n', 'a = { "k" = 1, "k2": 2 }\n', 'a = { (k) = 1 }\n', 'a = { (k.x) = 1 }\n',
    'a = { x   =   1 }\n', 'a = { x:1 }\n', 'a = { x   : 1 }\n', 'a = { x = 1\n , y = 2 }\n',
    'a = { # c\n  x = 1 # d\n  // e\n  /* f */ y = 2\n}\n', 'a = { for_each = 1 }\n', 'a = { else = 1 }\n',
    'a = { true = 1 }\n', 'a = { x = { y = { z = 1 } } }\n', 'a = { "${k}" = 1 }\n', 'a = { a.b = 1 }\n',
    'a = { a = 1 - 2 }\n', 'a = {\n\n}\n',
    # for expressions
    'a = [for x in xs : x]\n', 'a = [for i, x in xs : x if i > 0]\n', 'a = {for k, v in m : k => v}\n',
    'a = {for k, v in m : v => k...}\n', 'a = {for k, v in m : v => k... if k != ""}\n',
    'a = [\n  for x in xs :\n  x\n  if x\n]\n', 'a = {\n  for k, v in m :\n  k => v\n}\n',
    'a = [for x in xs: upper(x)]\n', 'a = [for x in [1, 2] : x * 2]\n', 'a = [ # c\n for x in y : x # d\n]\n',
    'a = {for k, v in m : k => v if v != null}\n', 'a = [for x in xs : x + 1\n]\n',
    # attribute access, indexes, splats
    'a = x.y\n', 'a = x[0]\n', 'a = x.0\n', 'a = x.0.y\n', 'a = x[*]\n', 'a = x.*\n', 'a = x.*.y\n',
    'a = x[*].y[0]\n', 'a = x.*.y[0].z\n', 'a = x[*].y[*].z\n', 'a = x.*.y.*.z\n', 'a = x["k"]\n',
    'a = x[\n  0\n]\n', 'a = x.true\n', 'a = x.null.in\n', 'a = f(x)[0]\n', 'a = [1, 2][0]\n', 'a = {a = 1}.a\n',
    'a = (x)[0]\n', 'a = "s"[0]\n', 'a = x[*][0]\n', 'a = x.*[0]\n', 'a = x[a + 1]\n', 'a = x.y.z[0][1].w\n',
    'a = x.*.0\n', 'a = x[*].0\n',
    # function calls
    'a = f()\n', 'a = f(1)\n', 'a = f(1, 2)\n', 'a = f(1, 2,)\n', 'a = f(xs...)\n', 'a = f(1, xs...)\n',
    'a = f(\n  1,\n  2\n)\n', 'a = f(\n  1,\n  2,\n)\n', 'a = f(\n)\n', 'a = f( # c\n  1 # d\n)\n',
    'a = f(1\n, 2)\n', 'a = provider::aws::arn_parse(x)\n', 'a = f(g(h(1)))\n', 'a = f(1,\n\n 2)\n',
    'a = f(x...\n)\n', 'a = core::max(1, 2)\n',
    # operators: precedence, associativity, newlines around them
    'a = 1 + 2 * 3\n', 'a = 1 * 2 + 3\n', 'a = (1 + 2) * 3\n', 'a = a || b && c\n', 'a = a && b || c\n',
    'a = a == b != c\n', 'a = a < b\nb = a <= b\nc = a > b\nd = a >= b\n', 'a = a / b % c\n', 'a = !a\n',
    'a = !a.b\n', 'a = -a\n', 'a = -(-a)\n', 'a = !(a && b)\n', 'a = 1 - 2 - 3\n', 'a = a == b == c\n',
    'a = a < b < c\n', 'a = a +\n  b\n', 'a = a\n  + b\n', 'a = a\n  * b\n  / c\n', 'a = a # c\n  + b\n',
    'a = a + b # c\nb = 2\n', 'a = a + b\n\n\nb = 2\n', 'a = a + b * c\nb = 1\n', 'a = a * b + c\nb = 1\n',
    'a = (a\n+ b)\n', 'a = (a + b\n)\n', 'a = [a + b\n, c]\n', 'a = 1 + -2\n', 'a = 1 + -12\n',
    'a = x.y * -z[0]\n', 'a = a && b\n  || c\n', 'a = ( # c\n  a\n)\n', 'a = (a)\n', 'a = ((a))\n',
    'a = a * b\n\n+ c\n', 'a = (b && !c\n  # why\n  ? 1 : 2)\n',
    # conditionals
    'a = x ? 1 : 2\n', 'a = x ? y ? 1 : 2 : 3\n', 'a = x ? 1 : y ? 2 : 3\n', 'a = x ? 1 : y ? 2 : z ? 3 : 4\n',
    'a = x == 1 ? "a" : "b"\n', 'a = x\n  ? 1\n  : 2\n', 'a = x ?\n  1 :\n  2\n', 'a = x ? a + b : c\n',
    'a = x ? a + b\n  : c\n', 'a = (x ? 1 : 2) + 1\n', 'a = x ? (y ? 1 : 2) : 3\n', 'a = x ? 1 : (y ? 2 : 3)\n',
    'a = !x ? -1 : 1\n', 'a = x ? {a = 1} : {}\n', 'a = x ? 1 : 2\nb = 1\n',
    # blocks
    'b {}\n', 'b {\n}\n', 'b "l" {}\n', 'b l1 "l2" l3 {}\n', 'b {a = 1}\n', 'b { a = 1 }\n', 'b\n{\n}\n',
    'b {\n  c {\n    d "x" {\n      e = 1\n    }\n  }\n}\n', 'in {}\n', 'for_each = 1\n', 'b for {}\n',
    'dynamic "x" {\n  for_each = var.y\n  content {\n    a = x.value\n  }\n}\n', 'b {\n  # c\n}\n',
    'b { # c\n}\n', 'b {\n\n  a = 1\n\n}\n', 'b "l"\n{}\n', 'true = 1\n', 'b true {}\n', 'b "" {}\n',
    # comments, blanks and file ends
    '', '\n', '# c\n', '// c\n', '/* c */\n', '/* multi\nline */\na = 1\n', 'a = 1 # c\n', 'a = 1 // c\n',
    'a = 1 /* c */\n', 'a = 1', 'a = 1 # c', 'b {}', '\n\n\na = 1\n\n\n', 'a = 1\t\n', '\ta\t=\t1\n',
    'a = 1\nb = 2', 'a = f(1) /* c\n*/\n', '\ufeffa = 1\r\nb = 2\r\n',
]

# Lark accepts these, tree-sitter-hcl reads them differently or not at all: the fast parser must
# fall back (or, should tree-sitter learn them, give the same tree).
FALLBACK = [
    'a = 1e5\n',  # tree-sitter-hcl lexes `1` then a name `e5`
    'a = { a = 1 -2 }\n',  # Lark lexes `-2` as a number where another element may follow
    'a = { for = 1 }\n', 'a = { in = 1 }\n',  # keyword keys: a tree-sitter error
    'b "${x}" {}\n',  # interpolated block label
    'a = "\\q"\n',  # an escape HCL does not define
    'a = <<EOT\nx\n  EOT  \nEOT\n',  # a closing marker with trailing blanks
    'x = in\n',  # keyword-named variables
]

# Lark refuses these; the fast parser must refuse them too (None), whatever tree-sitter thinks.
REJECTED = [
    'a = \n', 'a = [\n', 'a = "x\n', 'a = 1 +\n', '= 1\n', 'a = x.\n', 'a = 1.\n', 'a = ${x}\n',
    'a = "x"y\n', 'a =\n 1\n', 'a\n= 1\n', 'a = f(1\n,)\n', 'a = x\n.y\n', 'a = [for]\n',
    'a = "${x\n}"\n', 'a = 1 ? 2\n', 'a = x ?? y\n', 'a = \u00a0 1\n', 'a = 1\x0c\n', 'a = <<EOT\nnever closed\n',
    'a = "$${"\n', 'a = "${~x}"\n', 'a = - -a\n', 'a = !!a\n', 'a = a\n\n+ b\n', 'a = a\n- b\n', 'a = a -12\n',
    'a = [a -12]\n', 'a = /* c */ 1\n', 'a /* c */ = 1\n', 'a = f(a::b(1))\n', 'a = [for x in y : x if0]\n',
    'a = [for x in-1 : x]\n', 'a = x <<EOT\ny\nEOT\n', 'a = a + b\n\n# x\n* c\n',
    'a = x\n\n* b\n',
]


@pytest.mark.parametrize("text", MAPPED)
def test_mapped_snippets(text: str) -> None:
    assert assert_same_or_fallback(text, must_map=True) == "same"


@pytest.mark.parametrize("text", FALLBACK)
def test_fallback_snippets(text: str) -> None:
    assert assert_same_or_fallback(text) in ("same", "fallback")
    assert lark_tree(text) is not None


@pytest.mark.parametrize("text", REJECTED)
def test_rejected_snippets(text: str) -> None:
    assert assert_same_or_fallback(text) == "rejected"


HOSTILE = [
    "a = " + "[" * 3000 + "]" * 3000 + "\n",
    "a = " + "(" * 3000 + "1" + ")" * 3000 + "\n",
    "a = " + "-(" * 500 + "1" + ")" * 500 + "\n",
    "a = " + " + ".join(["1"] * 3000) + "\n",
    "a = " + "x ? " * 400 + "1" + " : 2" * 400 + "\n",
    'a = "' + "${" * 300 + "1" + "}" * 300 + '"\n',
    "b {\n" * 90 + "}\n" * 90, "b {\n" * 600 + "}\n" * 600,
    "a = \x00\n", "a = \"\ud800\"\n", "\x00", "a = \"" + "x" * 50_000 + "\"\n", "}\n", "a = <<\n",
]


@pytest.mark.parametrize("text", HOSTILE, ids=[str(i) for i in range(len(HOSTILE))])
def test_hostile_input_never_raises(text: str) -> None:
    parse_body_fast(text)  # must not raise, whatever the text, even without the final newline
    got = fast_tree(text)
    if got is not None:
        assert got == lark_tree(text)


def _random_body(rnd: random.Random) -> str:
    """Valid-looking HCL with blanks, newlines and comments in every position, often invalid."""
    def gap() -> str:
        roll = rnd.random()
        if roll < 0.85:
            return rnd.choice(["", " ", "  "])
        return rnd.choice(["\n", "\n  ", " # c\n", " // c\n", "\n\n", " /* c */ ", "/*a\nb*/"])

    def term(depth: int) -> str:
        roll = rnd.random() if depth < 3 else rnd.random() * 0.2
        if roll < 0.1:
            return rnd.choice(["1", "12", "1.5", "1.5e3", "-1", "-12", "-1.5", "true", "null"])
        if roll < 0.2:
            return rnd.choice(["a", "x_1", "foo-bar", "var.v", "each.value", "count.index"])
        if roll < 0.3:
            inner = rnd.choice(["abc", "a\\\"b", "$${x}", "%%{y}", "${" + expr(depth + 1) + "}",
                                "%{ if " + expr(depth + 1) + " ~}x%{~ else }y%{ endif }",
                                "%{ for k, v in " + expr(depth + 1) + " }${v}%{ endfor }"])
            return '"' + inner + '"'
        if roll < 0.4:
            return "(" + gap() + expr(depth + 1) + gap() + ")"
        if roll < 0.5:
            items = [expr(depth + 1) for _ in range(rnd.randint(0, 3))]
            return "[" + gap() + ("," + gap()).join(items) + rnd.choice(["", ","]) + gap() + "]"
        if roll < 0.6:
            items = [rnd.choice(["k", '"k"', "(k)"]) + rnd.choice([" = ", ":", " : "]) + expr(depth + 1)
                     for _ in range(rnd.randint(0, 3))]
            return "{" + gap() + rnd.choice([",", "\n", ",\n"]).join(items) + rnd.choice(["", ",", "\n"]) + "}"
        if roll < 0.7:
            args = [expr(depth + 1) for _ in range(rnd.randint(0, 3))]
            tail = rnd.choice(["", ",", "..."]) if args else ""
            return rnd.choice(["f", "provider::p::g"]) + "(" + gap() + ("," + gap()).join(args) + tail + gap() + ")"
        if roll < 0.8:
            return term(depth + 1) + "".join(rnd.choice([".a", ".0", "[0]", "[" + expr(depth + 1) + "]", ".*", "[*]"])
                                             for _ in range(rnd.randint(1, 3)))
        if roll < 0.9:
            intro = "for" + gap() + rnd.choice(["v", "k, v"]) + gap() + "in " + expr(depth + 1) + gap() + ":" + gap()
            cond = rnd.choice(["", gap() + "if " + expr(depth + 1)])
            if rnd.random() < 0.5:
                return "[" + gap() + intro + expr(depth + 1) + cond + gap() + "]"
            return "{" + gap() + intro + expr(depth + 1) + " => " + gap() + expr(depth + 1) + rnd.choice(["", "..."]) + cond + "}"
        if roll < 0.95:
            return rnd.choice(["<<EOT\n  x ${a}\n  EOT\n", "<<-EOT\n  x\n  EOT\n"])
        return rnd.choice(["-", "!"]) + term(depth + 1)

    def expr(depth: int) -> str:
        roll = rnd.random()
        if depth > 3 or roll < 0.5:
            return term(depth)
        if roll < 0.8:
            operator = rnd.choice(["+", "-", "*", "/", "%", "==", "!=", "<", ">", "<=", ">=", "&&", "||"])
            return expr(depth + 1) + gap() + operator + gap() + expr(depth + 1)
        return expr(depth + 1) + gap() + "?" + gap() + expr(depth + 1) + gap() + ":" + gap() + expr(depth + 1)

    lines = []
    for _ in range(rnd.randint(1, 3)):
        if rnd.random() < 0.3:
            lines.append(rnd.choice(["b", 'b "l"', "b l"]) + " {" + rnd.choice(["\n", " "]) + "a = " + expr(0) + "\n}")
        else:
            lines.append(rnd.choice(["a", "in", "x_1"]) + rnd.choice([" = ", "="]) + expr(0))
    return rnd.choice(["\n", "\n\n", " # c\n"]).join(lines) + rnd.choice(["\n", ""])


def test_random_expressions() -> None:
    rnd = random.Random(20261128)
    outcomes = [assert_same_or_fallback(_random_body(rnd)) for _ in range(250)]
    assert outcomes.count("same") >= 25  # the generator is not only producing rejected text


def test_the_loader_parses_with_the_fast_backend_for_the_proven_grammar(monkeypatch):
    # Fails when python-hcl2's grammar changes: prove the backend on the new one (the tests
    # above), then update hclparse.FAST_GRAMMAR. Until then Lark parses alone, correctly.
    from guardrails.terraform.hcl import parse as hclparse

    monkeypatch.delenv("GUARDRAILS_HCL_BACKEND", raising=False)
    hclparse._fast_backend.cache_clear()
    try:
        assert hclparse._fast_backend()
        monkeypatch.setenv("GUARDRAILS_HCL_BACKEND", "lark")
        hclparse._fast_backend.cache_clear()
        assert not hclparse._fast_backend()
    finally:
        hclparse._fast_backend.cache_clear()
