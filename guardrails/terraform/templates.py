"""Raw template text (a heredoc body, a `.tf.json` string) written as an HCL quoted template."""
from __future__ import annotations

import json


def quote_template(text: str) -> str:
    """`text` as an HCL quoted template: the literal parts escaped, the `${ }` and `%{ }` parts
    kept as written (escaping the quotes inside them, as json.dumps of the whole would, is not
    HCL: the fast parser refuses it and the slow one had to be built for every such heredoc)."""
    out = ['"']
    i = 0
    while i < len(text):
        if text.startswith(("$${", "%%{"), i):
            out.append(text[i:i + 3])  # an escaped opener stays literal, as in the heredoc
            i += 3
            continue
        if text.startswith(("${", "%{"), i):
            end = _interpolation_end(text, i + 2)
            if end < 0:
                return json.dumps(text)  # unbalanced: the parser says what is wrong
            out.append(text[i:end + 1])
            i = end + 1
            continue
        out.append(json.dumps(text[i])[1:-1])
        i += 1
    out.append('"')
    return "".join(out)


def _interpolation_end(text: str, i: int) -> int:
    """The index of the `}` closing an interpolation whose body starts at `i`; -1 if none."""
    depth = 0
    while i < len(text):
        char = text[i]
        if char == '"':
            i = _string_end(text, i + 1)
            if i < 0:
                return -1
        elif char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return i
            depth -= 1
        elif char == "\n":
            return -1  # a line break inside an interpolation of a quoted template is not HCL
        i += 1
    return -1


def _string_end(text: str, i: int) -> int:
    """The index of the quote closing a string literal whose text starts at `i`; -1 if none."""
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == '"':
            return i
        if text.startswith("${", i) or text.startswith("%{", i):
            end = _interpolation_end(text, i + 2)
            if end < 0:
                return -1
            i = end + 1
            continue
        if char == "\n":
            return -1
        i += 1
    return -1
