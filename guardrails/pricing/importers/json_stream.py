"""A JSON object read member by member through a window of the file: AWS offer files run to
gigabytes, and only the few members we keep are ever built as Python values."""
from __future__ import annotations

import json
import re
from typing import Any, Iterator, TextIO

CHUNK = 1 << 20  # characters per read of a JSON offer file


class Malformed(Exception):
    pass


_WHITESPACE = re.compile(r"[ \t\n\r]*")


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


_FILLER = re.compile(r'(?:[^"{}\[\]]+|"[^"\\]*(?:\\.[^"\\]*)*")*')


_ATOM = re.compile(r'[^\s,:\[\]{}"]+')


class JsonScanner:
    """Walks a JSON document through a window of the file, building only the values asked for.

    `members()` iterates an object's keys; after each key the caller must consume the value
    with `read()` (build it), `skip()` (pass over it without building it) or `members()`.
    """

    def __init__(self, handle: TextIO, chunk: int = CHUNK) -> None:
        self._handle = handle
        self._chunk = max(1, chunk)
        self._buf = ""
        self._pos = 0

    def _refill(self, drop: int) -> None:
        """Append a chunk, dropping the text before index `drop` (already consumed)."""
        data = self._handle.read(self._chunk)
        if not data:
            raise Malformed("unexpected end of file")
        self._buf = self._buf[drop:] + data
        self._pos -= drop

    def _peek(self) -> str:
        while True:
            self._pos = _WHITESPACE.match(self._buf, self._pos).end()
            if self._pos < len(self._buf):
                return self._buf[self._pos]
            self._refill(self._pos)

    def members(self) -> Iterator[str]:
        if self._peek() != "{":
            raise Malformed(f"expected an object, found {self._peek()!r}")
        self._pos += 1
        if self._peek() == "}":
            self._pos += 1
            return
        while True:
            if self._peek() != '"':
                raise Malformed(f"expected a key, found {self._peek()!r}")
            key = json.loads(self._advance(keep=True) or '""')
            if self._peek() != ":":
                raise Malformed(f"expected ':' after {key!r}")
            self._pos += 1
            self._peek()
            yield key
            separator = self._peek()
            self._pos += 1
            if separator == "}":
                return
            if separator != ",":
                raise Malformed(f"expected ',' or '}}' after the value of {key!r}, found {separator!r}")

    def read(self) -> Any:
        self._peek()
        text = self._advance(keep=True) or ""
        try:
            return json.loads(text)
        except ValueError as exc:
            raise Malformed(str(exc)) from None

    def skip(self) -> None:
        self._peek()
        self._advance(keep=False)

    def _advance(self, keep: bool) -> str | None:
        """Move past the value at the cursor; its text when `keep` (else the window may slide)."""
        start = i = self._pos
        depth = 0
        while True:
            if i >= len(self._buf):
                drop = start if keep else i
                self._refill(drop)
                start, i = start - drop, i - drop
                continue
            char = self._buf[i]
            if char == '"':
                match = _STRING.match(self._buf, i)
                if match is None:  # the string goes on past the window
                    drop = start if keep else i
                    self._refill(drop)
                    start, i = start - drop, i - drop
                    continue
                i = match.end()
                if depth == 0:
                    break
            elif char in "{[":
                depth += 1
                i += 1
            elif char in "}]":
                if depth == 0:
                    raise Malformed(f"unexpected {char!r}")
                depth -= 1
                i += 1
                if depth == 0:
                    break
            elif depth == 0:
                match = _ATOM.match(self._buf, i)
                if match is None:
                    raise Malformed(f"unexpected {char!r}")
                if match.end() == len(self._buf):  # a number may go on in the next chunk
                    drop = start if keep else i
                    self._refill(drop)
                    start, i = start - drop, i - drop
                    continue
                i = match.end()
                break
            else:
                # Inside a container: one regex call passes every string and scalar up to the next bracket.
                i = _FILLER.match(self._buf, i).end()
                if i < len(self._buf) and self._buf[i] == '"':  # a string runs on past the window
                    drop = start if keep else i
                    self._refill(drop)
                    start, i = start - drop, i - drop
        text = self._buf[start:i] if keep else None
        self._pos = i
        return text
