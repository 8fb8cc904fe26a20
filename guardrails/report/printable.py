"""What the change wrote, made safe to print in a terminal or a CI log.

A Kubernetes name, a tag value or a file name comes from the pull request. Printed raw, a line
break in it starts a new log line, and on GitHub a line starting with `::` is a workflow command
(`::add-mask::`, `::warning file=...::`); an escape sequence repaints the terminal. Text reports
show every control character, and the Unicode line and paragraph separators, as an escape
(`\\n`, `\\x1b`, `\\u2028`), so a report is exactly as many lines as it means to be.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Any

from guardrails.core.model import Report

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with control characters written as escapes; unchanged when it has none."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_clean(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: _clean(getattr(value, f.name))
                                             for f in dataclasses.fields(value) if f.init})
    return value


def printable_report(report: Report) -> Report:
    """The same report with every string the change could have written made printable."""
    return _clean(report)
