"""Thresholds on what a change costs per month, in total and per resource.

## What it does
Compares the priced cost of the configuration (USD per month, on-demand list prices of the
bundled catalog) with thresholds. Each option takes `warn` and `fail`, either optional; a level
is crossed when the figure is strictly greater than its threshold, and `fail` wins over `warn`.

- `monthly_delta`: how much the change adds per month (head minus base). `guardrails diff` only.
- `monthly_delta_percent`: that increase as a percentage of the base's monthly total.
  `guardrails diff` only. When the base costs nothing the percentage is not applied: new
  infrastructure has no percentage, so use `monthly_delta` or `monthly_total` to bound it.
- `monthly_total`: the monthly total after the change (of the scanned files for `check`/`cost`).
- `resource_monthly`: any single resource's monthly cost; one finding per resource, at its line.
- `worst_case_monthly`: the monthly total (after the change) with every autoscaler at its cap
  (an Auto Scaling group's `max_size`, an EKS node group's `scaling_config.max_size`, GKE and AKS
  node pools' autoscaling maximum, a workload's HorizontalPodAutoscaler or KEDA ScaledObject).
- `worst_case_delta`: how much the change raises that worst case. `guardrails diff` only: a pull
  request that only raises a cap adds nothing to the monthly figure, and this is what judges it.
- `group_by: tag:NAME` makes `monthly_total` and `monthly_delta` budgets of each group: every
  value of the tag or label (and the resources without it) is judged on its own total and delta,
  one finding per group over its threshold, at the group's costliest resource. `groups` sets a
  group's own thresholds over the rule's (`groups: {payments: {monthly_total: {fail: 5000}}}`); a
  budget for a group no resource belongs to is a note, not an error.
- `untagged_percent`: the share of the monthly total (after the change) on resources that lack
  a tag the policy's required-tags rules ask for (FinOps teams aim under 5%). Exemptions do not
  make a resource tagged. Without a required-tags rule in the policy there is no such share, and
  the option says so in a warning instead of judging nothing in silence.

A change that saves money never trips `monthly_delta` or `monthly_delta_percent`. Unpriced
resources are left out of every figure and named in the message. The finding's severity is the
level crossed, not the rule's `severity`. A change-level finding points at the resource that
drove the increase most; its message lists the largest drivers. In `diff`, a total or a resource
that was already over the same level before the change is reported as existing (not blocking).

## Why is this bad?
A one-line edit (`m5.large` to `m5.4xlarge`, a replica count, a disk size) can add hundreds of
dollars a month, and nothing in the review shows it. A threshold turns that cost into something
the reviewer sees and must accept on purpose.

## Example
```yaml
- id: budget
  type: cost
  monthly_delta: {warn: 100, fail: 1000}
  monthly_delta_percent: {warn: 10, fail: 50}
  resource_monthly: {warn: 500, fail: 5000}
  worst_case_delta: {fail: 2000}
  untagged_percent: {warn: 5, fail: 20}
```
```hcl
resource "aws_instance" "worker" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "m5.4xlarge"   # was m5.large: +$490.56/mo
}
```

Budgets by team:
```yaml
- id: team-budgets
  type: cost
  group_by: tag:team
  monthly_total: {warn: 1000}          # every group
  groups:
    payments: {monthly_total: {fail: 5000}}
```

## Use instead
Keep the smaller size, or, when the cost is intended, say so: raise the threshold or add an
exemption with a reason.
```yaml
exemptions:
  - {rule: budget, resource: aws_instance.worker, reason: "batch jobs need 16 vCPUs", expires: 2027-01-01}
```
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from guardrails.core.model import Finding, Resource
from guardrails.core.policy import RuleConfig, group_by_tag
from guardrails.rules.base import Context
from guardrails.rules.registry import options_of

if TYPE_CHECKING:  # only annotations: a check run loads this module without pricing anything
    from guardrails.core.costdiff import CostDiff, ResourceDelta

TYPE = "cost"
TARGETS = ("terraform", "kubernetes")
NEEDS_COST = True  # judged on the priced change (check_cost), wherever prices are known

OPTIONS = ("monthly_delta", "monthly_delta_percent", "monthly_total", "resource_monthly", "worst_case_monthly",
           "worst_case_delta", "untagged_percent")
_DRIVERS_SHOWN = 3
_CHANGE_FIX = "review the change's cost; raise the threshold or add an exemption if it is intended"
_WORST_FIX = "keep the autoscaling cap lower; raise the threshold or add an exemption if that scale is intended"
_RESOURCE_FIX = "choose a smaller size or fewer instances; raise the threshold or add an exemption if it is intended"
_CHANGE_WORDS = {"added": "new", "removed": "removed", "changed": "changed", "unchanged": "unchanged"}


def check(rule: RuleConfig, resources: Iterable[Resource], ctx: Context) -> Iterator[Finding]:
    # Cost is judged on priced resources, not on single resources: the engine calls check_cost
    # wherever prices are known (diff and cost), so the per-resource pass has nothing to do.
    return iter(())


@dataclass(frozen=True)
class _Threshold:
    option: str
    warn: float | None
    fail: float | None

    def crossed(self, value: float) -> tuple[str, float] | None:
        """The level `value` is strictly above, fail first, with its threshold."""
        if self.fail is not None and value > self.fail:
            return "fail", self.fail
        if self.warn is not None and value > self.warn:
            return "warn", self.warn
        return None


@dataclass(frozen=True)
class Options:
    thresholds: Mapping[str, _Threshold]  # by option (monthly_delta, ...), only those given
    group_by: str | None = None  # the tag whose values are budgeted apart (group_by: tag:NAME)
    groups: Mapping[str, Mapping[str, _Threshold]] = field(default_factory=dict)  # a group's own


GROUP_OPTIONS = ("monthly_total", "monthly_delta")


def options(rule: RuleConfig) -> Options:
    group_by = rule.options.get("group_by")
    tag = None if group_by is None else group_by_tag(str(group_by))
    if group_by is not None and tag is None:
        raise ValueError(f"rule {rule.id}: group_by must be tag:NAME, not {group_by!r}")
    groups = {}
    for name, raw in (rule.options.get("groups") or {}).items():
        if tag is None:
            raise ValueError(f"rule {rule.id}: groups needs group_by: tag:NAME")
        groups[str(name)] = _thresholds(rule, raw, GROUP_OPTIONS, f"groups.{name}.")
    return Options(thresholds(rule), tag, groups)


def validate(rule: Mapping[str, Any], path: list[Any]) -> Iterable[tuple[list[Any], str]]:
    yield from _order_problems(rule, OPTIONS, path)
    groups = rule.get("groups")
    if isinstance(groups, Mapping):
        if "group_by" not in rule:
            yield path + ["groups"], "groups needs group_by: tag:NAME"
        for name, given in groups.items():
            if isinstance(given, Mapping):
                yield from _order_problems(given, GROUP_OPTIONS, path + ["groups", name])


def _order_problems(given: Mapping[str, Any], names: tuple[str, ...], path: list[Any]) -> Iterable[tuple[list[Any], str]]:
    for option in names:
        bounds = given.get(option)
        if isinstance(bounds, Mapping) and "warn" in bounds and "fail" in bounds and bounds["warn"] > bounds["fail"]:
            yield path + [option], f"warn threshold {bounds['warn']} is above fail threshold {bounds['fail']}"


def thresholds(rule: RuleConfig) -> dict[str, _Threshold]:
    """The rule's thresholds by option; a bad value is a ValueError naming the rule and option."""
    return _thresholds(rule, rule.options, OPTIONS, "")


def _thresholds(rule: RuleConfig, given: Mapping[str, Any], names: tuple[str, ...], where: str) -> dict[str, _Threshold]:
    result: dict[str, _Threshold] = {}
    for option in names:
        raw = given.get(option)
        if raw is None:
            continue
        named = where + option  # as the policy spells it, for messages
        if not isinstance(raw, Mapping) or not raw or set(raw) - {"warn", "fail"}:
            raise ValueError(f"rule {rule.id}: {named} must be a mapping with warn and/or fail")
        levels: dict[str, float | None] = {}
        for level in ("warn", "fail"):
            value = raw.get(level)
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                      or not math.isfinite(value) or value < 0):
                raise ValueError(f"rule {rule.id}: {named}.{level} must be a number of 0 or more, not {value!r}")
            levels[level] = None if value is None else float(value)
        result[option] = _Threshold(option, levels["warn"], levels["fail"])
    return result


def check_cost(rule: RuleConfig, diff: CostDiff, ctx: Context, *, is_diff: bool) -> Iterator[Finding]:
    """Findings of a cost rule on priced resources; `is_diff` when a base side was priced too."""
    opts: Options = options_of(rule)
    limits = opts.thresholds
    if opts.group_by is not None:
        # The budgets are the groups': the whole change is not judged by them too.
        yield from _group_findings(rule, diff, opts, is_diff)
        limits = {option: limit for option, limit in limits.items() if option not in GROUP_OPTIONS}
    delta = diff.delta
    before = diff.before
    percent = delta / before * 100 if before > 0 else None
    if is_diff and delta > 0:
        limit = limits.get("monthly_delta")
        crossed = limit.crossed(delta) if limit else None
        if crossed:
            figure = f"{_signed(delta)}/mo" + (f" ({percent:+,.1f}%)" if percent is not None else "")
            yield _change_finding(rule, diff, is_diff, "monthly_delta", crossed, figure, f"{_limit(crossed[1])}/mo")
        limit = limits.get("monthly_delta_percent")
        crossed = limit.crossed(percent) if limit and percent is not None else None
        if crossed:
            figure = f"{percent:+,.1f}% ({_signed(delta)}/mo)"
            yield _change_finding(rule, diff, is_diff, "monthly_delta_percent", crossed, figure, f"{crossed[1]:g}%")
    limit = limits.get("monthly_total")
    crossed = limit.crossed(diff.after) if limit else None
    if limit and crossed:
        figure = f"the monthly total of {_money(diff.after)}/mo"
        status = "existing" if is_diff and limit.crossed(before) == crossed else "new"
        yield _change_finding(rule, diff, is_diff, "monthly_total", crossed, figure, f"{_limit(crossed[1])}/mo",
                              status=status)
    limit = limits.get("resource_monthly")
    if limit:
        yield from _resource_findings(rule, diff, limit, is_diff)
    worst_delta = diff.worst_case_delta
    limit = limits.get("worst_case_delta")
    crossed = limit.crossed(worst_delta) if limit and is_diff and worst_delta > 0 else None
    if crossed:
        figure = f"{_signed(worst_delta)}/mo at full scale"
        yield _change_finding(rule, diff, is_diff, "worst_case_delta", crossed, figure, f"{_limit(crossed[1])}/mo",
                              worst=True)
    limit = limits.get("worst_case_monthly")
    crossed = limit.crossed(diff.worst_case("after")) if limit else None
    if limit and crossed:
        figure = f"the monthly total at full scale of {_money(diff.worst_case('after'))}/mo"
        status = "existing" if is_diff and limit.crossed(diff.worst_case("before")) == crossed else "new"
        yield _change_finding(rule, diff, is_diff, "worst_case_monthly", crossed, figure, f"{_limit(crossed[1])}/mo",
                              status=status, worst=True)
    limit = limits.get("untagged_percent")
    if limit:
        yield from _untagged_findings(rule, diff, limit, is_diff)


def budgeted_groups_missing(rule: RuleConfig, diff: CostDiff) -> list[str]:
    """What to say of each group the rule sets a budget for that no resource of the report
    belongs to: a note, not an error (a team with nothing deployed yet, or a misspelt name)."""
    opts: Options = options_of(rule)
    if opts.group_by is None:
        return []
    present = {group.key for group in diff.groups(opts.group_by)}
    return [f"rule {rule.id}: a budget for {opts.group_by} {name}, but no resource has {opts.group_by}={name}"
            for name in sorted(opts.groups) if name not in present]


def _group_findings(rule: RuleConfig, diff: CostDiff, opts: Options, is_diff: bool) -> Iterator[Finding]:
    tag = opts.group_by
    every = {option: limit for option, limit in opts.thresholds.items() if option in GROUP_OPTIONS}
    for group in diff.groups(tag):
        own = {**every, **(opts.groups.get(group.key, {}) if group.key is not None else {})}
        name = f"{tag} {group.key}" if group.key is not None else f"resources without {tag}"
        top = group.largest
        checks = [("monthly_total", group.after, group.before, f"the monthly total of {_money(group.after)}/mo")]
        if is_diff and group.delta > 0:
            checks.append(("monthly_delta", group.delta, None, f"{_signed(group.delta)}/mo"))
        for option, value, before, figure in checks:
            limit = own.get(option)
            crossed = limit.crossed(value) if limit else None
            if not crossed:
                continue
            level, threshold = crossed
            already = option == "monthly_total" and is_diff and limit.crossed(before) == crossed
            message = f"{name}: {figure} is above the {level} threshold of {_limit(threshold)}/mo"
            if top is not None:
                message += f": its largest is {top.address} ({_money(group.largest_cost)}/mo)"
            path = f"groups.{group.key}.{option}" if group.key is not None else f"groups.(none).{option}"
            yield Finding(rule=rule.id, type=rule.type, severity=level, resource=top.address if top else "",
                          path=path, file=top.file if top else rule.file, line=top.line if top else rule.line,
                          message=message, fix=f"bring {name} under its budget, or raise the budget in the policy",
                          status="existing" if already else "new")


def _untagged_findings(rule: RuleConfig, diff: CostDiff, limit: _Threshold, is_diff: bool) -> Iterator[Finding]:
    if diff.untagged_after is None:
        yield Finding(rule=rule.id, type=rule.type, severity="warn", resource="", path="untagged_percent",
                      file=rule.file, line=rule.line,
                      message="untagged_percent judges nothing: the policy has no required-tags rule to say which "
                              "tags a resource needs", fix="add a required-tags rule, or remove untagged_percent")
        return
    percent = diff.untagged_percent("after")
    crossed = limit.crossed(percent) if percent is not None else None
    if not crossed:
        return
    level, threshold = crossed
    before = diff.untagged_percent("before") if is_diff else None
    already = before is not None and limit.crossed(before) == crossed
    untagged = diff.untagged_resources()
    tags = ", ".join(diff.untagged_after.tags)
    message = (f"{percent:,.1f}% of the monthly total ({_money(diff.untagged_monthly('after') or 0)} of "
               f"{_money(diff.after)}/mo) is on resources without the tags {tags}, above the {level} threshold of "
               f"{threshold:g}%")
    if untagged:
        shown = ", ".join(f"{item.address} ({_money(item.monthly_after or 0)}/mo)" for item in untagged[:_DRIVERS_SHOWN])
        more = f" and {len(untagged) - _DRIVERS_SHOWN} more" if len(untagged) > _DRIVERS_SHOWN else ""
        message += f": {shown}{more}"
    top = untagged[0] if untagged else None
    yield Finding(rule=rule.id, type=rule.type, severity=level, resource=top.address if top else "",
                  path="untagged_percent", file=top.file if top else "", line=top.line if top else 0,
                  message=message, fix=f"tag the resources with {tags} (or the provider's default_tags)",
                  status="existing" if already else "new")


def _change_finding(rule: RuleConfig, diff: CostDiff, is_diff: bool, path: str, crossed: tuple[str, float],
                    figure: str, threshold: str, status: str = "new", worst: bool = False) -> Finding:
    level = crossed[0]
    drivers = _worst_drivers(diff, is_diff) if worst else _drivers(diff, is_diff)
    message = f"{figure} is above the {level} threshold of {threshold}"
    if drivers:
        message += ": " + _list_drivers(drivers, is_diff, worst)
    unknown = sum(1 for item in diff.resources if item.after is not None and item.after.worst_case_unknown)
    if worst and unknown:
        message += (f" ({unknown} resource{'s' if unknown != 1 else ''} whose cap cannot be evaluated counted at "
                    "the monthly cost: the figure is a lower bound)")
    unpriced = sum(1 for item in diff.resources if item.unpriced is not None)
    if unpriced:
        message += f" ({unpriced} unpriced resource{'s' if unpriced != 1 else ''} not counted)"
    in_part = sum(1 for item in diff.resources if item.incomplete)
    if in_part:
        # A part without a price is left out, so the figure is a lower bound: it crossed at least this.
        message += f" ({in_part} resource{'s' if in_part != 1 else ''} priced in part: the figure is a lower bound)"
    top = drivers[0] if drivers else None
    return Finding(
        rule=rule.id, type=rule.type, severity=level,
        resource=top.address if top else "", path=path,
        file=top.file if top else "", line=top.line if top else 0,
        message=message, fix=_WORST_FIX if worst else _CHANGE_FIX, status=status,
    )


def _drivers(diff: CostDiff, is_diff: bool) -> list[ResourceDelta]:
    """What pushed the figure up, largest first: increases in a diff, the costliest resources otherwise."""
    if is_diff:
        return [item for item in diff.drivers() if (item.delta or 0) > 0]
    priced = [item for item in diff.resources if (item.monthly_after or 0) > 0]
    return sorted(priced, key=lambda item: (-(item.monthly_after or 0), item.address))


def _worst_drivers(diff: CostDiff, is_diff: bool) -> list[ResourceDelta]:
    """What raised the worst case, largest first: increases in a diff, the costliest at full scale otherwise."""
    if is_diff:
        moved = [item for item in diff.resources if (item.worst_delta or 0) > 0]
        return sorted(moved, key=lambda item: (-(item.worst_delta or 0), item.address))
    priced = [item for item in diff.resources if (item.worst("after") or 0) > 0]
    return sorted(priced, key=lambda item: (-(item.worst("after") or 0), item.address))


def _list_drivers(drivers: list[ResourceDelta], is_diff: bool, worst: bool = False) -> str:
    shown = []
    for item in drivers[:_DRIVERS_SHOWN]:
        if is_diff:
            what = item.summary or _CHANGE_WORDS.get(item.change, item.change)
            shown.append(f"{item.address} {what} ({_signed((item.worst_delta if worst else item.delta) or 0)})")
        else:
            shown.append(f"{item.address} ({_money((item.worst('after') if worst else item.monthly_after) or 0)}/mo)")
    text = ", ".join(shown)
    if len(drivers) > _DRIVERS_SHOWN:
        text += f" and {len(drivers) - _DRIVERS_SHOWN} more"
    return text


def _resource_findings(rule: RuleConfig, diff: CostDiff, limit: _Threshold, is_diff: bool) -> Iterator[Finding]:
    for item in sorted(diff.resources, key=lambda r: (r.file, r.line, r.address)):
        after = item.monthly_after
        crossed = limit.crossed(after) if after is not None else None
        if not crossed:
            continue
        level, threshold = crossed
        # The message names only the resource's own cost, so the base's finding reads the same.
        before = item.monthly_before
        already = is_diff and before is not None and limit.crossed(before) == crossed
        yield Finding(
            rule=rule.id, type=rule.type, severity=level, resource=item.address, path="monthly",
            file=item.file, line=item.line,
            message=f"{_money(after)}/mo is above the {level} threshold of {_limit(threshold)}/mo per resource",
            fix=_RESOURCE_FIX, status="existing" if already else "new",
        )


def _signed(value: float) -> str:
    sign = "-" if value < 0 else "+"
    return f"{sign}${abs(value):,.2f}"


def _money(value: float) -> str:
    return f"${value:,.2f}"


def _limit(value: float) -> str:
    """A threshold as the policy wrote it: $500, or $99.50."""
    return f"${int(value):,}" if float(value).is_integer() else f"${value:,.2f}"
