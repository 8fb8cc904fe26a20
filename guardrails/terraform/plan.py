"""Terraform plans as `terraform show -json` writes them.

Each entry of `resource_changes` that leaves something behind (everything but a plain delete)
becomes a `Resource` whose attributes are the planned values, with what Terraform only learns
at apply time as `Unknown`. The provider configuration comes from the plan's `configuration`
section, aliases and module provider passing included.

A plan can be tens of megabytes, so the document is decoded in one pass that also notes where
each resource change starts: the top level and the `resource_changes` entries are walked here,
everything inside them is left to the C decoder of the standard library.
"""
from __future__ import annotations

import contextlib
import gc
import json
import re
from json.decoder import JSONDecodeError, scanstring
from typing import Any, Iterator, Mapping

from guardrails.files.jsonerror import json_problem, limit_problem
from guardrails.core.model import InputError, Location, Note, Resource, Unknown

AFTER_APPLY = Unknown("known after apply")

_ACTIONS: Mapping[tuple[str, ...], str] = {
    ("create",): "create",
    ("update",): "update",
    ("delete", "create"): "replace",
    ("create", "delete"): "replace",
    # `removed { lifecycle { destroy = false } }`: a new object replaces one Terraform forgets.
    ("create", "forget"): "replace",
    ("forget", "create"): "replace",
    ("no-op",): "no-op",
    ("read",): "read",
}
# Nothing is left to check: the object goes away, or is only dropped from the state, or is an
# ephemeral resource that never exists outside the run.
_IGNORED_ACTIONS = {("delete",), ("forget",), ("open",), ("renew",), ("close",)}
_MODES = ("managed", "data")
# Plans written by Terraform 0.12 to 1.x; the format promises a new major version when it breaks.
_SUPPORTED_MAJOR_VERSIONS = ("0", "1")
# Sections as large as the changes themselves that the loader never reads: dropped once decoded.
_UNUSED_SECTIONS = {"planned_values", "prior_state", "resource_drift", "output_changes"}

_NOT_A_PLAN = "not a Terraform plan (no format_version with resource_changes or planned_values); skipped"

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_VALUE_DECODER = json.JSONDecoder()
_MODULE_STEP = re.compile(r'module\.([^.\["]+)(?:\[(?:[0-9]+|"(?:[^"\\]|\\.)*")\])?(?:\.|$)')


def looks_like_plan(obj: Any) -> bool:
    """Whether a decoded JSON document is the JSON form of a Terraform plan."""
    return (
        isinstance(obj, dict)
        and "format_version" in obj
        and ("resource_changes" in obj or "planned_values" in obj)
    )


def load_plan(text: str, file: str) -> tuple[list[Resource], list[InputError], list[Note]]:
    """The resources a plan creates, updates, replaces, reads or keeps, with their lines."""
    with _collector_paused():
        return _load(text.removeprefix("\ufeff"), file)


def _load(text: str, file: str) -> tuple[list[Resource], list[InputError], list[Note]]:
    try:
        document = _PlanDocument(text)
    except JSONDecodeError as exc:
        return [], [InputError(file, exc.lineno, json_problem(exc))], []
    except (ValueError, RecursionError) as exc:
        line, message = limit_problem(exc, text)
        return [], [InputError(file, line, message)], []
    plan = document.value
    if not looks_like_plan(plan):
        return [], [], [Note(file, _NOT_A_PLAN)]

    version = str(plan["format_version"])
    if version.split(".")[0] not in _SUPPORTED_MAJOR_VERSIONS:
        line = document.line_of(document.key_positions["format_version"])
        message = f"unsupported plan format_version {version!r}: expected 0.x or 1.x"
        return [], [InputError(file, line, message)], []

    notes: list[Note] = []
    if plan.get("errored") is True:
        notes.append(Note(file, "the plan ended with errors; it may not list every resource change"))
    changes = plan.get("resource_changes")
    changes = [] if changes is None else changes  # a plan with nothing to change may say null
    if not isinstance(changes, list):
        line = document.line_of(document.key_positions["resource_changes"])
        return [], [InputError(file, line, "resource_changes is not a list")], notes

    configuration = plan.get("configuration")
    providers = _ProviderConfigs(configuration if isinstance(configuration, dict) else {})
    lines = document.change_lines()
    resources: list[Resource] = []
    errors: list[InputError] = []
    for entry, line in zip(changes, lines):
        try:
            resource = _resource(entry, Location(file, line, line), providers)
        except _Skipped as skipped:
            notes.append(Note(file, str(skipped)))
            continue
        except _BadChange as bad:
            errors.append(InputError(file, line, str(bad)))
            continue
        if resource is not None:
            resources.append(resource)
    return resources, errors, notes


class _BadChange(Exception):
    """A resource change that does not have the shape Terraform writes."""


class _Skipped(Exception):
    """A resource change deliberately not loaded, with the reason the user is told."""


class _PlanDocument:
    """The decoded document, the offsets of its top-level keys and of each resource change."""

    def __init__(self, text: str) -> None:
        self._text = text
        self.key_positions: dict[str, int] = {}
        self._change_positions: list[int] = []
        pos = _skip_whitespace(text, 0)
        if text.startswith("{", pos):
            self.value: Any = self._decode_top_level(pos)
        else:
            self.value = json.loads(text)

    def line_of(self, position: int) -> int:
        return self._text.count("\n", 0, position) + 1

    def change_lines(self) -> list[int]:
        """The line of each resource change, counting newlines once through the text."""
        lines = []
        line, counted_to = 1, 0
        for position in self._change_positions:
            line += self._text.count("\n", counted_to, position)
            counted_to = position
            lines.append(line)
        return lines

    def _decode_top_level(self, pos: int) -> dict[str, Any]:
        text = self._text
        document: dict[str, Any] = {}
        pos = _skip_whitespace(text, pos + 1)
        while not (text.startswith("}", pos) and not document):  # `{}` has no members
            if not text.startswith('"', pos):
                raise JSONDecodeError("Expecting property name enclosed in double quotes", text, pos)
            key_pos = pos
            key, pos = scanstring(text, pos + 1)
            pos = _skip_whitespace(text, pos)
            if not text.startswith(":", pos):
                raise JSONDecodeError("Expecting ':' delimiter", text, pos)
            pos = _skip_whitespace(text, pos + 1)
            self.key_positions[key] = key_pos
            if key == "resource_changes" and text.startswith("[", pos):
                document[key], pos = self._decode_changes(pos)
            else:
                document[key], pos = _VALUE_DECODER.raw_decode(text, pos)
                if key in _UNUSED_SECTIONS:
                    document[key] = True  # the key stays, so that looks_like_plan() still sees it
            pos = _skip_whitespace(text, pos)
            if text.startswith(",", pos):
                pos = _skip_whitespace(text, pos + 1)
            elif text.startswith("}", pos):
                break
            else:
                raise JSONDecodeError("Expecting ',' delimiter", text, pos)
        pos = _skip_whitespace(text, pos + 1)
        if pos != len(text):
            raise JSONDecodeError("Extra data", text, pos)
        return document

    def _decode_changes(self, pos: int) -> tuple[list[Any], int]:
        text = self._text
        changes: list[Any] = []
        positions: list[int] = []
        pos = _skip_whitespace(text, pos + 1)
        while not (text.startswith("]", pos) and not changes):  # `[]` has no entries
            change, end = _VALUE_DECODER.raw_decode(text, pos)
            changes.append(change)
            positions.append(self._address_position(change, pos, end))
            pos = _skip_whitespace(text, end)
            if text.startswith(",", pos):
                pos = _skip_whitespace(text, pos + 1)
            elif text.startswith("]", pos):
                break
            else:
                raise JSONDecodeError("Expecting ',' delimiter", text, pos)
        self._change_positions = positions
        return changes, pos + 1

    def _address_position(self, change: Any, start: int, end: int) -> int:
        """Where, between `start` and `end`, the change's own `"address"` key is written.

        That is the first `"address"` key whose value is the change's address: Terraform writes
        it first, and a nested attribute that happens to be called `address` holds something else.
        """
        address = change.get("address") if isinstance(change, dict) else None
        if not isinstance(address, str):
            return start
        text = self._text
        found = text.find('"address"', start, end)
        while found != -1:
            pos = _skip_whitespace(text, found + len('"address"'))
            if text.startswith(":", pos):
                pos = _skip_whitespace(text, pos + 1)
                try:
                    if text.startswith('"', pos) and scanstring(text, pos + 1)[0] == address:
                        return found
                except JSONDecodeError:
                    pass  # the match began inside a string: not a key
            found = text.find('"address"', found + 1, end)
        return start


def _skip_whitespace(text: str, pos: int) -> int:
    match = _WHITESPACE.match(text, pos)
    return match.end() if match else pos


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a plan's tree of values is built.

    It walks the new containers every few hundred allocations; a large plan makes millions of
    them and no reference cycles, so those walks would take twice as long as the decoding.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _resource(entry: Any, location: Location, providers: _ProviderConfigs) -> Resource | None:
    if not isinstance(entry, dict):
        raise _BadChange("a resource change is not a JSON object")
    address = entry.get("address")
    if not isinstance(address, str) or not address:
        raise _BadChange("a resource change has no address")
    change = entry.get("change")
    actions = change.get("actions") if isinstance(change, dict) else None
    if not isinstance(actions, list) or not all(isinstance(a, str) for a in actions):
        raise _BadChange(f"{address}: the resource change has no list of actions")
    # A deposed object is the leftover of an interrupted replacement; the current object has
    # its own entry, and a deposed one is only ever deleted.
    if entry.get("deposed") or tuple(actions) in _IGNORED_ACTIONS:
        return None
    mode = entry.get("mode", "managed")
    if mode not in _MODES:  # only managed resources and data sources describe infrastructure
        return None
    action = _ACTIONS.get(tuple(actions))
    if action is None:
        raise _Skipped(f"{address}: skipped, plan action {actions} is not supported")
    resource_type = entry.get("type")
    if not isinstance(resource_type, str) or not resource_type:
        raise _BadChange(f"{address}: the resource change has no type")

    after = change.get("after")
    marks = change.get("after_unknown")
    unknown = ""
    if marks is True:
        attrs: dict[str, Any] = {}
        unknown = "every value is known only after apply"
    else:
        attrs = after if isinstance(after, dict) else {}
        _mark_unknown(attrs, marks)
    provider_name = entry.get("provider_name")
    provider_name = provider_name if isinstance(provider_name, str) else ""
    return Resource(
        address=address,
        type=resource_type,
        kind="terraform",
        location=location,
        attrs=attrs,
        provider=provider_name.rsplit("/", 1)[-1],
        provider_config=providers.for_change(entry, provider_name),
        module=entry.get("module_address") or "",
        mode=mode,
        action=action,
        unknown=unknown,
    )


def _mark_unknown(value: Any, marks: Any) -> Any:
    """`value` with every place `marks` (a plan's after_unknown) sets to true made Unknown.

    after_unknown mirrors the value: true where the value is unknown, containers where only
    part of it is. Terraform leaves an unknown attribute out of `after` (or writes null), so a
    missing key or null under a partly unknown container becomes a container of its own.
    """
    if marks is True:
        return AFTER_APPLY
    if isinstance(marks, dict) and marks:
        if value is not None and not isinstance(value, dict):
            return value
        target = value if value is not None else {}
        for key, mark in marks.items():
            current = target.get(key)
            marked = _mark_unknown(current, mark)
            if marked is not current:
                target[key] = marked
        return target if target or value is not None else value
    if isinstance(marks, list) and marks:
        if value is not None and not isinstance(value, list):
            return value
        target = value if value is not None else []
        for index, mark in enumerate(marks):
            current = target[index] if index < len(target) else None
            marked = _mark_unknown(current, mark)
            if index < len(target):
                target[index] = marked
            elif marked is not None:
                target.extend([None] * (index - len(target)))
                target.append(marked)
        return target if target or value is not None else value
    return value


class _ProviderConfigs:
    """The provider block each resource uses, as a plan's `configuration` section describes it."""

    def __init__(self, configuration: Mapping[str, Any]) -> None:
        configs = configuration.get("provider_config")
        self._configs: Mapping[str, Any] = configs if isinstance(configs, dict) else {}
        self._keys: dict[tuple[tuple[str, ...], str], str] = {}
        root = configuration.get("root_module")
        if isinstance(root, dict):
            self._index_module(root, ())
        self._evaluated: dict[str, Mapping[str, Any]] = {}
        self._default_keys: dict[str, str | None] = {}

    def for_change(self, entry: Mapping[str, Any], provider_name: str) -> Mapping[str, Any]:
        key = self._key_of(entry, provider_name)
        if key is None:
            return {}
        if key not in self._evaluated:
            self._evaluated[key] = _provider_block(self._configs[key])
        # Shared between the resources of one provider configuration: nothing downstream writes.
        return self._evaluated[key]

    def _index_module(self, module: Mapping[str, Any], path: tuple[str, ...]) -> None:
        for resource in module.get("resources") or ():
            if isinstance(resource, dict) and isinstance(resource.get("provider_config_key"), str):
                self._keys[(path, str(resource.get("address")))] = resource["provider_config_key"]
        calls = module.get("module_calls")
        for name, call in (calls.items() if isinstance(calls, dict) else ()):
            child = call.get("module") if isinstance(call, dict) else None
            if isinstance(child, dict):
                self._index_module(child, path + (name,))

    def _key_of(self, entry: Mapping[str, Any], provider_name: str) -> str | None:
        path = _module_path(entry.get("module_address") or "")
        prefix = "data." if entry.get("mode") == "data" else ""
        config_address = f"{prefix}{entry.get('type')}.{entry.get('name')}"
        key = self._keys.get((path, config_address)) if path is not None else None
        # Older Terraform releases keyed a child module's providers `module.a:aws` without always
        # listing that key; the configuration such a module inherits is its parent's.
        while key is not None and key not in self._configs and ":" in key:
            scope, _, local = key.rpartition(":")
            parent = scope.rpartition(".module.")[0] if ".module." in scope else ""
            key = f"{parent}:{local}" if parent else local
        if key is not None and key in self._configs:
            return key
        if provider_name not in self._default_keys:
            self._default_keys[provider_name] = self._default_key(provider_name)
        return self._default_keys[provider_name]

    def _default_key(self, provider_name: str) -> str | None:
        """The root module's configuration without alias for a provider, if there is one."""
        short = provider_name.rsplit("/", 1)[-1]
        for key, config in self._configs.items():
            if not isinstance(config, dict) or config.get("alias") or config.get("module_address"):
                continue
            if config.get("full_name") == provider_name or (
                not config.get("full_name") and config.get("name") == short
            ):
                return key
        return None


def _module_path(module_address: str) -> tuple[str, ...] | None:
    """The module call names of an instance address (`module.a["x"].module.b[0]` → (a, b))."""
    names: list[str] = []
    pos = 0
    while pos < len(module_address):
        match = _MODULE_STEP.match(module_address, pos)
        if not match:
            return None
        names.append(match.group(1))
        pos = match.end()
    return tuple(names)


def _provider_block(config: Any) -> dict[str, Any]:
    """A provider configuration as values: {"region": ..., "alias": ..., "default_tags": {...}}.

    As from the HCL loader, `default_tags` is the tag map itself (AWS `default_tags { tags }`,
    Google `default_labels`), so that rules read both sources alike.
    """
    if not isinstance(config, dict):
        return {}
    expressions = config.get("expressions")
    block = _block_values(expressions) if isinstance(expressions, dict) else {}
    if config.get("alias"):
        block["alias"] = config["alias"]
    default_tags = block.get("default_tags")
    if isinstance(default_tags, dict):
        block["default_tags"] = default_tags.get("tags", {})
    elif isinstance(default_tags, list):  # written more than once: Terraform refuses that
        block["default_tags"] = Unknown("default_tags is given more than once")
    elif "default_labels" in block:
        block["default_tags"] = block["default_labels"]
    return block


def _block_values(expressions: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, expression in expressions.items():
        if isinstance(expression, list):
            blocks = [_block_values(b) for b in expression if isinstance(b, dict)]
            # A block written once (default_tags, assume_role) reads as one dict; repeated
            # blocks stay a list.
            values[name] = blocks[0] if len(blocks) == 1 else blocks
        elif isinstance(expression, dict):
            values[name] = _expression_value(expression)
    return values


def _expression_value(expression: Mapping[str, Any]) -> Any:
    if "constant_value" in expression:
        return expression["constant_value"]
    references = expression.get("references")
    if isinstance(references, list) and references:
        return Unknown(f"depends on {', '.join(_most_precise(references))}")
    if expression:
        return _block_values(expression)  # a nested block written as a single object
    return Unknown("not a constant in the configuration")


def _most_precise(references: list[Any]) -> list[str]:
    """Terraform lists `var.a.b` and `var.a` both; name only the most precise references."""
    names = [str(r) for r in references]
    return [
        name
        for name in dict.fromkeys(names)
        if not any(other != name and other.startswith((name + ".", name + "[")) for other in names)
    ]
