"""Parse HCL text into python-hcl2's raw Lark tree, with our own grammar cache.

python-hcl2 caches its compiled grammar next to its own sources, which fails on read-only
installs (and then costs a grammar build on every run), so we build the same parser with the
cache in the user's cache directory.
"""
from __future__ import annotations

import functools
import hashlib
import os
import re
from pathlib import Path
from typing import Any

from guardrails.files.cache import cache_dir
from guardrails.files.datacodec import decode, encode
from guardrails.terraform.hcl.nodes import Node, from_lark


class HclSyntaxError(Exception):
    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


@functools.lru_cache(maxsize=None)
def _parser() -> Any:
    """python-hcl2's LALR parser, compiled once per grammar and lark version, then loaded.

    Saved by us rather than through lark's own `cache=` option, whose key includes the cache
    file's path (a CI cache restored elsewhere would compile again, ~4 s) and which writes the
    file in place; ours is keyed by content and written atomically.
    """
    import sys

    import lark
    from lark import Lark
    from lark.lark import _LOAD_ALLOWED_OPTIONS

    import hcl2
    from hcl2.postlexer import PostLexer

    grammar = Path(hcl2.__file__).parent / "hcl2.lark"
    text = grammar.read_text(encoding="utf-8")
    directory = cache_dir()
    saved = None
    if directory is not None:
        key = hashlib.sha256(f"{text}\0{lark.__version__}\0{sys.version_info[:2]}\0lalr+positions".encode()).hexdigest()[:24]
        saved = directory / f"hcl2-grammar-{key}.json"
        try:
            with open(saved, "rb") as handle:
                # lark's own `save` pickles; we keep its serialised tables as data instead
                # (datacodec), and hand lark the dict, which it rebuilds from its own classes only.
                tables = decode(handle.read())
            return Lark.__new__(Lark)._load(tables, postlex=PostLexer(), propagate_positions=True)
        except FileNotFoundError:
            pass
        except Exception:  # noqa: BLE001 - a damaged or foreign file is compiled again
            _unlink(saved)
    parser = Lark.open(str(grammar), parser="lalr", propagate_positions=True, postlex=PostLexer())
    if saved is not None:
        _save(parser, saved, _LOAD_ALLOWED_OPTIONS)
    return parser


def _save(parser: Any, target: Path, exclude: Any) -> None:
    try:
        import tempfile  # only when writing: a warm run never does

        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-grammar-")
        try:
            from lark.grammar import Rule
            from lark.lexer import TerminalDef

            # What lark's `save` would pickle, as data.
            data, memo = parser.memo_serialize([TerminalDef, Rule])
            data["options"] = {k: v for k, v in data["options"].items() if k not in exclude}
            with os.fdopen(fd, "wb") as handle:
                handle.write(encode({"data": data, "memo": memo}))
            os.replace(temp, target)
        except BaseException:
            _unlink(Path(temp))
            raise
    except Exception:  # noqa: BLE001 - a cache that cannot be written only costs speed
        pass


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


_CORE_PREFIX = re.compile(r"(?<![\w:])core::(?=[A-Za-z_]\w*\s*\()")


def clean_source(text: str) -> str:
    """Repair what Terraform accepts and python-hcl2 does not.

    A BOM, CRLF line ends, and the `core::` namespace of built-in functions (Terraform 1.8+),
    which means exactly the function without it.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if "core::" in text:
        text = _CORE_PREFIX.sub("", text)
    return text


def repair_layout(text: str) -> str:
    """A second reading for a file python-hcl2 rejected, of two layouts Terraform accepts.

    A heredoc's end marker followed by spaces, and an attribute access continued on the next
    line (`local.cfg` then `.node` inside brackets): the continuation is joined onto the line
    it continues and an empty line left in its place, so every line keeps its number. Heredoc
    bodies are left alone. Only tried after a failed parse, so a good file is never touched.
    """
    lines = text.split("\n")
    out: list[str] = []
    marker: str | None = None
    anchor: int | None = None  # the line a continuation may be joined onto
    for line in lines:
        if marker is not None:
            if line.strip() == marker:
                line = line.rstrip(" \t")
                marker = None
            out.append(line)
            anchor = None
            continue
        if anchor is not None and _CONTINUED_ACCESS.match(line):
            out[anchor] += " " + line.strip()
            out.append("")
            joined = out[anchor]
        else:
            out.append(line)
            code = line.strip()
            anchor = len(out) - 1 if code and not any(mark in line for mark in ("#", "//", "/*", "*/")) else None
            joined = line
        opened = _HEREDOC_OPEN.search(joined)
        if opened:
            marker, anchor = opened.group(1), None
    return "\n".join(out)


_HEREDOC_OPEN = re.compile(r"<<-?([A-Za-z_][\w-]*)[ \t]*$")
_CONTINUED_ACCESS = re.compile(r"[ \t]*\.[A-Za-z_*]")


def parse_body(text: str) -> Node:
    """The `start` tree of an HCL file; HclSyntaxError with line and column on failure."""
    text = clean_source(text)
    try:
        return _parse(text)
    except HclSyntaxError as first:
        repaired = repair_layout(text)
        if repaired == text:
            raise
        try:
            return _parse(repaired)
        except HclSyntaxError:
            raise first from None


# The python-hcl2 grammar (hash of hcl2.lark) whose trees the tree-sitter backend reproduces,
# proven by tests/terraform/test_tsparse.py. Another grammar is parsed by Lark only, until it is proven too.
FAST_GRAMMAR = "856e0a0a416400a6"


def _parse(text: str) -> Node:
    if _fast_backend():
        from guardrails.terraform.hcl.treesitter import parse_body_fast

        fast = parse_body_fast(text + "\n")
        if fast is not None:
            return fast
    return _parse_with_lark(text)


@functools.lru_cache(maxsize=None)
def _fast_backend() -> bool:
    if os.environ.get("GUARDRAILS_HCL_BACKEND") == "lark":
        return False  # the reference parser only: for comparing, and a way out of a backend bug
    from guardrails.files.parsecache import parser_identity
    from guardrails.terraform.hcl.treesitter import available

    return parser_identity() == FAST_GRAMMAR and available()


def _parse_with_lark(text: str) -> Node:
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

    try:
        tree = _parser().parse(text + "\n")
    except UnexpectedToken as exc:
        found = "end of file" if exc.token.type == "$END" else repr(exc.token.value)
        raise HclSyntaxError(exc.line, exc.column, f"unexpected {found}") from None
    except UnexpectedCharacters as exc:
        char = text[exc.pos_in_stream] if 0 <= exc.pos_in_stream < len(text) else "?"
        raise HclSyntaxError(exc.line, exc.column, f"unexpected character {char!r}") from None
    except UnexpectedEOF:
        line = text.count("\n") + 1
        raise HclSyntaxError(line, 0, "unexpected end of file") from None
    except UnexpectedInput as exc:  # pragma: no cover - other lark input errors
        raise HclSyntaxError(getattr(exc, "line", 0), getattr(exc, "column", 0), str(exc).splitlines()[0]) from None
    except RecursionError:
        raise HclSyntaxError(0, 0, "nested too deeply to parse") from None
    return from_lark(tree)


def parse_expression(source: str) -> Any:
    """The expression tree of a single expression given as text."""
    tree = parse_body(f"__value = {source}\n")
    body = tree.children[0]
    for child in body.children:
        if getattr(child, "data", None) == "attribute":
            return child.children[-1]
    raise HclSyntaxError(1, 0, "not an expression")
