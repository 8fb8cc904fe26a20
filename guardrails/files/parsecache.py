"""Parsed files kept between runs, keyed by content: the second run does not parse at all.

python-hcl2 parses about a quarter of a megabyte per second; a cached parse is decoded in a
fraction of that, and a run whose files are all cached never loads the HCL grammar. Entries
are keyed by the file's path and content, our version and python-hcl2's, written atomically
(temp file + rename) so concurrent runs never see half an entry, and any entry that cannot be
read (truncated, corrupt, from another version) is parsed again and replaced. The cache lives in
GUARDRAILS_CACHE_DIR (default: the user cache directory); `--no-cache` or a read-only file
system turns it off. It holds only what we parsed from the user's own files.

Entries are data (files/datacodec.py: JSON with a closed set of tagged types), never pickle:
a cache directory may have been written by someone else (a restored CI cache, a shared
directory), and reading an entry must not be able to run code. One that does not decode to what
we wrote is a miss, parsed again and replaced.
"""
from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path
from typing import Callable, Sequence, TypeVar

from guardrails import __version__
from guardrails.files.cache import cache_dir

T = TypeVar("T")
FORMAT = "4"  # 2: lark-free syntax trees (terraform/hcl/nodes); 3: data-only entries (datacodec); 4: block layout checked


@functools.lru_cache(maxsize=None)
def parser_identity() -> str:
    """What our parse trees depend on: python-hcl2's grammar file, found without importing it."""
    from importlib.util import find_spec

    spec = find_spec("hcl2")
    if spec is None or not spec.submodule_search_locations:
        return "unknown"
    grammar = Path(next(iter(spec.submodule_search_locations))) / "hcl2.lark"
    try:
        return hashlib.sha256(grammar.read_bytes()).hexdigest()[:16]
    except OSError:
        return "unknown"


_SALT: bytes | None = None


def _salt() -> bytes:
    global _SALT
    if _SALT is None:
        _SALT = f"{FORMAT}\0{__version__}\0{parser_identity()}\0".encode()
    return _SALT


def _entry(directory: Path, kind: str, path: str, text: str) -> Path:
    digest = hashlib.sha256(_salt() + f"{kind}\0{path}\0".encode() + text.encode("utf-8", "surrogatepass")).hexdigest()
    return directory / "parse" / digest[:2] / f"{digest}.json"


def missing(kind: str, files: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (path, text) pairs the cache has no entry for; none when there is no cache."""
    directory = cache_dir()
    if directory is None:
        return []
    return [(path, text) for path, text in files if not _entry(directory, kind, path, text).exists()]


def cached(kind: str, path: str, text: str, build: Callable[[], T]) -> T:
    """`build()`'s result for this file's content, from the cache when it is there."""
    directory = cache_dir()
    if directory is None:
        return build()
    from guardrails.files.datacodec import DecodeError, decode

    entry = _entry(directory, kind, path, text)
    try:
        with open(entry, "rb") as handle:
            return decode(handle.read())
    except FileNotFoundError:
        pass
    except (OSError, DecodeError):  # a damaged or foreign entry is a cache miss, never an error
        _remove(entry)
    value = build()
    _store(entry, value)
    return value


def _store(entry: Path, value: object) -> None:
    from guardrails.files.datacodec import encode

    try:
        data = encode(value)
    except (TypeError, ValueError, RecursionError):
        return  # a value the codec does not hold (or nested past the stack) is simply not cached
    try:
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        import tempfile  # only when writing: a warm run never does

        fd, temp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, entry)
        except BaseException:
            _remove(Path(temp))
            raise
    except OSError:
        pass  # a cache that cannot be written only costs speed


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
