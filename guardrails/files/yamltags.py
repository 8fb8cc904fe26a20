"""The safe YAML 1.1 types, as PyYAML's SafeLoader decides them, for the composer in yamlcompose.

Only str, int, float, bool, null, maps, lists and merge keys are built; timestamps and binary
stay strings. The tables come from PyYAML itself (its implicit resolvers and SafeConstructor),
so a plain scalar gets exactly the type `yaml.safe_load` would give it.
"""
from __future__ import annotations

import yaml

YAML_TAG = "tag:yaml.org,2002:"
MAP_TAGS = frozenset({YAML_TAG + "map", YAML_TAG + "set"})
SEQ_TAGS = frozenset({YAML_TAG + "seq", YAML_TAG + "omap", YAML_TAG + "pairs"})
_IMPLICIT_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers
CONSTRUCTOR = yaml.constructor.SafeConstructor()


class _Merge:
    """The key `<<`: the value next to it is merged into the enclosing map."""

    def __repr__(self) -> str:
        return "<<"


MERGE = _Merge()


def resolve_plain(text: str) -> str:
    """The tag YAML 1.1 gives an untagged plain scalar, as PyYAML's resolver decides it."""
    for tag, pattern in _IMPLICIT_RESOLVERS.get(text[:1], ()):
        if pattern.match(text):
            return tag
    return YAML_TAG + "str"
