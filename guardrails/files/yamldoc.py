"""What a read YAML document is, and how its paths are spelled: without importing PyYAML.

The rules and the policy loader need these on every run; PyYAML itself is only needed when a
YAML text is actually read (files/yamllines), which a run with every input cached skips.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from guardrails.files import datacodec

@dataclass(frozen=True)
class YamlDocument:
    value: Any
    lines: dict[str, int]
    start_line: int  # first line of the document's content
    end_line: int  # last line of the document's content


def _decode_document(fields: list) -> YamlDocument:
    value, lines, start, end = fields
    datacodec.expect(type(lines) is dict and type(start) is int and type(end) is int)
    return YamlDocument(value, lines, start, end)


datacodec.register("Y", YamlDocument, lambda d: [datacodec.encode_value(d.value), datacodec.encode_value(d.lines),
                                                  d.start_line, d.end_line], _decode_document)


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
