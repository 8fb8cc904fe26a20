"""One wording for a JSON syntax error, whole: Python's messages end in "starting at" and leave
the place to the exception's fields, so a bare `exc.msg` reads as if it were cut off."""
from __future__ import annotations

import re
from json import JSONDecodeError


def json_problem(exc: JSONDecodeError) -> str:
    """`invalid JSON at line L, column C: <what>`, saying when the text ends early."""
    what = exc.msg[:1].lower() + exc.msg[1:]
    if what.endswith(" starting at"):
        # "Unterminated string starting at": the place given is where the string starts.
        what = what[: -len(" starting at")] + " starts here"
    text = exc.doc if isinstance(exc.doc, str) else ""
    ended = text and (exc.pos >= len(text.rstrip()) or what.startswith("unterminated string"))
    hint = " (the file ends early: was it cut off?)" if ended else ""
    return f"invalid JSON at line {exc.lineno}, column {exc.colno}: {what}{hint}"


_LONG_NUMBER = re.compile(r"[0-9]{4300,}")


def limit_problem(exc: BaseException, text: str) -> tuple[int, str]:
    """(line, message) for JSON that parses but is beyond what Python reads: an integer of more
    than 4,300 digits (Python's own bound against quadratic conversion), or nesting deeper than
    its recursion allows. The place is found only now, so a good file costs nothing."""
    if isinstance(exc, RecursionError):
        return _deepest_line(text), "JSON nested too deeply to read (more than about 1,000 levels)"
    found = _LONG_NUMBER.search(text)
    line = text.count("\n", 0, found.start()) + 1 if found else 1
    digits = len(found.group()) if found else 0
    return line, f"a number of {digits:,} digits, more than guardrails reads"


def _deepest_line(text: str) -> int:
    """The line where nesting first passes 900 levels, skipping strings."""
    depth, line, index, size = 0, 1, 0, len(text)
    while index < size:
        char = text[index]
        if char == '"':
            end = index + 1
            while end < size and text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            line += text.count("\n", index, end)
            index = end + 1
            continue
        if char in "[{":
            depth += 1
            if depth > 900:
                return line
        elif char in "]}":
            depth -= 1
        elif char == "\n":
            line += 1
        index += 1
    return 1
