"""Instance types limited by family, name, size, vCPUs or memory.

## What it does
Checks every instance type a change asks for (EC2 instances, launch templates and
configurations, Auto Scaling overrides, EKS node groups, RDS and ElastiCache classes, GCE and
GKE machine types, Azure VM and AKS sizes, and Kubernetes node selectors on
`node.kubernetes.io/instance-type`) against the policy:

- `families`: allowed families, compared exactly. The family is the text before the first dot,
  after a `db.` or `cache.` prefix (`db.t4g.large` is `db.t4g`; `c6in` is not `c6i`). GCP machine
  types use the series before the first dash (`n2-standard-4` is `n2`), Azure sizes their series
  (`Standard_D4s_v5` is `Dsv5`).
- `allow` / `deny`: globs over the whole type name (`*.metal`, `p4d.*`, `Standard_D*s_v5`).
- `max_size`: largest size, nano < micro < small < medium < large < xlarge < 2xlarge < ... <
  48xlarge < metal (and metal-*). Applies to AWS-style names only: GCP and Azure names carry no
  such size, use `max_vcpu` for them.
- `must_exist: true`: the type must be one its provider offers. Judged for the families the
  bundled specs know whole (EC2 families and their RDS and ElastiCache classes, Compute Engine
  series with numbered sizes, Azure B, Dv3 to Dv5 and Fsv2); the finding names the real sizes
  nearest the one asked for. A type of another family is not judged.
- `max_vcpu`, `max_memory_gib`: from the bundled instance specs. A type that is not in them
  cannot be checked and is reported as unknown (`settings.unknown`).

An EKS node group without `instance_types` gets t3.medium from AWS, and is checked as such.

## Why is this bad?
One oversized instance type quietly costs more than everything else in a change: a `m5.24xlarge`
where a `m5.2xlarge` does, a GPU box left in a dev account. A list of agreed families and a
ceiling on size catch it at review, before the bill does.

## Example
```yaml
- id: sizes
  type: instance-size
  families: [t3, m6i, c7g]
  max_size: 2xlarge
  deny: ["*.metal"]
```
```hcl
resource "aws_instance" "api" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "m5.8xlarge"   # family m5 not allowed, larger than 2xlarge
}
```

## Use instead
```hcl
resource "aws_instance" "api" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "m6i.2xlarge"
}
```
Or exempt the resource in the policy with a reason and an expiry date.
"""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Mapping

from guardrails.providers.instances import instance_types
from guardrails.core.model import Finding, Resource, Unknown, is_unknown
from guardrails.core.policy import RuleConfig
from guardrails.rules.base import Context, string_list
from guardrails.rules.registry import options_of
from guardrails.providers.specs import Missing, instance_spec, missing_type, provider_of, size_rank, split_instance_type

TYPE = "instance-size"
TARGETS = ("terraform", "kubernetes")
NEEDS_COST = False


def check(rule: RuleConfig, resources: Iterable[Resource], ctx: Context) -> Iterator[Finding]:
    limits: Options = options_of(rule)
    for resource in resources:
        for path, value, note in instance_types(resource):
            if is_unknown(value):
                unknown = ctx.unknown(rule, resource, path, value, "instance type")
                if unknown is not None:
                    yield unknown
                continue
            if not isinstance(value, str) or not value:
                yield ctx.finding(
                    rule, resource, path,
                    f"{path} is {value!r}, not an instance type name",
                    fix="set it to an instance type name such as m6i.large",
                )
                continue
            # The type's prefix names the provider even when the provider block has an alias.
            provider = resource.type.split("_", 1)[0] if resource.kind == "terraform" else provider_of(value)
            yield from _judge(rule, resource, ctx, limits, path, value, provider, note)


@dataclass(frozen=True)
class Options:
    families: tuple[str, ...] | None = None
    allow: tuple[str, ...] | None = None
    deny: tuple[str, ...] = ()
    max_size: str | None = None
    max_rank: int | None = None  # the rank of max_size among the size names
    must_exist: bool = False
    max_vcpu: float | None = None
    max_memory_gib: float | None = None


def options(rule: RuleConfig) -> Options:
    max_size = rule.options.get("max_size")
    max_rank = None
    if max_size is not None:
        max_rank = size_rank(str(max_size))
        if max_rank is None:
            raise ValueError(
                f"rule {rule.id}: max_size {max_size!r} is not a size "
                "(nano, micro, small, medium, large, xlarge, 2xlarge, ..., metal)"
            )
    return Options(
        families=string_list(rule, "families"),
        allow=string_list(rule, "allow"),
        deny=string_list(rule, "deny") or (),
        max_size=max_size,
        max_rank=max_rank,
        must_exist=rule.options.get("must_exist") is True,
        max_vcpu=_number(rule, "max_vcpu"),
        max_memory_gib=_number(rule, "max_memory_gib"),
    )


def validate(rule: Mapping[str, Any], path: list[Any]) -> Iterable[tuple[list[Any], str]]:
    return ()  # the schema says it all; options() checks the size name


def _number(rule: RuleConfig, key: str) -> float | None:
    value = rule.options.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ValueError(f"rule {rule.id}: {key} must be a positive number, not {value!r}")
    return value


def _judge(
    rule: RuleConfig,
    resource: Resource,
    ctx: Context,
    limits: Options,
    path: str,
    name: str,
    provider: str,
    note: str,
) -> Iterator[Finding]:
    family, size = split_instance_type(name)
    problems: list[str] = []
    fixes: list[str] = []

    missing = missing_type(provider, name) if limits.must_exist else None
    if missing is not None:
        problem, fix = _missing_text(missing)
        problems.append(problem)
        fixes.append(fix)

    denied = [glob for glob in limits.deny if fnmatch.fnmatchcase(name, glob)]
    if denied:
        problems.append(f"matches the denied pattern {denied[0]}")
        fixes.append("use a type no deny pattern matches")
    if limits.allow is not None and not any(fnmatch.fnmatchcase(name, glob) for glob in limits.allow):
        problems.append(f"matches none of the allowed patterns {', '.join(limits.allow)}")
        fixes.append(f"use a type matching {', '.join(limits.allow)}")
    if limits.families is not None and family not in limits.families:
        problems.append(f"is of family {family}, which is not among the allowed families {', '.join(limits.families)}")
        fixes.append(f"use a type of family {', '.join(limits.families)}")

    unknown_reason = ""
    if limits.max_rank is not None and "." in name:
        rank = size_rank(size)
        if rank is None:
            unknown_reason = f"size {size or '(none)'} of {name} is not a known size"
        elif rank > limits.max_rank:
            problems.append(f"is larger than max_size {limits.max_size}")
            prefix = name[: len(name) - len(size)]
            fixes.append(f"use {prefix}{limits.max_size} or smaller")

    if limits.max_vcpu is not None or limits.max_memory_gib is not None:
        spec = instance_spec(provider, name)
        if spec is None:
            unknown_reason = unknown_reason or f"instance type {name} is not in the spec table"
        else:
            if limits.max_vcpu is not None and spec.vcpu > limits.max_vcpu:
                problems.append(f"has {spec.vcpu} vCPUs, more than max_vcpu {_show(limits.max_vcpu)}")
                fixes.append(f"use a type with at most {_show(limits.max_vcpu)} vCPUs")
            if limits.max_memory_gib is not None:
                if spec.memory_gib is None:
                    unknown_reason = unknown_reason or f"the memory of {name} is not in the spec table"
                elif spec.memory_gib > limits.max_memory_gib:
                    problems.append(
                        f"has {_show(spec.memory_gib)} GiB of memory, "
                        f"more than max_memory_gib {_show(limits.max_memory_gib)}"
                    )
                    fixes.append(f"use a type with at most {_show(limits.max_memory_gib)} GiB of memory")

    if problems:
        message = f"{name} " + _join(problems)
        if note:
            message += f" ({note})"
        yield ctx.finding(rule, resource, path, message, fix="; ".join(fixes) + ", or exempt it in the policy")
    elif unknown_reason:
        finding = ctx.unknown(rule, resource, path, Unknown(unknown_reason), "instance type")
        if finding is not None:
            yield finding


def _missing_text(missing: Missing) -> tuple[str, str]:
    """The problem and the fix for a type that does not exist: its real neighbours by size."""
    nearest = missing.nearest
    if len(nearest) > 2:
        sizes = [n[len(missing.family) + 1:] if n.startswith(missing.family + ".") else n for n in nearest]
        return (f"is not {missing.kind}: {missing.family} comes in {', '.join(sizes[:-1])} and {sizes[-1]}",
                f"use one of the {missing.family} sizes")
    if len(nearest) == 2:
        return (f"is not {missing.kind}: the nearest are {nearest[0]} and {nearest[1]}",
                f"use {nearest[0]} or {nearest[1]}")
    return f"is not {missing.kind}: the nearest is {nearest[0]}", f"use {nearest[0]}"


def _join(problems: list[str]) -> str:
    if len(problems) == 1:
        return problems[0]
    return ", ".join(problems[:-1]) + " and " + problems[-1]


def _show(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


# --- where the values are -----------------------------------------------------------------------


