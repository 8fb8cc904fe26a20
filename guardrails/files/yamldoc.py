"""What a read YAML document is, and how its paths are spelled: without importing PyYAML.

The rules and the policy loader need these on every run; PyYAML itself is only needed when a
YAML text is actually read (files/yamllines), which a run with every input cached skips.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

_PLAIN_KEY = re.compile(r"[A-Za-z0-9_\-/]+\Z")


@dataclass(frozen=True)
class YamlDocument:
    value: Any
    lines: dict[str, int]
    start_line: int  # first line of the document's content
    end_line: int  # last line of the document's content


class YamlError(Exception):
    """A YAML stream that cannot be read; `str()` is `file:line: message`."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file = file
        self.line = line
        self.message = message


class YamlLimitError(YamlError):
    """A size limit was hit: reading on would only repeat the costly work."""

    def __init__(self, file: str, line: int, reason: str, limit: str) -> None:
        super().__init__(file, line, f"{reason}; {_NOT_READ}")
        self.reason = reason
        self.limit = limit  # the parameter that was exceeded: "max_nodes" or "max_depth"

    def naming(self, setting: str) -> str:
        """The message with the setting that raises the limit, for users who can change it."""
        return f"{self.reason} ({setting}); {_NOT_READ}"


_NOT_READ = "the rest of the file is not read"


def join_path(path: str, key: Any) -> str:
    """`path` extended by the map key `key`, spelled as `lines` spells it."""
    return _join(path, _step(key))


def _step(key: Any) -> str:
    if isinstance(key, str) and _PLAIN_KEY.match(key):
        return "." + key
    quoted = json.dumps(key if isinstance(key, str) else str(key), ensure_ascii=False)
    # Characters Python (and some viewers) take as line ends: a path is always shown on one line.
    return "[" + quoted.translate(_LINE_ENDS) + "]"


_LINE_ENDS = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def _join(path: str, step: str) -> str:
    if path:
        return path + step
    return step[1:] if step[0] == "." else step
