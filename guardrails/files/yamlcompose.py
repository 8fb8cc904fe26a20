"""The composer: plain Python values and a line map built from libyaml's event stream.

Values are built from events, not from `yaml.compose_all`: composing recurses in C and crashes
the interpreter on a few hundred thousand nested brackets, and libyaml's scanner slows down
quadratically with nesting, whereas an event stream can be abandoned at `max_depth`. Aliases
are not copied but counted: each use costs the number of paths below its anchor, so a stream is
refused once it holds more than `max_nodes` paths, and an alias that would go over (a "billion
laughs") is refused before the work is done.

This runs once per event of every Kubernetes file: the loop in `_documents` is kept flat, with
the common cases (plain string keys, cached plain scalars) inline and no call between events
that the rare cases do not need.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from guardrails.core.paths import _join, _step
from guardrails.files.yamldoc import YamlDocument, YamlError, YamlLimitError
from guardrails.files.yamltags import CONSTRUCTOR, MAP_TAGS, MERGE, SEQ_TAGS, YAML_TAG, resolve_plain

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_PLAIN_CACHE_SIZE = 100_000
_LIBYAML_DEPTH = "exceeded maximum nesting depth"  # libyaml's own bound
_PLACEHOLDER = "\x00"  # where merge sources are first read; no real path holds it
_NO_KEY = object()
_NOTHING = object()


class _Frame:
    """A map or list being built, with what is needed to place its children."""

    __slots__ = ("is_map", "value", "path", "key", "child_path", "key_line", "merges",
                 "anchor", "start", "height", "flow")

    def __init__(self, is_map: bool, path: str, anchor: str | None, start: int, flow: bool) -> None:
        self.is_map = is_map
        self.value: Any = {} if is_map else []
        self.path = path
        self.key: Any = _NO_KEY
        self.child_path = ""
        self.key_line = 0
        # (source value, first and last+1 entry of its paths, the path they start with)
        self.merges: list[tuple[Any, int, int, str]] | None = None
        self.anchor = anchor
        self.start = start  # index of this node's first path in the document's entries
        self.height = 1  # levels of maps and lists, this one included
        self.flow = flow


@dataclass
class _Anchor:
    value: Any
    path: str  # where it was defined: its paths start with this
    start: int  # its paths are entries[start:end]
    end: int
    height: int  # 0 for a scalar


class DocumentBuilder:
    """Builds values and line maps from libyaml events; one per stream."""

    def __init__(self, file: str, max_nodes: int, max_depth: int) -> None:
        self.file = file
        self.max_nodes = max_nodes
        self.max_depth = max_depth
        self.used = 0  # paths of the documents already finished: max_nodes bounds the stream
        self.line_base = 0
        self._steps: dict[str, str] = {}
        self._plain: dict[str, Any] = {}

    def documents(self, text: str, line_base: int) -> Iterator[YamlDocument]:
        """The documents of `text`, which starts after `line_base` lines of the file."""
        self.line_base = line_base
        loader = _Loader(text)
        try:
            yield from self._documents(loader.get_event)
        except yaml.MarkedYAMLError as error:
            if error.problem == _LIBYAML_DEPTH and error.problem_mark is not None:
                # libyaml 0.2.6 (PyYAML 6.0.4's wheels) stops at 1,000 levels while scanning,
                # which can be ahead of the events we have seen: the limit is still ours, since
                # max_yaml_depth is at most 800.
                raise self._limit_error(
                    error.problem_mark, f"nesting deeper than {self.max_depth} levels", "max_depth"
                ) from None
            raise self._syntax_error(error) from None
        except yaml.YAMLError as error:
            # A reader error (a character YAML does not allow) has an offset, not a line.
            position = getattr(error, "position", 0) or 0
            line = line_base + text.count("\n", 0, position) + 1
            reason = getattr(error, "reason", "") or str(error)
            raise YamlError(self.file, line, f"cannot read the file: {reason}") from None
        finally:
            loader.dispose()

    def _syntax_error(self, error: yaml.MarkedYAMLError) -> YamlError:
        mark = error.problem_mark or error.context_mark
        line = self.line_base + (mark.line + 1 if mark is not None else 1)
        problem = error.problem or "not valid YAML"
        if error.context:
            where = ""
            if error.context_mark is not None and error.problem_mark is not None:
                where = f" that starts on line {self.line_base + error.context_mark.line + 1}"
            problem = f"{problem} ({error.context}{where})"
        return YamlError(self.file, line, f"invalid YAML: {problem}")

    def _error(self, mark: Any, message: str) -> YamlError:
        return YamlError(self.file, self.line_base + mark.line + 1, message)

    def _limit_error(self, mark: Any, reason: str, limit: str) -> YamlError:
        return YamlLimitError(self.file, self.line_base + mark.line + 1, reason, limit)

    def _documents(self, next_event: Callable[[], Any]) -> Iterator[YamlDocument]:
        # The hot path: one pass over every event of the stream, kept flat and with the common
        # cases (plain string keys, cached plain scalars) inline on purpose.
        max_depth = self.max_depth
        steps = self._steps
        plain = self._plain
        stack: list[_Frame] = []
        entries: list[tuple[str, int]] = []
        append = entries.append
        anchors: dict[str, _Anchor] = {}
        root: Any = _NOTHING
        start_line = 0
        last: Any = None  # the last event that ends content: where the document ends
        merged = False
        room = self.max_nodes - self.used  # paths this document may still hold
        while True:
            event = next_event()
            if len(entries) > room:
                raise self._limit_error(
                    event.start_mark,
                    f"more than {self.max_nodes} nodes",
                    "max_nodes",
                )
            cls = event.__class__
            if cls is ScalarEvent:
                last = event
                if event.tag is None and event.implicit[0]:
                    value = plain.get(event.value, _NOTHING)
                    if value is _NOTHING:
                        value = self._scalar(event)
                else:
                    value = self._scalar(event)
                if not stack:
                    if event.value == "" and event.implicit[0] and event.anchor is None:
                        continue  # an empty document
                    root = "<<" if value is MERGE else value
                    start_line = event.start_mark.line + 1
                    continue
                frame = stack[-1]
                path = ""
                if frame.is_map:
                    if frame.key is _NO_KEY:
                        if value.__class__ is str:
                            frame.key = value
                            frame.key_line = event.start_mark.line + 1
                            step = steps.get(value)
                            if step is None:
                                step = steps[value] = _step(value)
                            frame.child_path = frame.path + step if frame.path else _join("", step)
                        else:
                            self._take_key(frame, value, event)
                    elif frame.key is not MERGE:
                        path = frame.child_path
                        append((path, frame.key_line))
                        frame.value[frame.key] = "<<" if value is MERGE else value
                        frame.key = _NO_KEY
                    else:
                        self._put(frame, value, 0, 0)
                else:
                    path = f"{frame.path}[{len(frame.value)}]"
                    append((path, event.start_mark.line + 1))
                    frame.value.append("<<" if value is MERGE else value)
                if event.anchor is not None:
                    here = len(entries)
                    anchors[event.anchor] = _Anchor(value, path, here, here, 0)
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                frame = stack.pop()
                if frame.flow:
                    last = event
                if frame.merges is not None:
                    self._merge(frame, entries)
                    merged = True
                if frame.anchor is not None:
                    anchors[frame.anchor] = _Anchor(
                        frame.value, frame.path, frame.start, len(entries), frame.height
                    )
                if stack:
                    parent = stack[-1]
                    if frame.height >= parent.height:
                        parent.height = frame.height + 1
                    if parent.is_map:
                        self._put(parent, frame.value, frame.start, len(entries))
                    else:
                        parent.value.append(frame.value)
                else:
                    root = frame.value
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                if len(stack) >= max_depth:
                    raise self._limit_error(
                        event.start_mark,
                        f"nesting deeper than {max_depth} levels",
                        "max_depth",
                    )
                if event.tag is not None:
                    self._check_tag(event)
                if stack:
                    parent = stack[-1]
                    if parent.is_map:
                        if parent.key is _NO_KEY:
                            raise self._error(
                                event.start_mark, "a map or list used as a map key is not supported"
                            )
                        path = parent.child_path
                        append((path, parent.key_line))
                    else:
                        path = f"{parent.path}[{len(parent.value)}]"
                        append((path, event.start_mark.line + 1))
                else:
                    path = ""
                    start_line = event.start_mark.line + 1
                if event.anchor is not None:
                    # Until the node ends, an alias to it would make it contain itself.
                    anchors.pop(event.anchor, None)
                stack.append(_Frame(cls is MappingStartEvent, path, event.anchor, len(entries),
                                    bool(event.flow_style)))
            elif cls is AliasEvent:
                last = event
                anchor = anchors.get(event.anchor)
                if anchor is None:
                    if any(frame.anchor == event.anchor for frame in stack):
                        message = f"alias *{event.anchor} refers to a node that contains it"
                    else:
                        message = f"alias *{event.anchor} names no anchor defined before it"
                    raise self._error(event.start_mark, message)
                frame = stack[-1]  # a document cannot start with an alias: nothing is anchored yet
                if frame.is_map and frame.key is _NO_KEY:
                    if anchor.height:
                        raise self._error(
                            event.start_mark, "a map or list used as a map key is not supported"
                        )
                    self._take_key(frame, anchor.value, event)
                    continue
                if len(stack) + anchor.height > max_depth:
                    raise self._limit_error(
                        event.start_mark,
                        f"alias *{event.anchor} makes the nesting deeper than {max_depth} levels",
                        "max_depth",
                    )
                self._expand(frame, anchor, event, entries)
            elif cls is DocumentStartEvent:
                stack.clear()
                entries = []
                append = entries.append
                anchors = {}
                root = _NOTHING
                start_line = 0
                last = None
                merged = False
                room = self.max_nodes - self.used
            elif cls is DocumentEndEvent:
                self.used += len(entries)
                if root is _NOTHING:
                    continue
                if merged:
                    entries = [entry for entry in entries if _PLACEHOLDER not in entry[0]]
                base = self.line_base
                lines = dict(entries)
                if base:
                    lines = {path: line + base for path, line in lines.items()}
                end_line = start_line
                if last is not None:
                    mark = last.end_mark
                    end_line = max(start_line, mark.line + (1 if mark.column else 0))
                yield YamlDocument(
                    value=root, lines=lines, start_line=start_line + base, end_line=end_line + base
                )
            elif cls is StreamEndEvent or event is None:
                return

    def _take_key(self, frame: _Frame, key: Any, event: Any) -> None:
        if isinstance(key, (list, dict)):
            raise self._error(event.start_mark, "a map or list used as a map key is not supported")
        frame.key = key
        frame.key_line = event.start_mark.line + 1
        if key is MERGE:
            frame.child_path = _PLACEHOLDER
            return
        if isinstance(key, str):
            step = self._steps.get(key)
            if step is None:
                step = self._steps[key] = _step(key)
        else:
            step = _step(key)
        frame.child_path = _join(frame.path, step)

    def _put(self, frame: _Frame, value: Any, start: int, end: int) -> None:
        """Place `value`, whose paths are entries[start:end], under the key `frame` holds."""
        key = frame.key
        frame.key = _NO_KEY
        if key is MERGE:
            if frame.merges is None:
                frame.merges = []
            frame.merges.append((value, start, end, _PLACEHOLDER))
        else:
            frame.value[key] = "<<" if value is MERGE else value

    def _expand(self, frame: _Frame, anchor: _Anchor, event: Any, entries: list) -> None:
        """Use an anchored value here: the value is shared, its paths are copied."""
        if frame.is_map:
            path = frame.child_path
            entries.append((path, frame.key_line))
        else:
            path = f"{frame.path}[{len(frame.value)}]"
            entries.append((path, event.start_mark.line + 1))
        if self.used + len(entries) + anchor.end - anchor.start > self.max_nodes:
            raise self._limit_error(
                event.start_mark,
                f"aliases expand to more than {self.max_nodes} nodes (an alias bomb?)",
                "max_nodes",
            )
        start = len(entries)
        cut = len(anchor.path)
        entries.extend(
            (path + sub[cut:], line) for sub, line in entries[anchor.start:anchor.end]
        )
        if anchor.height >= frame.height:
            frame.height = anchor.height + 1
        if frame.is_map:
            self._put(frame, anchor.value, start, len(entries))
        else:
            frame.value.append(anchor.value)

    def _merge(self, frame: _Frame, entries: list[tuple[str, int]]) -> None:
        """Apply the `<<` keys of a map: its own keys win, then earlier sources over later ones."""
        own: dict = frame.value
        taken = set(own)
        merged: dict = {}
        moved: list[tuple[str, int]] = []
        for value, start, end, path in frame.merges or ():
            if isinstance(value, list):
                sources = [(item, f"{path}[{index}]") for index, item in enumerate(value)]
            else:
                sources = [(value, path)]
            for source, prefix in sources:
                if not isinstance(source, dict):
                    raise YamlError(
                        self.file,
                        self.line_base + frame.key_line,
                        "a merge key (<<) takes a map or a list of maps",
                    )
                fresh = [key for key in source if key not in taken]
                for key in fresh:
                    merged[key] = source[key]
                taken.update(fresh)
                steps = {_step(key) for key in fresh}
                cut = len(prefix)
                for sub, line in entries[start:end]:
                    if len(sub) > cut and sub.startswith(prefix):
                        rest = sub[cut:]
                        if _first_step(rest) in steps:
                            moved.append((_join(frame.path, rest), line))
        merged.update(own)
        frame.value = merged
        entries.extend(moved)

    def _check_tag(self, event: Any) -> None:
        tag = event.tag
        if tag is None or tag.startswith("!"):
            return
        allowed = MAP_TAGS if event.__class__ is MappingStartEvent else SEQ_TAGS
        if tag not in allowed:
            raise self._error(event.start_mark, f"unsupported tag {tag}")

    def _scalar(self, event: Any) -> Any:
        text = event.value
        tag = event.tag
        if tag is None or tag == "!":
            if not event.implicit[0]:
                return text  # quoted or block: always a string
            value = self._plain.get(text, _NOTHING)
            if value is _NOTHING:
                value = self._construct(event, resolve_plain(text), text)
                if len(self._plain) < _PLAIN_CACHE_SIZE:
                    self._plain[text] = value
            return value
        if tag.startswith("!"):
            return text  # a local tag such as !Ref: the text is all we can safely give
        return self._construct(event, tag, text)

    def _construct(self, event: Any, tag: str, text: str) -> Any:
        name = tag[len(YAML_TAG):] if tag.startswith(YAML_TAG) else ""
        try:
            if name in ("str", "timestamp", "binary", "value"):
                return text
            if name == "null":
                return None
            if name == "merge":
                return MERGE
            if name == "bool":
                return CONSTRUCTOR.bool_values[text.lower()]
            if name == "int":
                return CONSTRUCTOR.construct_yaml_int(yaml.ScalarNode(tag, text))
            if name == "float":
                return CONSTRUCTOR.construct_yaml_float(yaml.ScalarNode(tag, text))
        except (KeyError, ValueError):
            raise self._error(event.start_mark, f"cannot read {text!r} as !!{name}") from None
        raise self._error(event.start_mark, f"unsupported tag {tag}")


def _first_step(rest: str) -> str:
    """The first step of a path tail: `.a` of `.a.b`, `["x.y"]` of `["x.y"].c`."""
    if rest.startswith('["'):
        _, end = json.JSONDecoder().raw_decode(rest, 1)
        return rest[: end + 1]
    index = 1
    while index < len(rest) and rest[index] not in ".[":
        index += 1
    return rest[:index]
