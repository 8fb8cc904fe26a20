"""Terraform's fileset() patterns, matched in time linear in the path: no backtracking.

`*` matches within a name, `**` across directories (`**/` also matches no directory at all), `?`
one character of a name, `[...]` a class (`[!...]` or `[^...]` negated), `{a,b}` alternatives,
and `\\` escapes. A regular expression would do the same, but a pull request writes the pattern:
`"************************x"` makes a backtracking engine try every split of a long name. Here
the pattern is a list of steps and a path is read once, keeping the set of steps it may be at.
"""
from __future__ import annotations

from typing import NamedTuple

MAX_ALTERNATIVES = 256  # {a,b}{c,d}... expands into this many patterns at most


class GlobError(ValueError):
    """The pattern cannot be read (an unterminated [ or {, too many alternatives)."""


class _Step(NamedTuple):
    # "char" (value: the character), "one" (?), "class", "star" (*), "any" (**); `**/` is a
    # "split" (matching nothing, or going on to) "dirs": anything that ends with a "/".
    kind: str
    value: str = ""
    negate: bool = False


class Glob:
    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._alternatives = [_steps(text) for text in _expand(pattern)]

    def fullmatch(self, path: str) -> bool:
        return any(_matches(steps, path) for steps in self._alternatives)


def _expand(pattern: str) -> list[str]:
    """The pattern with its {a,b} alternatives spelled out, nested braces included."""
    start = _brace(pattern)
    if start < 0:
        return [pattern]
    depth, parts, begin = 0, [], start + 1
    for index in range(start, len(pattern)):
        char = pattern[index]
        if char == "\\":
            continue
        if index > 0 and pattern[index - 1] == "\\":
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                parts.append(pattern[begin:index])
                head, tail = pattern[:start], pattern[index + 1:]
                out: list[str] = []
                for part in parts:
                    out.extend(_expand(head + part + tail))
                    if len(out) > MAX_ALTERNATIVES:
                        raise GlobError(f"more than {MAX_ALTERNATIVES} alternatives")
                return out
        elif char == "," and depth == 1:
            parts.append(pattern[begin:index])
            begin = index + 1
    raise GlobError("unterminated {")


def _brace(pattern: str) -> int:
    index = 0
    while index < len(pattern):
        if pattern[index] == "\\":
            index += 2
            continue
        if pattern[index] == "[":
            end = pattern.find("]", index + 1)
            index = end + 1 if end > 0 else index + 1
            continue
        if pattern[index] == "{":
            return index
        index += 1
    return -1


def _steps(pattern: str) -> list[_Step]:
    steps: list[_Step] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "*":
            end = index
            while end < len(pattern) and pattern[end] == "*":
                end += 1
            if end - index == 1:
                step = _Step("star")
            elif pattern.startswith("/", end):
                steps += [_Step("split"), _Step("dirs")]
                index = end + 1
                continue
            else:
                step = _Step("any")
            # A run of stars is one step: `***` matches what `**` matches, and costs no more.
            if not (steps and steps[-1] == step and step.kind in ("star", "any")):
                steps.append(step)
            index = end
            continue
        if char == "?":
            steps.append(_Step("one"))
        elif char == "[":
            end = pattern.find("]", index + 2 if pattern.startswith(("[!", "[^"), index) else index + 1)
            if end == -1:
                raise GlobError("unterminated [")
            body = pattern[index + 1:end]
            negate = body.startswith(("!", "^"))
            steps.append(_Step("class", _class_members(body[1:] if negate else body), negate))
            index = end + 1
            continue
        elif char == "\\" and index + 1 < len(pattern):
            index += 1
            steps.append(_Step("char", pattern[index]))
        else:
            steps.append(_Step("char", char))
        index += 1
    return steps


def _class_members(body: str) -> str:
    """The characters of a class body, ranges (`a-z`) spelled out."""
    out: list[str] = []
    index = 0
    while index < len(body):
        if index + 2 < len(body) and body[index + 1] == "-":
            low, high = body[index], body[index + 2]
            if low > high:
                raise GlobError(f"bad range {low}-{high}")
            out.extend(chr(code) for code in range(ord(low), min(ord(high), ord(low) + 0x3000) + 1))
            index += 3
        else:
            out.append(body[index])
            index += 1
    return "".join(out)


def _matches(steps: list[_Step], path: str) -> bool:
    states = _closure(steps, {0})
    for char in path:
        following: set[int] = set()
        for state in states:
            if state == len(steps):
                continue
            kind = steps[state].kind
            if kind == "split":
                continue  # it reads nothing: the closure went past it
            if kind in ("star", "any", "dirs"):
                if kind == "star" and char == "/":
                    continue
                following.add(state)  # a star stays where it is
                if kind == "dirs" and char == "/":
                    following.add(state + 1)  # "**/" may end after any "/"
            elif _accepts(steps[state], char):
                following.add(state + 1)
        if not following:
            return False
        states = _closure(steps, following)
    return len(steps) in states


def _closure(steps: list[_Step], states: set[int]) -> set[int]:
    """Add the states reached without reading a character: past a star, or `**/` matching nothing."""
    out = set(states)
    pending = list(states)
    while pending:
        state = pending.pop()
        if state >= len(steps):
            continue
        kind = steps[state].kind
        nexts = (state + 1,) if kind in ("star", "any") else (state + 1, state + 2) if kind == "split" else ()
        for following in nexts:
            if following not in out:
                out.add(following)
                pending.append(following)
    return out


def _accepts(step: _Step, char: str) -> bool:
    if step.kind == "char":
        return char == step.value
    if step.kind == "one":
        return char != "/"
    if step.kind == "class":
        return char != "/" and ((char in step.value) != step.negate)
    return False
