"""Terraform's RE2 patterns, translated to Python's `re` or refused: for regex() and policy patterns.

RE2 guarantees linear time and reads some syntax differently; a pattern Python would read
another way, or could take exponential time on, is refused, never answered differently.
"""
from __future__ import annotations

import re
from typing import Any, Iterator


class Refused(ValueError):
    """A pattern, or a pattern and text, we do not evaluate; the message says why."""


# --- regular expressions (Terraform's are RE2; we translate them to Python's `re`) ------------

MAX_PATTERN_CHARS = 2000
MAX_SUBJECT_CHARS = 1 << 16
# Backtracking may cost (length of text) ** (repeats + 1) steps where RE2 stays linear: a pattern and
# text whose worst case is beyond this many steps is Unknown rather than a hang.
MAX_REGEX_STEPS = 50_000_000

_WORD = "0-9A-Za-z_"
_ASCII_CLASSES = {"d": "0-9", "w": _WORD, "s": "\\t\\n\\f\\r "}
_POSIX_CLASSES = {
    "alnum": "0-9A-Za-z", "alpha": "A-Za-z", "ascii": "\\x00-\\x7f", "blank": "\\t ",
    "cntrl": "\\x00-\\x1f\\x7f", "digit": "0-9", "graph": "!-~", "lower": "a-z", "print": " -~",
    "punct": "!-/:-@\\[-`{-~", "space": "\\t\\n\\v\\f\\r ", "upper": "A-Z", "word": _WORD,
    "xdigit": "0-9A-Fa-f",
}
_SIMPLE_ESCAPES = {"a": "\a", "f": "\f", "t": "\t", "n": "\n", "r": "\r", "v": "\v"}
_REPEAT = re.compile(r"\{(\d+)(?:(,)(\d*))?\}")
_GROUP_NAME = re.compile(r"\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>")
_FLAGS = re.compile(r"\(\?([ims]*)(?:-([ims]+))?([:)])")


def _char(char: str) -> str:
    return f"\\U{ord(char):08x}"


class _Atom:
    """What the last piece of a pattern was, to judge the repeat that may follow it.

    `lead` and `tail` are the literal characters a group must start and end with, `looped` the
    pieces repeated in it: a repeated group like (-[a-z]+)* or ([a-z]+\\.)* cannot backtrack
    exponentially when nothing repeated inside can match its lead (or tail), because every round
    must then start (or end) at such a character.
    """

    __slots__ = ("repeats", "alternates", "weight", "literal", "lead", "tail", "looped", "text")

    def __init__(self, repeats: bool = False, alternates: bool = False, weight: int = 0,
                 literal: str | None = None) -> None:
        self.repeats, self.alternates, self.weight = repeats, alternates, weight
        self.literal, self.lead, self.tail, self.looped, self.text = literal, None, None, [], ""


class _Frame:
    __slots__ = ("flags", "wrappers", "pieces", "repeats", "alternates", "nested_alternates", "weight",
                 "branch_weight", "items", "lead", "tail", "looped")

    def __init__(self, flags: frozenset) -> None:
        self.flags = flags
        self.wrappers: list[str] = []  # flag groups opened by (?i) mid-group, closed at | and )
        self.pieces: list[str] = []
        self.repeats = self.alternates = self.nested_alternates = False
        self.weight = self.branch_weight = self.items = 0
        self.lead: str | None = None
        self.tail: str | None = None
        self.looped: list[str] = []


class _Translation:
    """An RE2 pattern rewritten for Python's `re`, refusing what would match differently.

    Python differs from RE2 in ways that give a different answer silently: `$` also matches
    before a final newline, \\d \\w \\s \\b are Unicode rather than ASCII, {,n} is a repeat, (?x)
    exists, \\1 is a back-reference. Each is translated; lookarounds, back-references, \\p
    classes and the like are refused (Refused), as is a nested repeat that could backtrack
    exponentially.
    """

    def __init__(self, pattern: str, function: str) -> None:
        if len(pattern) > MAX_PATTERN_CHARS:
            raise Refused(f"{function}(): a pattern over {MAX_PATTERN_CHARS} characters is not evaluated offline")
        self.source, self.function, self.at = pattern, function, 0
        self.names: list[str] = []
        self.unnamed = 0
        self.anchored = self.caseless = False
        self.frames = [_Frame(frozenset())]
        self.atom: _Atom | None = None
        self._run()
        top = self.frames[0]
        self.weight = max(top.weight, top.branch_weight)
        try:
            self.compiled = re.compile("".join(top.pieces) + ")" * len(top.wrappers))
        except (re.error, OverflowError, RecursionError) as exc:
            raise self._refuse(f"invalid regular expression: {exc}") from None

    def _refuse(self, message: str) -> Refused:
        return Refused(f"{self.function}(): {message}")

    def _emit(self, text: str, atom: _Atom | None) -> None:
        frame = self.frames[-1]
        frame.pieces.append(text)
        if atom is not None:
            atom.text = text
            if frame.items == 0:
                frame.lead = atom.literal
            frame.tail = atom.literal
            frame.items += 1
        self.atom = atom

    def _run(self) -> None:
        source = self.source
        while self.at < len(source):
            char = source[self.at]
            frame = self.frames[-1]
            if char == "\\":
                self._escape()
            elif char == "[":
                self._class()
            elif char == "(":
                self._open()
            elif char == ")":
                self._close()
            elif char == "|":
                self.at += 1
                frame.pieces.append(")" * len(frame.wrappers) + "|" + "".join(frame.wrappers))
                frame.alternates = True
                frame.branch_weight, frame.weight = max(frame.branch_weight, frame.weight), 0
                self.atom = None
            elif char in "*+?{":
                self._repeat()
            elif char == "^":
                self.at += 1
                if self.at == 1:
                    self.anchored = True
                self._emit("^", None)
            elif char == "$":
                self.at += 1
                # Without (?m), RE2's $ is the very end of the text; Python's also matches before a final \n.
                self._emit("$" if "m" in frame.flags else "\\Z", None)
            elif char == ".":
                self.at += 1
                self._emit(".", _Atom())
            else:
                self.at += 1
                self._emit(_char(char), _Atom(literal=char))
        if len(self.frames) != 1:
            raise self._refuse("invalid regular expression: missing closing )")

    def _escape(self) -> None:
        source, at = self.source, self.at
        if at + 1 >= len(source):
            raise self._refuse("invalid regular expression: trailing backslash")
        code = source[at + 1]
        self.at = at + 2
        if code == "Q":
            end = source.find("\\E", self.at)
            end = len(source) if end < 0 else end
            literal = source[self.at : end]
            self.at = end + 2
            self._emit("".join(_char(c) for c in literal), _Atom() if literal else self.atom)
        elif code in "dws":
            self._emit(f"[{_ASCII_CLASSES[code]}]", _Atom())
        elif code in "DWS":
            self._emit(f"[^{_ASCII_CLASSES[code.lower()]}]", _Atom())
        elif code == "b":
            self._emit(f"(?:(?<=[{_WORD}])(?![{_WORD}])|(?<![{_WORD}])(?=[{_WORD}]))", None)
        elif code == "B":
            self._emit(f"(?:(?<=[{_WORD}])(?=[{_WORD}])|(?<![{_WORD}])(?![{_WORD}]))", None)
        elif code == "A":
            if at == 0:
                self.anchored = True
            self._emit("\\A", None)
        elif code == "z":
            self._emit("\\Z", None)
        else:
            self.at = at
            literal = self._escaped_char()
            self._emit(_char(literal), _Atom(literal=literal))

    def _escaped_char(self) -> str:
        """The one character an escape outside \\d-like classes stands for; refuses the rest."""
        source, at = self.source, self.at
        code = source[at + 1] if at + 1 < len(source) else ""
        self.at = at + 2
        if code in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[code]
        if code == "x":
            braced = re.compile(r"\{([0-9A-Fa-f]{1,8})\}").match(source, self.at)
            plain = re.compile(r"[0-9A-Fa-f]{2}").match(source, self.at)
            match = braced or plain
            if match is None:
                raise self._refuse("invalid regular expression: bad \\x escape")
            self.at = match.end()
            value = int(match.group(1) if braced else match.group(0), 16)
            if value > 0x10FFFF:
                raise self._refuse("invalid regular expression: bad \\x escape")
            return chr(value)
        if code and code in "01234567":
            octal = re.compile(r"[0-7]{1,3}").match(source, at + 1).group(0)
            if code != "0" and len(octal) == 1:
                raise self._refuse("back-references are not supported (RE2)")
            self.at = at + 1 + len(octal)
            return chr(int(octal, 8))
        if code and code.isascii() and not code.isalnum() and code != "_":
            return code
        raise self._refuse(f"the escape \\{code} is not supported (RE2)")

    def _class(self) -> None:
        source = self.source
        self.at += 1
        negate = source.startswith("^", self.at)
        if negate:
            self.at += 1
        items: list[str] = []
        first = True
        while True:
            if self.at >= len(source):
                raise self._refuse("invalid regular expression: missing closing ]")
            char = source[self.at]
            if char == "]" and not first:
                self.at += 1
                break
            first = False
            posix = re.compile(r"\[:(\^?)([a-z]+):\]").match(source, self.at)
            if posix:
                if posix.group(1) or posix.group(2) not in _POSIX_CLASSES:
                    raise self._refuse(f"the class {posix.group(0)} is not evaluated offline")
                items.append(_POSIX_CLASSES[posix.group(2)])
                self.at = posix.end()
                continue
            if char == "\\" and self.at + 1 < len(source) and source[self.at + 1] in "dws":
                items.append(_ASCII_CLASSES[source[self.at + 1]])
                self.at += 2
                continue
            low = self._class_char()
            if source.startswith("-", self.at) and self.at + 1 < len(source) and source[self.at + 1] != "]":
                self.at += 1
                high = self._class_char()
                if ord(high) < ord(low):
                    raise self._refuse("invalid regular expression: bad character class range")
                items.append(f"{_char(low)}-{_char(high)}")
            else:
                items.append(_char(low))
        self._emit("[" + ("^" if negate else "") + "".join(items) + "]", _Atom())

    def _class_char(self) -> str:
        char = self.source[self.at]
        if char != "\\":
            self.at += 1
            return char
        code = self.source[self.at + 1 : self.at + 2]
        if code in ("D", "W", "S", "p", "P", "b", "Q"):
            raise self._refuse(f"\\{code} inside a character class is not evaluated offline")
        return self._escaped_char()

    def _open(self) -> None:
        source, frame = self.source, self.frames[-1]
        if not source.startswith("(?", self.at):
            self.at += 1
            self.unnamed += 1
            self._push(frame.flags, "(")
            return
        named = _GROUP_NAME.match(source, self.at)
        if named:
            self.at = named.end()
            self.names.append(named.group(1))
            self._push(frame.flags, f"(?P<{named.group(1)}>")
            return
        flags = _FLAGS.match(source, self.at)
        if flags is None:
            raise self._refuse("lookarounds, back-references and this group syntax are not supported (RE2)")
        on, off, end = flags.groups()
        if not on and not off:
            if end == ")":
                raise self._refuse("invalid regular expression: empty flags")
            self.at = flags.end()
            self._push(frame.flags, "(?:")
            return
        new_flags = (frame.flags | set(on)) - set(off or "")
        self.caseless = self.caseless or "i" in on
        text = f"(?{on}{'-' + off if off else ''}:"
        self.at = flags.end()
        if end == ":":
            self._push(frozenset(new_flags), text)
        else:
            # (?i) holds to the end of the enclosing group: wrap the rest in a scoped flag group.
            frame.flags = frozenset(new_flags)
            frame.wrappers.append(text)
            frame.pieces.append(text)
            self.atom = None

    def _push(self, flags: frozenset, text: str) -> None:
        self.frames[-1].pieces.append(text)
        self.frames.append(_Frame(flags))
        self.atom = None

    def _close(self) -> None:
        self.at += 1
        if len(self.frames) == 1:
            raise self._refuse("invalid regular expression: unexpected )")
        inner = self.frames.pop()
        body = "".join(inner.pieces) + ")" * len(inner.wrappers) + ")"
        atom = _Atom(inner.repeats, inner.alternates or inner.nested_alternates,
                     max(inner.weight, inner.branch_weight))
        if not inner.alternates:
            atom.lead, atom.tail = inner.lead, inner.tail
        atom.looped = inner.looped
        outer = self.frames[-1]
        outer.repeats = outer.repeats or inner.repeats
        outer.nested_alternates = outer.nested_alternates or atom.alternates
        outer.looped.extend(inner.looped)
        outer.weight += atom.weight
        self._emit(body, atom)

    def _repeat(self) -> None:
        source, frame = self.source, self.frames[-1]
        char = source[self.at]
        if char == "{":
            match = _REPEAT.match(source, self.at)
            if match is None:
                # Not a valid repeat: RE2 reads the brace literally (Python would read {,n} as one).
                self.at += 1
                self._emit(_char("{"), _Atom())
                return
            low = int(match.group(1))
            high = low if not match.group(2) else int(match.group(3)) if match.group(3) else None
            if low > 1000 or (high is not None and (high > 1000 or high < low)):
                raise self._refuse("invalid regular expression: bad repeat count")
            text, self.at = match.group(0), match.end()
        else:
            low, high = {"*": (0, None), "+": (1, None), "?": (0, 1)}[char]
            text, self.at = char, self.at + 1
        if source.startswith("?", self.at):
            text += "?"
            self.at += 1
        atom = self.atom
        if atom is None:
            raise self._refuse("invalid regular expression: missing argument to repetition operator")
        if self.at < len(source) and (source[self.at] in "*+?" or _REPEAT.match(source, self.at)):
            raise self._refuse("invalid regular expression: invalid nested repetition operator")
        large = high is None or high > 64
        if large and (atom.repeats or atom.alternates) and not self._separated(atom):
            raise self._refuse("a repeated group that itself repeats or alternates could backtrack "
                               "exponentially; not evaluated offline")
        added = 1 if large else atom.weight * (high or 0) - atom.weight
        if high is None or high > 1:
            frame.looped.append(atom.text)
        if frame.items == 1 and (low == 0 or high is None or high > 1):
            frame.lead = None  # an optional or repeated first piece is no fixed lead
        frame.tail = None
        frame.weight += added
        if high is None or high > 1:
            frame.repeats = True
        frame.pieces.append(text)
        self.atom = None

    def _separated(self, atom: _Atom) -> bool:
        """Whether every round of a repeated group must start at a character nothing inside repeats."""
        if atom.alternates or self.caseless:
            return False
        return any(mark is not None and not any(re.fullmatch(piece, mark) for piece in atom.looped)
                   for mark in (atom.lead, atom.tail))

    def check_cost(self, text: str, function: str) -> None:
        if len(text) > MAX_SUBJECT_CHARS:
            raise Refused(f"{function}(): text over {MAX_SUBJECT_CHARS} characters is not matched offline")
        exponent = self.weight + (0 if self.anchored and not self.frames[0].alternates else 1)
        if (len(text) + 1) ** exponent > MAX_REGEX_STEPS:
            raise Refused(f"{function}(): this pattern could backtrack too long on this text; not evaluated offline")


_TRANSLATIONS: dict[str, _Translation] = {}


def translate(text: str, function: str) -> _Translation:
    """The translation of an RE2 pattern (cached); Refused saying why it is not evaluated."""
    translation = _TRANSLATIONS.get(text)
    if translation is None:
        translation = _Translation(text, function)
        if len(_TRANSLATIONS) > 256:
            _TRANSLATIONS.clear()
        _TRANSLATIONS[text] = translation
    if translation.names and translation.unnamed:
        raise Refused(f"{function}(): a pattern cannot mix named and unnamed capture groups")
    return translation


def captures(translation: _Translation, match: re.Match) -> Any:
    if translation.names:
        return {name: match.group(name) for name in translation.names}
    if translation.unnamed:
        return list(match.groups())
    return match.group(0)


def find_all(translation: _Translation, text: str) -> Iterator[re.Match]:
    """Go's leftmost-first matching: an empty match right after a match is skipped."""
    position, previous_end = 0, -1
    while position <= len(text):
        match = translation.compiled.search(text, position)
        if match is None:
            return
        start, end = match.span()
        if start == end:
            position = end + 1
            if start == previous_end:
                previous_end = end
                continue
        else:
            position = end
        previous_end = end
        yield match


# --- policy patterns ------------------------------------------------------------------------------
# A policy's `values` and `matches` patterns are read as Terraform reads regex(): RE2 syntax, with
# the same refusals, so a pattern that could backtrack exponentially is a policy error at load
# and a text that would take too long to match is a value not judged, never a hang.


class PatternError(ValueError):
    """A policy pattern we refuse, or a text too long to match it against in bounded time."""


def policy_pattern(text: str) -> _Translation:
    """The pattern, checked; PatternError saying why it is refused."""
    try:
        return translate(text, "pattern")
    except Refused as exc:
        raise PatternError(_reason(exc)) from None


def _reason(exc: Refused) -> str:
    text = str(exc).removeprefix("pattern(): ").removesuffix("; not evaluated offline")
    return text.removeprefix("invalid regular expression: ")


def fullmatches(pattern: _Translation, text: str) -> bool:
    """Whether the whole text matches; PatternError when matching could not end in bounded time."""
    try:
        pattern.check_cost(text, "pattern")
    except Refused as exc:
        raise PatternError(_reason(exc)) from None
    return pattern.compiled.fullmatch(text) is not None
