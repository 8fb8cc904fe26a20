"""YAML documents as plain Python values, with the line of every map key and list item.

`load_documents(text, file)` returns one `YamlDocument` per non-empty document of a stream.
Its `lines` maps a path to a 1-based line; paths are spelled as `Resource.lines` and findings
spell them (`join_path` builds them):

- a map key follows its parent with a dot: `spec`, `spec.replicas`, `metadata.labels.app`;
- a list item is its index in brackets: `items[0]`, `spec.containers[1].name`;
- a key that is not a plain name (letters, digits, `_`, `-`, `/`), or is not a string, is
  written in brackets as a JSON string: `metadata.annotations["guardrails.dev/ignore"]`,
  `max["limits.cpu"]`, `ports["80"]`, `data[""]`.

A key's line is the line of the key; a list item's line is the line where the item starts.
What an alias or a merge key (`<<`) brings in gets paths under where it is used, with the lines
of the anchored text. Duplicate keys: the last one wins, as with kubectl.

Only the safe YAML 1.1 types are built (str, int, float, bool, null, map, list, merge keys);
timestamps and binary stay strings, local tags (`!Ref`) are ignored, any other tag is an error.

Values are built from libyaml's event stream (yamlcompose), which bounds nesting at `max_depth`
and the paths of a stream, its own and those its aliases add, at `max_nodes`; the safe types
are decided in yamltags. This module is the entry point: it reads a stream document by document
and, after a broken one, resumes at the next `---` line.
"""
from __future__ import annotations

import re

from guardrails.files.yamldoc import YamlDocument, YamlError, YamlLimitError

_MAX_ERRORS = 20  # a stream this broken is not worth reading further
_DOCUMENT_START = re.compile(r"^---(?=[ \t\r\n]|$)", re.MULTILINE)


def load_documents(
    text: str, file: str, *, max_nodes: int = 1_000_000, max_depth: int = 500
) -> list[YamlDocument]:
    """The non-empty documents of a YAML stream; the first problem raises `YamlError`."""
    documents, errors = load_documents_partial(
        text, file, max_nodes=max_nodes, max_depth=max_depth
    )
    if errors:
        raise errors[0]
    return documents


def load_documents_partial(
    text: str, file: str, *, max_nodes: int = 1_000_000, max_depth: int = 500
) -> tuple[list[YamlDocument], list[YamlError]]:
    """Every document that can be read, and the errors of those that cannot.

    After an error, reading resumes at the first `---` line at or after it, so that one broken
    document in a long stream does not hide the others.
    """
    documents: list[YamlDocument] = []
    errors: list[YamlError] = []
    from guardrails.files.yamlcompose import DocumentBuilder  # PyYAML: only when something is parsed

    builder = DocumentBuilder(file, max_nodes, max_depth)
    offset = line_base = 0
    while True:
        try:
            for document in builder.documents(text[offset:] if offset else text, line_base):
                documents.append(document)  # one by one: those before an error are kept
            return documents, errors
        except YamlError as error:
            errors.append(error)
            if isinstance(error, YamlLimitError) or len(errors) >= _MAX_ERRORS:
                return documents, errors
            resume = _next_document_start(text, offset, line_base, error.line)
            if resume is None:
                return documents, errors
            line_base += text.count("\n", offset, resume)
            offset = resume


def _next_document_start(text: str, offset: int, line_base: int, error_line: int) -> int | None:
    """Where the first `---` line at or after `error_line` starts, if past `offset`."""
    position = offset
    for _ in range(max(0, error_line - 1 - line_base)):
        found = text.find("\n", position)
        if found < 0:
            return None
        position = found + 1
    match = _DOCUMENT_START.search(text, position)
    if match and match.start() <= offset:
        match = _DOCUMENT_START.search(text, match.end())
    return match.start() if match else None


def load_documents_cached(
    text: str, file: str, *, max_nodes: int = 1_000_000, max_depth: int = 500
) -> tuple[list[YamlDocument], list[YamlError]]:
    """`load_documents_partial`, through the parse cache: a file read before with the same
    content and bounds is decoded, not parsed again. A stream with errors is never stored (the
    codec holds documents only), so its errors are always found afresh."""
    from guardrails.files.parsecache import cached

    documents, errors = cached(f"yaml-{max_nodes}-{max_depth}", file, text,
                               lambda: load_documents_partial(text, file, max_nodes=max_nodes, max_depth=max_depth))
    return list(documents), list(errors)
