"""required-tags: resources must carry the tags (or labels) a team needs to own and pay for them.

## What it does
Checks that every taggable resource has each tag in `tags`, with a non-empty value, and that
values listed in `values` are allowed: a list of exact values, or a regular expression that
must match the whole value. Keys are case-sensitive.

- AWS and Azure resources: the `tags` map. The `default_tags` of the AWS provider
  configuration the resource uses are merged under the resource's own tags (the resource wins).
- `aws_autoscaling_group`: its `tag` blocks and `tags` list count, never `default_tags`
  (AWS does not apply them to groups). A required tag with `propagate_at_launch = false` is a
  warning: the instances the group launches will not carry it.
- GCP resources: `labels` (`resource_labels` on `google_container_cluster`).
- Kubernetes objects: `metadata.labels`.
- In a plan, `tags_all` (tags plus the provider's default tags).

A tag whose value cannot be evaluated gets `settings.unknown`.

## Why is this bad?
Untagged resources have no owner and no cost center: nobody is paged when they break and
nobody sees their bill. Finance tools allocate cost by tag, so one missing tag hides spend.

## Example
```yaml
rules:
  - id: tags
    type: required-tags
    tags: [owner, cost-center]
    values: {cost-center: "^cc-[0-9]{4}$"}
```
```hcl
resource "aws_instance" "web" {
  instance_type = "t3.micro"
  tags = { owner = "web-team" }          # cost-center is missing
}
```

## Use instead
```hcl
provider "aws" {
  default_tags { tags = { cost-center = "cc-1234" } }   # every resource of this provider
}
resource "aws_instance" "web" {
  instance_type = "t3.micro"
  tags = { owner = "web-team" }
}
```
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Mapping, Sequence

from guardrails.core.model import Finding, Resource, Unknown, is_unknown
from guardrails.core.re2 import PatternError, fullmatches, policy_pattern
from guardrails.core.policy import RuleConfig
from guardrails.rules.base import Context, pattern_problem
from guardrails.rules.registry import options_of
from guardrails.providers.taggable import tag_attribute
from guardrails.providers.tags import resource_tags

TYPE = "required-tags"
TARGETS = ("terraform", "kubernetes")
NEEDS_COST = False


@dataclass(frozen=True)
class Options:
    tags: tuple[str, ...] = ()  # keys every resource must carry
    values: Mapping[str, Any] = field(default_factory=dict)  # key -> allowed values (a list, or a pattern)


def options(rule: RuleConfig) -> Options:
    return Options(tuple(str(t) for t in rule.options.get("tags", [])), rule.options.get("values", {}) or {})


def validate(rule: Mapping[str, Any], path: list[Any]) -> Iterable[tuple[list[Any], str]]:
    for key, allowed in rule.get("values", {}).items():
        if isinstance(allowed, str):
            problem = pattern_problem(allowed)
            if problem:
                yield path + ["values", key], problem


def check(rule: RuleConfig, resources: Sequence[Resource], ctx: Context) -> Iterator[Finding]:
    opts: Options = options_of(rule)
    required = list(opts.tags)
    allowed = opts.values
    keys = required + [k for k in allowed if k not in required]
    explicit_types = bool(rule.match.resources)
    for resource in resources:
        found = resource_tags(resource, explicit_types)
        if found is None:
            continue
        tags, path, propagation = found
        if is_unknown(tags):
            finding = ctx.unknown(rule, resource, path, tags, "tags")
            if finding:
                yield finding
            continue
        for key in keys:
            yield from _check_key(rule, resource, ctx, tags, path, key, key in required, allowed.get(key), propagation)


def owner_tags(rule: RuleConfig) -> tuple[str, ...]:
    """The keys the rule asks for: required ones, then those with restricted values."""
    opts: Options = options_of(rule)
    return tuple(dict.fromkeys([*opts.tags, *opts.values]))


def untagged_keys(rule: RuleConfig, resource: Resource) -> tuple[str, ...]:
    """The keys of the rule that `resource` lacks or holds a refused value for: what makes its
    spend unowned (engine/untagged.py). Values that cannot be evaluated are not counted (they
    may be right); a resource without tags of its own (not taggable) has none."""
    opts: Options = options_of(rule)
    found = resource_tags(resource, bool(rule.match.resources))
    if found is None or is_unknown(found[0]):
        return ()
    tags = found[0]
    return tuple(k for k in owner_tags(rule)
                 if _state(tags.get(k), k in opts.tags, opts.values.get(k))[0] in ("missing", "empty", "refused"))


def _state(value: Any, required: bool, allowed: Any) -> tuple[str, Any]:
    """What a tag's value is worth to the rule: ok, missing, empty, refused, unknown (with why),
    or absent (neither set nor required)."""
    if is_unknown(value):
        return "unknown", value
    if value is None or value == "":
        if not required:
            return "absent", None
        return ("empty" if value == "" else "missing"), None
    text = str(value).lower() if isinstance(value, bool) else str(value)
    try:
        refused = allowed is not None and not _allowed(text, allowed)
    except PatternError as exc:
        return "unknown", exc
    return ("refused" if refused else "ok"), text


def _check_key(rule: RuleConfig, resource: Resource, ctx: Context, tags: Mapping[str, Any], path: str,
               key: str, required: bool, allowed: Any, propagation: Mapping[str, Any]) -> Iterator[Finding]:
    where = f"{path}.{key}"
    noun = "label" if path.endswith("labels") else "tag"
    state, detail = _state(tags.get(key), required, allowed)
    if state == "unknown":
        value = detail if is_unknown(detail) else Unknown(f"{noun} {key} is not matched: {detail}")
        finding = ctx.unknown(rule, resource, where, value, f"{noun} {key}")
        if finding:
            yield finding
        return
    if state in ("missing", "empty"):
        yield ctx.finding(rule, resource, where, f"required {noun} {key} is {state}", fix=_fix(resource, key, allowed, noun))
        return
    if state == "absent":
        return
    text = detail
    if state == "refused":
        shown = allowed if isinstance(allowed, str) else ", ".join(map(str, allowed))
        yield ctx.finding(rule, resource, where, f"{noun} {key}={text!r} is not allowed (allowed: {shown})",
                          fix=f"set {key} to a value matching {shown}")
    if propagation.get(key) is False:
        yield ctx.finding(rule, resource, where,
                          f"tag {key} is not propagated at launch, so the group's instances will not carry it",
                          fix=f"set propagate_at_launch = true on the {key} tag", severity="warn")


def _allowed(value: str, allowed: Any) -> bool:
    if isinstance(allowed, str):
        # Checked at load (policy validate refuses what could backtrack exponentially).
        return fullmatches(policy_pattern(allowed), value)
    return value in [str(a).lower() if isinstance(a, bool) else str(a) for a in allowed]


def _fix(resource: Resource, key: str, allowed: Any, noun: str) -> str:
    example = allowed[0] if isinstance(allowed, list) and allowed else "..."
    if resource.kind == "kubernetes":
        return f'add metadata.labels["{key}"]: "{example}"'
    if resource.type == "aws_autoscaling_group":
        return f'add a tag block: tag {{ key = "{key}", value = "{example}", propagate_at_launch = true }}'
    attribute = tag_attribute(resource.type) or "tags"
    extra = " (or set it once in the provider's default_tags)" if resource.provider == "aws" else ""
    return f'add {key} = "{example}" to {attribute}{extra}'


