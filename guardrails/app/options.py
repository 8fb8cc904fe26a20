"""What a run was asked to do: one options object, built at the CLI boundary and passed down."""
from __future__ import annotations

from typing import NamedTuple, Sequence

from guardrails.core.errors import UsageError
from guardrails.core.policy import group_by_tag


# NamedTuples rather than dataclasses: as immutable, and they cost nothing to define at start-up,
# which every pre-commit run pays.
class RunOptions(NamedTuple):
    """The options every command that reads infrastructure shares."""

    paths: tuple[str, ...] = ()
    policies: tuple[str, ...] = ()
    fail_on: str = "fail"  # the lowest severity of a new finding that fails the run
    var_files: tuple[str, ...] = ()
    variables: tuple[str, ...] = ()  # --var NAME=VALUE, parsed where the run needs them
    usage_file: str | None = None
    stdin_text: str | None = None  # what the CLI read from stdin when a path is `-`
    # What the requested formats need beyond the findings: the quoted source lines (text) and
    # each rule type's documentation (SARIF). Left out otherwise, as both cost time.
    with_sources: bool = False
    with_rule_docs: bool = False
    # The region each cloud's provider would take from the environment (core/regions.py), where
    # the configuration names none: {"aws": "eu-west-1"}. Read by the CLI, never by the library.
    environment_regions: tuple[tuple[str, str], ...] = ()
    group_by: str | None = None  # --group-by tag:NAME (cost, diff): the tag's name


class DiffOptions(NamedTuple):
    """Which change `guardrails diff` judges, and by whose policy."""

    base: str
    head: str | None = None  # None: the working tree (or the index with `staged`)
    staged: bool = False
    policy_from: str = "head"  # "base" on pull requests: a change must not judge itself


def group_tag(value: str | None) -> str | None:
    """The tag of `--group-by tag:NAME` (None without the option); UsageError for anything else."""
    if value is None:
        return None
    tag = group_by_tag(value)
    if tag is None:
        raise UsageError(f"--group-by {value!r}: expected tag:NAME, e.g. tag:team")
    return tag


def parse_variables(items: Sequence[str]) -> dict[str, str]:
    """`--var NAME=VALUE` arguments as a mapping; UsageError for one without `=`."""
    parsed: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"--var {item!r}: expected NAME=VALUE")
        parsed[name.strip()] = value
    return parsed
