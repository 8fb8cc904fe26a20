"""One wording for a JSON syntax error, whole: Python's messages end in "starting at" and leave
the place to the exception's fields, so a bare `exc.msg` reads as if it were cut off."""
from __future__ import annotations

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
