"""used-by: resources that cost money only when something uses them must be used (orphans).

## What it does
A resource in the rule's `match` scope passes when another resource of the same module refers
to it through one of the `by` attributes (`{type, attribute}`, the attribute a dotted path that
walks blocks), or when it sets one of its own `unless_set` attributes. A reference is what
Terraform resolves at apply (`volume_id = aws_ebs_volume.data.id`); in a plan, where values are
known, an attribute equal to the resource's `id`, `arn`, `name` or `bucket` counts too.

- Orphans: an EBS volume no `aws_volume_attachment` attaches, an Elastic IP associated with
  nothing, an Azure public IP no NIC, load balancer, gateway or firewall uses.
- Missing companions: an S3 bucket without an `aws_s3_bucket_lifecycle_configuration` (or an
  inline `lifecycle_rule`).

Resources of a child module are not judged: what uses them may be in the caller, through the
module's outputs. When the same root calls a module that was not inspected (a registry module),
anything may be using the resource: the finding is graded by `settings.unknown` instead.

## Why is this bad?
An unattached volume and an idle Elastic IP are billed every hour for nothing, and nobody
notices: the instance that used them is gone. A bucket without lifecycle rules keeps every
object, and every old version, forever.

## Example
```yaml
- id: orphan-volumes
  type: used-by
  match: {resources: [aws_ebs_volume]}
  by: [{type: aws_volume_attachment, attribute: volume_id}]
  message: the volume is attached to nothing
```
```hcl
resource "aws_ebs_volume" "scratch" {
  availability_zone = "us-east-1a"
  size              = 500
}
```

## Use instead
```hcl
resource "aws_volume_attachment" "scratch" {
  device_name = "/dev/sdf"
  volume_id   = aws_ebs_volume.scratch.id
  instance_id = aws_instance.worker.id
}
```
"""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Mapping, Sequence

from guardrails.core.model import Finding, Resource, Unknown, is_unknown
from guardrails.core.policy import RuleConfig
from guardrails.providers.references import references_within
from guardrails.rules.base import MISSING, Context, resolve
from guardrails.rules.registry import options_of

TYPE = "used-by"
TARGETS = ("terraform",)
NEEDS_COST = False
# The attributes a plan's known values name a resource by.
_LAST_INDEX = re.compile(r"\[[^\]]*\]$")
_IDENTITIES = ("id", "arn", "name", "bucket")


@dataclass(frozen=True)
class Options:
    by: tuple[tuple[str, str], ...]  # (type glob, attribute path)
    unless_set: tuple[str, ...] = ()
    message: str = ""
    fix: str = ""


def options(rule: RuleConfig) -> Options:
    raw = rule.options
    by = tuple((str(item["type"]), str(item["attribute"])) for item in raw.get("by") or [])
    return Options(by, tuple(str(a) for a in raw.get("unless_set") or []), raw.get("message") or "",
                   raw.get("fix") or "")


def validate(rule: Mapping[str, Any], path: list[Any]) -> Iterable[tuple[list[Any], str]]:
    if not rule.get("by") and not rule.get("unless_set"):
        yield path, "used-by needs by (who uses the resource) or unless_set"


def check(rule: RuleConfig, resources: Sequence[Resource], ctx: Context) -> Iterator[Finding]:
    opts: Options = options_of(rule)
    users = _users(opts, ctx.all_resources)
    uninspected = {r.root for r in ctx.all_resources if r.unknown}
    for resource in resources:
        if resource.module or any(_is_set(value) for name in opts.unless_set for value in _values(resource.attrs, name)):
            continue
        # A user anywhere counts: a resource passed into a module is used by what the module makes.
        if any(_uses(user, resource) for user in users):
            continue
        message = opts.message or f"nothing in the configuration uses {resource.address}"
        fix = opts.fix or (f"use it ({', '.join(f'{t}.{a}' for t, a in opts.by)}), or remove it"
                           if opts.by else "use it, or remove it")
        if resource.root in uninspected:
            finding = ctx.unknown(rule, resource, "", Unknown(f"{message}, unless a module that was not inspected "
                                                              "uses it"), resource.address)
            if finding:
                yield finding
            continue
        yield ctx.finding(rule, resource, "", message, fix=fix)


def _users(opts: Options, everything: Sequence[Resource]) -> list[tuple[Resource, list[Any]]]:
    """Each resource of a `by` type with the values of its `by` attributes."""
    found: list[tuple[Resource, list[Any]]] = []
    for other in everything:
        if other.mode != "managed":
            continue
        values = [value for glob, attribute in opts.by if fnmatch.fnmatchcase(other.type, glob)
                  for value in _values(other.attrs, attribute)]
        if values:
            found.append((other, values))
    return found


def _uses(user: tuple[Resource, list[Any]], target: Resource) -> bool:
    identities = {value for key in _IDENTITIES if isinstance(value := target.attrs.get(key), str) and value}
    for value in user[1]:
        for reference in references_within(value):
            # References name resources by absolute address; one to any instance matches them all.
            if reference.address == target.address or (
                    reference.any_instance or not reference.index) and _base(target.address) == reference.base:
                return True
        if isinstance(value, str) and value in identities:
            return True
    return False


def _base(address: str) -> str:
    """An address without the index of its last step ("module.m[0].aws_eip.ip[2]" -> "...aws_eip.ip")."""
    return _LAST_INDEX.sub("", address)


def _values(attrs: Any, path: str) -> list[Any]:
    """Every value a dotted path reaches, walking lists (blocks) on the way, as attribute reads it."""
    return [value for _, value in resolve(attrs, path) if value is not MISSING]


def _is_set(value: Any) -> bool:
    # An unevaluated value is set to something; an empty list or string is not.
    return is_unknown(value) or value not in ("", [], {})
