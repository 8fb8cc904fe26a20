"""A policy file's problems: against schema.json, then what the schema cannot say, each at its line.

Schema validation is the slow part of reading a policy (jsonschema builds validators), so a
policy that passed once is remembered by content (a marker file in the cache directory) and
not validated again.
"""
from __future__ import annotations

import datetime as _dt
import difflib
import json
import re
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from guardrails.core.model import InputError
from guardrails.core.paths import join_path
from guardrails.core.policy import UNINSPECTED_RULE
from guardrails.files.yamldoc import YamlDocument
from guardrails.rules.base import describe_value
from guardrails.rules.registry import rule_type


# The ids of the findings guardrails reports itself (engine/suppress, engine/run).
RESERVED_RULE_IDS = ("suppression", UNINSPECTED_RULE)


_SCHEMA_PATH = Path(__file__).with_name("schema.json")


_schema_cache: dict[str, Any] = {}


def schema() -> dict[str, Any]:
    """The policy JSON Schema (guardrails/policy/schema.json)."""
    if "schema" not in _schema_cache:
        _schema_cache["schema"] = json.loads(_SCHEMA_PATH.read_text(encoding="utf-8"))
    return _schema_cache["schema"]


def validate(value: Any, document: YamlDocument, file: str) -> list[InputError]:
    marker = _valid_marker(value)
    found: list[tuple[list[Any], str]] = []
    if marker is None or not marker.exists():
        found = _schema_problems(value)
        if not found and marker is not None:
            _touch(marker)
    if not found:
        found.extend(_semantic_problems(value))
    problems = {
        InputError(file, line_of(document, path), f"{_path_text(path)}: {message}")
        for path, message in found
    }
    return sorted(problems, key=InputError.sort_key)


def _schema_problems(value: Any) -> list[tuple[list[Any], str]]:
    # Imported here: jsonschema costs tens of milliseconds, and most commands of a run that
    # fails early (usage errors, --version) never validate anything.
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    found: list[tuple[list[Any], str]] = []
    for error in Draft202012Validator(schema()).iter_errors(value):
        if error.context:
            # A oneOf/anyOf failed: the branch that got furthest explains it best.
            error = best_match(error.context)
        found.extend(_describe(error))
    return found


def _valid_marker(value: Any) -> Path | None:
    """Where a policy that passed the schema is remembered, keyed by its content and the schema.

    A policy rarely changes between runs, and validating it means importing jsonschema; a
    pre-commit hook should not pay that on every commit.
    """
    import hashlib

    from guardrails import __version__
    from guardrails.files.cache import cache_dir

    directory = cache_dir()
    if directory is None:
        return None
    try:
        text = json.dumps(value, sort_keys=True, default=str)
        schema_bytes = _SCHEMA_PATH.read_bytes()
    except (OSError, TypeError, ValueError, RecursionError):
        return None
    digest = hashlib.sha256(__version__.encode() + b"\0" + schema_bytes + b"\0" + text.encode("utf-8", "surrogatepass")).hexdigest()
    return directory / "policy-valid" / digest


def _touch(marker: Path) -> None:
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass  # only costs a validation next time


def plain(value: Any) -> Any:
    """YAML reads an unquoted 2027-03-01 as a date; the policy format wants ISO strings."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value.isoformat()
    return value


_JSON_TYPES = {
    "object": "a mapping", "array": "a list", "string": "a string", "number": "a number",
    "integer": "an integer", "boolean": "true or false", "null": "null",
}


# Patterns of schema.json, said the way a user would say them.
_PATTERN_MESSAGES = {
    "^[A-Za-z0-9_.-]+$": "{!r} is not a valid rule id (letters, digits, '_', '.', '-')",
    "^(\\*|[A-Za-z0-9_.-]+)$": "{!r} is not a rule id, a rule type or *",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "{!r} is not a date (YYYY-MM-DD)",
    "\\S": "must not be empty",
    "^(builtin:[A-Za-z0-9_-]+|[^:]+)$": "{!r} is neither builtin:<name> nor a relative path",
    "^([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+|[KMGTPE]i|[numkMGTPE])?$":
        "{!r} is not a Kubernetes quantity (500m, 2, 1.5, 512Mi, 16Gi)",
    "^(nano|micro|small|medium|large|xlarge|[1-9][0-9]*xlarge|metal(-.+)?)$":
        "{!r} is not an instance size (nano, micro, small, medium, large, xlarge, 2xlarge, ..., "
        "48xlarge, metal)",
}


def _describe(error: Any) -> Iterable[tuple[list[Any], str]]:
    """(JSON path, message) pairs for one schema error, worded for people."""
    path = list(error.absolute_path)
    kind, instance, schema_part = error.validator, error.instance, error.schema
    if kind == "additionalProperties":
        known = sorted(schema_part.get("properties", {}))
        what = "option" if len(path) == 2 and path[0] == "rules" else "key"
        for key in sorted(set(instance) - set(known), key=str):
            message = f"unknown {what} {key!r}"
            if what == "option" and isinstance(instance.get("type"), str):
                message += f" for a {instance['type']} rule"
            close = difflib.get_close_matches(str(key), known, n=1)
            message += f" (did you mean {close[0]!r}?)" if close else f"; known: {', '.join(known)}"
            yield path + [key], message
        return
    if kind == "required":
        for key in error.validator_value:
            if key not in instance:
                yield path, f"missing required key {key!r}"
        return
    if kind == "enum" and path[-1:] == ["type"] and len(path) == 3 and path[0] == "rules":
        known = ", ".join(error.validator_value)
        yield path, f"unknown rule type {instance!r}; known types: {known}"
        return
    if kind == "const":
        yield path, f"must be {error.validator_value!r}, not {instance!r}"
        return
    if kind == "type":
        expected = error.validator_value
        expected = [expected] if isinstance(expected, str) else expected
        wanted = " or ".join(_JSON_TYPES.get(name, name) for name in expected)
        yield path, f"expected {wanted}, got {describe_value(instance)}"
        return
    if kind in ("minProperties", "minItems"):
        if "properties" in schema_part:
            yield path, "give at least one of: " + ", ".join(schema_part["properties"])
        else:
            yield path, "must not be empty"
        return
    if kind == "pattern":
        template = _PATTERN_MESSAGES.get(error.validator_value)
        if template is None and "description" in schema_part:
            template = "{!r} is not valid: " + schema_part["description"].rstrip(".")
        if template is not None:
            yield path, template.format(instance)
            return
    yield path, error.message


def _semantic_problems(value: Mapping[str, Any]) -> Iterable[tuple[list[Any], str]]:
    """What the schema cannot say: duplicate ids, regexes that do not compile, real dates."""
    first_index: dict[str, int] = {}
    for index, rule in enumerate(value.get("rules", [])):
        rule_id = rule["id"]
        if rule_id in RESERVED_RULE_IDS:
            yield ["rules", index, "id"], (
                f"rule id {rule_id!r} is reserved for guardrails' own findings"
            )
        if rule_id in first_index:
            yield ["rules", index, "id"], (
                f"duplicate rule id {rule_id!r} (also rules[{first_index[rule_id]}])"
            )
        first_index.setdefault(rule_id, index)
        yield from _rule_problems(rule, ["rules", index])
    for index, exemption in enumerate(value.get("exemptions", [])):
        expires = exemption.get("expires")
        if expires is not None and not _is_date(expires):
            yield ["exemptions", index, "expires"], f"{expires!r} is not a date (YYYY-MM-DD)"


def _rule_problems(rule: Mapping[str, Any], path: list[Any]) -> Iterable[tuple[list[Any], str]]:
    return rule_type(rule["type"]).validate(rule, path)


def _is_date(text: str) -> bool:
    try:
        _dt.date.fromisoformat(text)
    except ValueError:
        return False
    return bool(re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text))


def _path_text(path: Sequence[Any]) -> str:
    """`rules[2].severity` from ["rules", 2, "severity"], spelled as yamllines spells its paths
    (`max["limits.cpu"]` for a key with a dot); the whole document is `(top level)`."""
    text = ""
    for step in path:
        text = f"{text}[{step}]" if isinstance(step, int) else join_path(text, step)
    return text or "(top level)"


def line_of(document: YamlDocument, path: Sequence[Any]) -> int:
    """The line of the deepest part of `path` the document has, else of the document."""
    for size in range(len(path), 0, -1):
        line = document.lines.get(_path_text(path[:size]))
        if line:
            return line
    return document.start_line
