"""The ignore-comment grammar: `guardrails:ignore <rule-id>[,<rule-id>...] [until=YYYY-MM-DD] <reason>`.

An id is a rule's `id`, a rule type, or `*`. The front ends find the directives (Terraform
comments through `find_directives`, Kubernetes annotations through `parse_directive`) and attach
them to resources; engine/suppress decides what they suppress.
"""
from __future__ import annotations

import datetime as _dt
import re

from guardrails.core.model import Suppression

MARKER = "guardrails:ignore"
RULE_ID = "suppression"

_ID = re.compile(r"^(\*|[A-Za-z0-9_.-]+)$")
# Ids are separated by commas; spaces around a comma are forgiven ("tags, sizes").
_IDS = re.compile(r"^\s*([^\s,]+(?:\s*,\s*[^\s,]+)*)")
_UNTIL = re.compile(r"^\s*until=(\S*)")
_MARKER_IN_COMMENT = re.compile(re.escape(MARKER) + r"(?=\s|$)")


def parse_directive(text: str, line: int) -> Suppression:
    """Parse the body after the marker: `<rule-id>[,...] [until=YYYY-MM-DD] <reason>`.

    Never raises: what makes the directive unusable is in `problem`.
    """
    ids_match = _IDS.match(text)
    if not ids_match:
        return Suppression(rules=(), reason="", until=None, line=line,
                           problem="names no rule: write `guardrails:ignore <rule-id> <reason>`")
    rules = tuple(part.strip() for part in ids_match.group(1).split(","))
    rest = text[ids_match.end():]
    until: str | None = None
    problem: str | None = None
    until_match = _UNTIL.match(rest)
    if until_match:
        until = until_match.group(1)
        rest = rest[until_match.end():]
        if parse_date(until) is None:
            problem = f"until={until} is not a date (YYYY-MM-DD)"
    reason = " ".join(rest.split())
    bad_ids = [rule for rule in rules if not _ID.match(rule)]
    if bad_ids:
        problem = f"{bad_ids[0]!r} is not a rule id (letters, digits, '_', '.', '-', or '*')"
    elif problem is None and not reason:
        problem = "has no reason: say why after the rule id"
    return Suppression(rules=rules, reason=reason, until=until, line=line, problem=problem)


def parse_date(text: str) -> _dt.date | None:
    """A strict YYYY-MM-DD date, or None."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return None
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        return None


def find_directives(text: str) -> list[Suppression]:
    """One `Suppression` per HCL comment (`#`, `//`, `/* */`) that holds the marker.

    The line is that of the marker. Strings, template interpolations and heredocs are skipped
    so that a `#` inside a value is not taken for a comment.
    """
    found: list[Suppression] = []
    for body, line in _comments(text):
        marker = _MARKER_IN_COMMENT.search(body)
        if marker is None:
            continue
        line += body.count("\n", 0, marker.start())
        found.append(parse_directive(" ".join(body[marker.end():].split()), line))
    return found


def _comments(text: str) -> list[tuple[str, int]]:
    """(comment text without its delimiters, 1-based line where it starts) in source order."""
    comments: list[tuple[str, int]] = []
    # Each entry is a nesting level: "s" a quoted string, "e" an interpolation ${...} with
    # its own brace depth. At the bottom of the stack we are in plain HCL.
    stack: list[list] = []
    i, line, size = 0, 1, len(text)
    while i < size:
        char = text[i]
        top = stack[-1] if stack else None
        if char == "\n":
            line += 1
            i += 1
            continue
        if top is not None and top[0] == "s":
            if char == "\\":
                if text.startswith("\n", i + 1):
                    line += 1
                i += 2
            elif char == '"':
                stack.pop()
                i += 1
            elif text.startswith(("${", "%{"), i) and not text.startswith(("$${", "%%{"), i - 1):
                stack.append(["e", 0])
                i += 2
            else:
                i += 1
            continue
        if char == '"':
            stack.append(["s"])
            i += 1
        elif char == "#" or text.startswith("//", i):
            start = i + (1 if char == "#" else 2)
            end = text.find("\n", start)
            end = size if end < 0 else end
            comments.append((text[start:end], line))
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = size if end < 0 else end
            body = text[i + 2:end]
            # Continuation lines decorated with a leading " * " are prose, not a wildcard id.
            comments.append((_BLOCK_DECORATION.sub("\n", body), line))
            line += body.count("\n")
            i = end + 2
        elif text.startswith("<<", i) and top is None:
            i, line = _skip_heredoc(text, i, line)
        elif top is not None and char == "{":
            top[1] += 1
            i += 1
        elif top is not None and char == "}":
            if top[1] == 0:
                stack.pop()
            else:
                top[1] -= 1
            i += 1
        else:
            i += 1
    return comments


_BLOCK_DECORATION = re.compile(r"\n[ \t]*\*(?!/)")
_HEREDOC = re.compile(r"<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\n")


def _skip_heredoc(text: str, start: int, line: int) -> tuple[int, int]:
    """Skip a heredoc whole: its body may contain `#` and quotes that are not HCL."""
    opener = _HEREDOC.match(text, start)
    if opener is None:
        return start + 2, line
    closer = re.compile(r"^[ \t]*" + re.escape(opener.group(1)) + r"[ \t]*$", re.MULTILINE)
    end_match = closer.search(text, opener.end())
    end = len(text) if end_match is None else end_match.end()
    return end, line + text.count("\n", start, end)
