"""attribute: a check of one attribute, written in the policy instead of in code.

## What it does
Reads `attribute` (a dotted path; `[n]` picks a list item, `[*]` every item, and a list met
without an index is walked item by item, so `root_block_device.encrypted` reads every root
block device) on each resource in the rule's `match` scope, and requires `op` to hold against
`value`. Operators: `eq`, `ne`, `in`, `not_in`, `matches`, `not_matches` (a regular
expression that must match the whole value), `lt`, `le`, `gt`, `ge`, `exists`, `absent`.
A resource where the requirement does not hold is a finding with your `message` and `fix`.
An attribute that is not set fails every operator but `absent`, `ne` and `not_in`, unless
`default` says what the provider sets it to then (judged in its place: a Log Analytics
workspace without `retention_in_days` keeps 30 days). `when` (an attribute, op, value and
default of its own) limits the rule to the resources where that condition holds: a CronJob's
`spec.startingDeadlineSeconds` only when `spec.concurrencyPolicy` is `Allow`.
A value that cannot be evaluated gets `settings.unknown`.

## Why is this bad?
Every team has rules of its own (encryption on, public access off, a deletion protection
flag) that no built-in rule knows. Writing them as policy keeps them reviewed, versioned and
explained in the same place as the others.

## Example
```yaml
rules:
  - id: rds-encrypted
    type: attribute
    match: {resources: [aws_db_instance]}
    attribute: storage_encrypted
    op: eq
    value: true
    message: RDS storage must be encrypted
    fix: set storage_encrypted = true
```
```hcl
resource "aws_db_instance" "main" {
  instance_class = "db.t4g.micro"
}
```

## Use instead
```hcl
resource "aws_db_instance" "main" {
  instance_class    = "db.t4g.micro"
  storage_encrypted = true
}
```
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Mapping, Sequence

from guardrails.core.model import Finding, Resource, Unknown, is_unknown
from guardrails.core.re2 import PatternError, fullmatches, policy_pattern
from guardrails.core.policy import RuleConfig
from guardrails.rules.base import MISSING as _MISSING, Context, describe_value, is_number_text, pattern_problem, resolve
from guardrails.rules.registry import options_of

TYPE = "attribute"
TARGETS = ("terraform", "kubernetes")
NEEDS_COST = False


@dataclass(frozen=True)
class Condition:
    attribute: str
    op: str
    value: Any = None
    default: Any = _MISSING  # what the provider sets where the configuration does not


@dataclass(frozen=True)
class Options:
    attribute: str
    op: str
    value: Any = None
    message: str = ""
    fix: str = ""
    default: Any = _MISSING
    when: Condition | None = None


def options(rule: RuleConfig) -> Options:
    raw = rule.options
    when = raw.get("when")
    condition = None if when is None else Condition(str(when["attribute"]), str(when["op"]), when.get("value"),
                                                    when.get("default", _MISSING))
    return Options(str(raw["attribute"]), str(raw["op"]), raw.get("value"), raw.get("message") or "",
                   raw.get("fix") or "", raw.get("default", _MISSING), condition)


def validate(rule: Mapping[str, Any], path: list[Any]) -> Iterable[tuple[list[Any], str]]:
    yield from _operand_problems(rule, path)
    if isinstance(rule.get("when"), Mapping):
        yield from _operand_problems(rule["when"], path + ["when"])


def _operand_problems(rule: Mapping[str, Any], path: list[Any]) -> Iterable[tuple[list[Any], str]]:
    op, operand = rule["op"], rule.get("value")
    if op in ("matches", "not_matches"):
        problem = "expected a regex string"
        if isinstance(operand, str):
            problem = pattern_problem(operand)
        if problem:
            yield path + ["value"], problem
    elif op in ("in", "not_in") and not isinstance(operand, list):
        yield path + ["value"], f"op {op} needs a list of values, got {describe_value(operand)}"
    elif op in ("lt", "le", "gt", "ge") and (isinstance(operand, bool) or not isinstance(operand, (int, float))):
        # Compared as text the rule would judge every value wrong, and say something senseless.
        hint = " (write the number without quotes)" if isinstance(operand, str) and is_number_text(operand) else ""
        yield path + ["value"], f"op {op} needs a number, got {describe_value(operand)}{hint}"


def check(rule: RuleConfig, resources: Sequence[Resource], ctx: Context) -> Iterator[Finding]:
    opts: Options = options_of(rule)
    path, op, expected = opts.attribute, opts.op, opts.value
    for resource in resources:
        if opts.when is not None:
            applies = _applies(opts.when, resource)
            if applies is not True:
                if applies is not False:  # the condition cannot be evaluated: neither judged nor passed
                    where, value = applies
                    finding = ctx.unknown(rule, resource, where, value, where)
                    if finding:
                        yield finding
                continue
        for where, value in resolve(resource.attrs, path):
            defaulted = value is _MISSING and opts.default is not _MISSING
            if defaulted:
                value = opts.default
            if is_unknown(value):
                finding = ctx.unknown(rule, resource, where, value, where)
                if finding:
                    yield finding
                continue
            try:
                if holds(op, value, expected):
                    continue
            except PatternError as exc:
                finding = ctx.unknown(rule, resource, where, Unknown(f"{where} is not matched: {exc}"), where)
                if finding:
                    yield finding
                continue
            shown = "not set" if value is _MISSING else repr(value)
            if defaulted:
                shown = f"not set, so {value!r} (the provider's default)"
            message = opts.message or f"{where} is {shown}; expected {op} {expected!r}"
            if opts.message:
                message = f"{message} ({where} is {shown})"
            fix = opts.fix or _default_fix(op, where, expected)
            yield ctx.finding(rule, resource, where, message, fix=fix)


def _applies(when: Condition, resource: Resource) -> bool | tuple[str, Any]:
    """Whether the rule's `when` holds for the resource (at any place its attribute reaches), or
    (where, value) of a value that cannot be evaluated when none holds."""
    unknown = None
    for where, value in resolve(resource.attrs, when.attribute):
        if value is _MISSING and when.default is not _MISSING:
            value = when.default
        if is_unknown(value):
            unknown = unknown or (where, value)
            continue
        try:
            if holds(when.op, value, when.value):
                return True
        except PatternError as exc:
            unknown = unknown or (where, Unknown(f"{where} is not matched: {exc}"))
    return unknown or False


def holds(op: str, value: Any, expected: Any) -> bool:
    if op == "exists":
        return value is not _MISSING
    if op == "absent":
        return value is _MISSING
    if value is _MISSING:
        return op in ("ne", "not_in")
    if op == "eq":
        return _same(value, expected)
    if op == "ne":
        return not _same(value, expected)
    if op == "in":
        return any(_same(value, e) for e in expected or [])
    if op == "not_in":
        return not any(_same(value, e) for e in expected or [])
    if op in ("matches", "not_matches"):
        found = isinstance(value, (str, int, float)) and fullmatches(policy_pattern(str(expected)), str(value))
        return found if op == "matches" else not found
    try:
        left, right = float(value), float(expected)
    except (TypeError, ValueError):
        return False
    return {"lt": left < right, "le": left <= right, "gt": left > right, "ge": left >= right}[op]


def _same(value: Any, expected: Any) -> bool:
    if isinstance(value, bool) or isinstance(expected, bool):
        return value is expected or str(value).lower() == str(expected).lower()
    if isinstance(value, (int, float)) and isinstance(expected, (int, float)):
        return value == expected
    return str(value) == str(expected)


def _default_fix(op: str, where: str, expected: Any) -> str:
    if op == "eq":
        return f"set {where} to {expected!r}"
    if op == "exists":
        return f"set {where}"
    if op == "absent":
        return f"remove {where}"
    return f"make {where} satisfy {op} {expected!r}"
