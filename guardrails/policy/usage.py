"""The usage file (`guardrails-usage.yaml`): quantities for usage-based cost components.

```yaml
version: 1
defaults:                       # per resource type
  aws_nat_gateway: {monthly_data_processed_gb: 100}
resources:                      # per address; `aws_lambda_function.api` covers api[0], api["x"]
  aws_lambda_function.api: {monthly_requests: 5000000, average_duration_ms: 120}
```

Validated against usage.schema.json with file, line and JSON path for each problem, like
policies, and each key against the keys its resource type has (pricing/usage_keys.py): a key the
type does not have is an error naming the keys it does have, since a typo must not price a part
at zero in silence. Entries that match no resource in this run, and keys a resource's model did
not read (an SSM parameter's API interactions on the Standard tier), are warnings after pricing.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterable, Mapping

from guardrails.core.errors import InputProblems
from guardrails.core.paths import join_path
from guardrails.files.yamllines import YamlError, load_documents
from guardrails.core.model import InputError, Note, Resource
from guardrails.core.usage import Usage

_SCHEMA = Path(__file__).with_name("usage.schema.json")


class UsageFileError(InputProblems):
    """The usage file cannot be used; `problems` says where and why."""


class UsageFile(Usage):
    """A loaded usage file that remembers where each entry was written and what was read."""

    def __init__(self, by_address: Mapping[str, Any], by_type: Mapping[str, Any], file: str, lines: Mapping[str, int]) -> None:
        super().__init__(by_address=by_address, by_type=by_type)
        self.file = file
        self.lines = lines
        self.read: dict[str, set[str]] = {}  # resource type -> keys the cost models asked for

    def get(self, resource: Resource, key: str) -> Any:
        self.read.setdefault(resource.type, set()).add(key)
        return super().get(resource, key)


def load_usage(path: str | Path, display: str | None = None) -> UsageFile:
    name = display or str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageFileError([InputError(name, 0, f"cannot read the usage file: {getattr(exc, 'strerror', None) or exc}")]) from None
    try:
        documents = load_documents(text, name)
    except YamlError as exc:
        raise UsageFileError([InputError(name, exc.line, exc.message)]) from None
    if len(documents) != 1:
        raise UsageFileError([InputError(name, 1, "a usage file holds exactly one YAML document")])
    document = documents[0]
    import jsonschema

    validator = jsonschema.Draft202012Validator(json.loads(_SCHEMA.read_text(encoding="utf-8")))
    problems = []
    for error in sorted(validator.iter_errors(document.value), key=lambda e: list(map(str, e.absolute_path))):
        path_text = ""
        for step in error.absolute_path:
            path_text = f"{path_text}[{step}]" if isinstance(step, int) else join_path(path_text, step)
        line = document.lines.get(path_text, document.start_line)
        problems.append(InputError(name, line, f"{path_text or '(top)'}: {_problem(error)}"))
    if not problems:
        problems = _key_problems(document.value, document.lines, name)
    if problems:
        raise UsageFileError(problems)
    value = document.value
    return UsageFile(value.get("resources") or {}, value.get("defaults") or {}, name, document.lines)


_ADDRESS_INDEX = re.compile(r"\[[^\]]*\]")


def resource_type_of(address: str) -> str | None:
    """The resource type an address names: `aws_nat_gateway` of `module.net.aws_nat_gateway.main[0]`,
    `Deployment` of `Deployment/shop/web`; None when it is not an address."""
    if "/" in address:
        kind = address.split("/", 1)[0]
        return kind or None
    parts = _ADDRESS_INDEX.sub("", address).split(".")
    while len(parts) > 2 and parts[0] == "module":
        parts = parts[2:]
    if len(parts) == 3 and parts[0] == "data":
        parts = parts[1:]
    return parts[0] if len(parts) == 2 and all(parts) else None


def _key_problems(value: Mapping[str, Any], lines: Mapping[str, int], name: str) -> list[InputError]:
    from guardrails.pricing.usage_keys import TEXT_KEYS, keys_of

    problems: list[InputError] = []
    for section in ("defaults", "resources"):
        for entry, quantities in (value.get(section) or {}).items():
            where = join_path(section, entry)
            line = lines.get(where, 0)
            shown = _short(entry)
            rtype = entry if section == "defaults" else resource_type_of(entry)
            if rtype is None:
                problems.append(InputError(name, line, f"{join_path(section, shown)}: not a resource address "
                                           "(type.name, module.m.type.name or Kind/namespace/name)"))
                continue
            known = keys_of(rtype)
            if not known:
                problems.append(InputError(name, line, f"{join_path(section, shown)}: {_short(rtype)} has no "
                                           "usage-based prices, so no usage key applies"))
                continue
            for key, given in quantities.items():
                at = join_path(join_path(section, shown), _short(key))
                key_line = lines.get(join_path(where, key), line)
                if key not in known:
                    problems.append(InputError(name, key_line, f"{at}: {_short(rtype)} has no usage key "
                                                               f"{_short(key)!r}; its keys: {', '.join(known)}"))
                elif key in TEXT_KEYS:
                    if not isinstance(given, str) or given.lower() not in TEXT_KEYS[key]:
                        problems.append(InputError(name, key_line, f"{at}: must be one of {', '.join(TEXT_KEYS[key])}"))
                elif isinstance(given, str):
                    problems.append(InputError(name, key_line, f"{at}: expected a number or a mapping, got a string"))
    return problems


def _short(text: str) -> str:
    # Names come from the document, which a pull request may have written: bounded in messages.
    return text if len(text) <= 60 else text[:57] + "..."


_JSON_NAMES = {"object": "a mapping", "array": "a list", "string": "a string", "number": "a number",
               "integer": "a whole number", "boolean": "true or false", "null": "nothing"}


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    return {dict: "a mapping", list: "a list", str: "a string", type(None): "nothing"}.get(type(value), "a value")


def _problem(error: Any) -> str:
    """The schema problem worded without the document's content: a usage file named by a policy
    could be any file, and the message goes to a CI log."""
    kind = error.validator
    if kind == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return f"expected {' or '.join(_JSON_NAMES.get(w, w) for w in wanted)}, got {_kind(error.instance)}"
    if kind in ("minimum", "exclusiveMinimum"):
        return f"must be {'at least' if kind == 'minimum' else 'more than'} {error.validator_value}"
    if kind == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})), key=str)
        shown = ", ".join(repr(str(key)[:40]) for key in extra[:5])
        return f"unknown key{'s' if len(extra) != 1 else ''} {shown}"
    if kind == "required":
        return "missing required key " + ", ".join(repr(k) for k in error.validator_value if k not in error.instance)
    if kind == "enum":
        return "must be one of " + ", ".join(map(str, error.validator_value))
    return f"does not fit the usage file's schema ({kind})"


def unused_entries(usage: UsageFile, resources: Iterable[Resource], known_keys: Mapping[str, set[str]]) -> list[Note]:
    """Warnings for usage that prices nothing: unknown addresses and keys no model read.

    `known_keys` maps a resource type to the usage keys its cost model asked for in this run.
    """
    resources = list(resources)
    addresses = {r.address for r in resources} | {re.sub(r"\[[^\]]*\]$", "", r.address) for r in resources}
    types_by_address = {r.address: r.type for r in resources}
    types_by_address.update({re.sub(r"\[[^\]]*\]$", "", r.address): r.type for r in resources})
    notes: list[Note] = []
    for address, values in sorted(usage.by_address.items()):
        line = usage.lines.get(join_path("resources", address), 0)
        if address not in addresses:
            notes.append(Note(usage.file, f"line {line}: warning: usage for {address} matches no resource"))
            continue
        notes.extend(_unknown_keys(usage, "resources", address, types_by_address[address], values, known_keys))
    for rtype, values in sorted(usage.by_type.items()):
        notes.extend(_unknown_keys(usage, "defaults", rtype, rtype, values, known_keys))
    return notes


def _unknown_keys(usage: UsageFile, section: str, name: str, rtype: str, values: Mapping[str, Any],
                  known_keys: Mapping[str, set[str]]) -> list[Note]:
    expected = known_keys.get(rtype, set())
    notes = []
    for key in sorted(values):
        if key not in expected:
            line = usage.lines.get(join_path(join_path(section, name), key), 0)
            # The key is one the type has (the loader refused the others), but this resource's
            # model did not read it: its configuration has no part the key prices.
            notes.append(Note(usage.file, f"line {line}: warning: {name}: {key!r} prices nothing here (the "
                                          f"configuration has no part it applies to)"))
    return notes
