"""k8s-resources: containers declare the CPU and memory they need, within sane bounds.

## What it does
Checks the `resources` of every container and init container (native sidecars included,
ephemeral debug containers never) of every pod-bearing kind: Pod, Deployment, StatefulSet,
DaemonSet, ReplicaSet, ReplicationController, Job and CronJob.

- `require`: fields every container must set: `requests.cpu`, `requests.memory`,
  `limits.cpu`, `limits.memory`, `requests.ephemeral-storage`, `limits.ephemeral-storage`.
  A request that is missing while its limit is set counts as set: Kubernetes copies the limit.
- `max` / `min`: bounds per field in Kubernetes quantities (`4`, `500m`, `16Gi`).
  `min: {requests.memory: 1Mi}` catches `memory: 100m`, which is a tenth of a byte.
- `max_ratio`: the largest limit / request allowed, for `cpu` and `memory`.
- Always: a request above its limit (the API server rejects the pod), a value that is not a
  quantity, and a negative one.

All problems of one container make one finding: its path is the first problem's field (the
first missing field in `require` order when fields are missing) and its message lists them all.
When a LimitRange of type Container in the same namespace, among the scanned files, would fill
in a missing field, that problem is only a warning (`settings.kubernetes.limitrange_defaults:
warn`, the default) or is not reported (`ignore`). Kubernetes fills a missing limit from the
LimitRange's `default`, else its `max`; a missing request from its `defaultRequest`, else
`default`, else `max`, else `min`.

## Why is this bad?
Without requests the scheduler places pods blindly: nodes are overcommitted, pods are evicted
first under pressure, and cost allocation sees nothing for the workload. Without a memory
limit one leaking container can take the node and its neighbours down. A unit slip such as
`memory: 100m` passes `kubectl apply` and the container is killed as soon as it starts.

## Example
```yaml
rules:
  - id: k8s-resources
    type: k8s-resources
    require: [requests.cpu, requests.memory, limits.memory]
    min: {requests.memory: 1Mi}
```
```yaml
spec:
  containers:
    - name: api
      image: shop/api:1.4
      resources:
        requests:
          memory: 100m        # a tenth of a byte; no CPU request, no memory limit
```

## Use instead
```yaml
spec:
  containers:
    - name: api
      image: shop/api:1.4
      resources:
        requests:
          cpu: 250m
          memory: 256Mi
        limits:
          memory: 512Mi
```
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any, Iterable, Iterator, Mapping, Sequence

from guardrails.providers.kubernetes import LimitRangeDefault, containers, limit_range_defaults, pod_spec
from guardrails.providers.quantity import QuantityError, format_quantity, parse_quantity
from guardrails.core.paths import join_path
from guardrails.core.model import Finding, Resource, is_unknown
from guardrails.core.policy import RuleConfig
from guardrails.rules.base import Context
from guardrails.rules.registry import options_of

TYPE = "k8s-resources"
TARGETS = ("kubernetes",)
NEEDS_COST = False

SECTIONS = ("requests", "limits")
_EXAMPLES = {
    ("requests", "cpu"): "250m", ("limits", "cpu"): "1",
    ("requests", "memory"): "256Mi", ("limits", "memory"): "512Mi",
    ("requests", "ephemeral-storage"): "1Gi", ("limits", "ephemeral-storage"): "2Gi",
}
_SEVERITY_RANK = {"info": 0, "warn": 1, "fail": 2}
_BYTE_RESOURCES = ("memory", "ephemeral-storage")

Field = tuple[str, str]  # (section, resource name): ("limits", "memory")


@dataclass(frozen=True)
class Options:
    require: tuple[Field, ...] = ()
    maxima: Mapping[Field, tuple[Decimal, str]] = field(default_factory=dict)  # value, as written
    minima: Mapping[Field, tuple[Decimal, str]] = field(default_factory=dict)
    ratios: Mapping[str, Decimal] = field(default_factory=dict)


def validate(rule: Mapping[str, Any], path: list[Any]) -> Iterable[tuple[list[Any], str]]:
    return ()  # the schema says it all; options() checks the quantities


@dataclass(frozen=True)
class _Problem:
    path: str
    text: str
    fix: str
    defaulted: bool = False  # a LimitRange would fill the field in


def check(rule: RuleConfig, resources: Sequence[Resource], ctx: Context) -> Iterator[Finding]:
    options = options_of(rule)
    mode = str(ctx.settings.kubernetes.get("limitrange_defaults", "warn"))
    defaults_by_namespace = limit_range_defaults(ctx.all_resources)
    for resource in resources:
        if resource.kind != "kubernetes":
            continue
        defaults = defaults_by_namespace.get(resource.namespace, {})
        pod_level = _pod_level(resource.attrs)
        for list_name, container, path in containers(resource.attrs):
            finding = _check_container(rule, ctx, resource, options, defaults, mode,
                                       _label(list_name, container, path), container, path, pod_level)
            if finding is not None:
                yield finding


def _check_container(
    rule: RuleConfig,
    ctx: Context,
    resource: Resource,
    options: Options,
    defaults: Mapping[Field, LimitRangeDefault],
    mode: str,
    label: str,
    container: Mapping[str, Any],
    path: str,
    pod_level: frozenset[Field] = frozenset(),
) -> Finding | None:
    base = f"{path}.resources"
    declared = container.get("resources")
    if is_unknown(declared):
        return ctx.unknown(rule, resource, base, declared, f"the resources of {label}")
    raw: dict[Field, Any] = {}
    problems: list[_Problem] = []
    if declared is not None and not isinstance(declared, dict):
        # Kubernetes refuses such a pod; reading it as "no requests" would hide why.
        problems.append(_Problem(base, f"resources is {_kind(declared)}, not a mapping",
                                 "write resources as a mapping: requests: {cpu: 250m, memory: 256Mi}"))
    for section in SECTIONS:
        block = declared.get(section) if isinstance(declared, dict) else None
        if is_unknown(block):
            return ctx.unknown(rule, resource, f"{base}.{section}", block, f"{section} of {label}")
        if isinstance(block, dict):
            for name, value in block.items():
                raw[(section, str(name))] = value
        elif block is not None:
            problems.append(_Problem(f"{base}.{section}", f"resources.{section} is {_kind(block)}, not a mapping",
                                     f"write resources.{section} as a mapping of resource names to quantities, "
                                     f"e.g. {{cpu: {_example((section, 'cpu'))}, memory: {_example((section, 'memory'))}}}"))
    if problems:
        # What is missing cannot be told from a section we could not read.
        return _finding(rule, ctx, resource, label, problems)

    values: dict[Field, Decimal] = {}
    unknown: list[Field] = []
    for key, value in raw.items():
        if is_unknown(value):
            unknown.append(key)
        elif value is not None:
            problem = _parse(base, key, value, values)
            if problem:
                problems.append(problem)
    problems.extend(_missing(base, options, raw, values, defaults, pod_level))
    problems.extend(_above_limit(base, raw, values))
    problems.extend(_bounds(base, options, raw, values))
    problems.extend(_ratios(base, options, raw, values))

    if mode == "ignore":
        problems = [problem for problem in problems if not problem.defaulted]
    if not problems:
        if unknown:
            key = unknown[0]
            return ctx.unknown(rule, resource, _path(base, key), raw[key], f"{_name(key)} of {label}")
        return None
    return _finding(rule, ctx, resource, label, problems)


def _finding(rule: RuleConfig, ctx: Context, resource: Resource, label: str, problems: list[_Problem]) -> Finding:
    """One finding per container: the problems that need no LimitRange first, at the first one's line."""
    hard = [problem for problem in problems if not problem.defaulted]
    severity = rule.severity
    if not hard and _SEVERITY_RANK.get(severity, 2) > _SEVERITY_RANK["warn"]:
        severity = "warn"
    ordered = hard + [problem for problem in problems if problem.defaulted]
    fixes = dict.fromkeys(problem.fix for problem in ordered if problem.fix)
    return ctx.finding(
        rule,
        resource,
        ordered[0].path,
        f"{label}: " + "; ".join(problem.text for problem in ordered),
        fix="; ".join(fixes),
        severity=severity,
    )


def _parse(base: str, key: Field, value: Any, values: dict[Field, Decimal]) -> _Problem | None:
    """Record the quantity in `values`, or say why it is not one."""
    try:
        quantity = parse_quantity(value)
    except QuantityError as error:
        return _Problem(_path(base, key), f"{_name(key)}: {error}",
                        f"write resources.{_name(key)} as a quantity, e.g. {_example(key)}")
    if quantity < 0:
        return _Problem(_path(base, key), f"{_name(key)} {value} is negative",
                        f"set resources.{_name(key)} to a positive quantity, e.g. {_example(key)}")
    values[key] = quantity
    return None


def _missing(
    base: str,
    options: Options,
    raw: Mapping[Field, Any],
    values: Mapping[Field, Decimal],
    defaults: Mapping[Field, LimitRangeDefault],
    pod_level: frozenset[Field] = frozenset(),
) -> Iterator[_Problem]:
    """A problem for the required fields nothing fills in, another for those a LimitRange fills."""
    missing: list[Field] = []
    filled: list[Field] = []
    for key in options.require:
        if raw.get(key) is not None:
            continue  # set, even if invalid or unknown: that is reported on its own
        section, name = key
        if key in pod_level or (section == "requests" and ("limits", name) in pod_level):
            continue  # pod-level resources (Kubernetes 1.34) bound the pod as a whole
        if section == "requests" and raw.get(("limits", name)) is not None:
            continue  # Kubernetes makes a missing request equal to the limit
        (filled if key in defaults else missing).append(key)
    if missing:
        yield _Problem(_path(base, missing[0]), f"{_fields(missing)} not set",
                       _set_fix(missing, options, values))
    if filled:
        sources = {defaults[key].source for key in filled}
        if len(sources) == 1:
            values_text = _and([str(defaults[key].value) for key in filled])
            pronoun = "it" if len(filled) == 1 else "them"
            why = f"{sources.pop()} defaults {pronoun} to {values_text}"
        else:
            why = "; ".join(f"{defaults[key].source} defaults {_name(key)} to {defaults[key].value}"
                            for key in filled)
        yield _Problem(_path(base, filled[0]), f"{_fields(filled)} not set ({why})",
                       _set_fix(filled, options, values), defaulted=True)


def _fields(keys: list[Field]) -> str:
    return _and([_name(key) for key in keys]) + (" is" if len(keys) == 1 else " are")


def _set_fix(keys: list[Field], options: Options, values: Mapping[Field, Decimal]) -> str:
    """`set resources.limits.memory, e.g. 512Mi`, or the YAML of several fields."""
    if len(keys) == 1:
        return f"set resources.{_name(keys[0])}, e.g. {_suggest(keys[0], options, values)}"
    blocks = []
    for section in SECTIONS:
        pairs = [f"{name}: {_suggest((part, name), options, values)}"
                 for part, name in keys if part == section]
        if pairs:
            blocks.append(f"{section}: {{{', '.join(pairs)}}}")
    names = _and([f"resources.{_name(key)}" for key in keys])
    return f"set {names}, e.g. {', '.join(blocks)}"


def _above_limit(base: str, raw: Mapping[Field, Any], values: Mapping[Field, Decimal]) -> Iterator[_Problem]:
    for (section, name), request in values.items():
        if section != "requests":
            continue
        limit = values.get(("limits", name))
        if limit is not None and request > limit:
            key = (section, name)
            yield _Problem(
                _path(base, key),
                f"requests.{name} {raw[key]} is above limits.{name} {raw[('limits', name)]} "
                "(the API server rejects the pod)",
                f"lower resources.requests.{name} to at most {raw[('limits', name)]}, "
                f"or raise resources.limits.{name}",
            )


def _bounds(base: str, options: Options, raw: Mapping[Field, Any], values: Mapping[Field, Decimal]) -> Iterator[_Problem]:
    for key, value in values.items():
        if key in options.maxima:
            bound, written = options.maxima[key]
            if value > bound:
                yield _Problem(_path(base, key),
                               f"{_name(key)} {raw[key]} is above the maximum {written}",
                               f"lower resources.{_name(key)} to at most {written}")
        if key in options.minima:
            bound, written = options.minima[key]
            if value < bound:
                text = f"{_name(key)} {raw[key]} is below the minimum {written}"
                fix = f"raise resources.{_name(key)} to at least {written}"
                slip = _milli_slip(key, raw[key])
                if slip:
                    text += f" ({raw[key]} means {_plain(value)} bytes)"
                    fix = f"write {slip} if you meant mebibytes; `m` means milli"
                yield _Problem(_path(base, key), text, fix)


def _ratios(base: str, options: Options, raw: Mapping[Field, Any], values: Mapping[Field, Decimal]) -> Iterator[_Problem]:
    for name, most in options.ratios.items():
        request, limit = values.get(("requests", name)), values.get(("limits", name))
        if request is None or limit is None or limit <= 0 or request > limit:
            continue  # nothing to compare, or already reported as a request above its limit
        key = ("limits", name)
        allowed = f"{_plain(most)}x"
        if request == 0:
            yield _Problem(_path(base, key),
                           f"limits.{name} {raw[key]} over requests.{name} 0 is an unbounded ratio "
                           f"(at most {allowed} allowed)",
                           f"set resources.requests.{name} to at least {_rounded(limit / most, name, up=True)}")
            continue
        ratio = limit / request
        if ratio > most:
            yield _Problem(
                _path(base, key),
                f"limits.{name} {raw[key]} is {_plain(_quantize(ratio, Decimal('0.01')))}x "
                f"requests.{name} {raw[('requests', name)]}, above the allowed {allowed}",
                f"raise resources.requests.{name} to at least {_rounded(limit / most, name, up=True)} "
                f"or lower resources.limits.{name} to at most {_rounded(request * most, name, up=False)}",
            )


def options(rule: RuleConfig) -> Options:
    """The rule's options, checked; a bad one is a ValueError naming the rule and option."""
    options = rule.options

    def field_of(text: Any, option: str) -> Field:
        section, _, name = str(text).partition(".")
        if section not in SECTIONS or not name:
            raise ValueError(f"rule {rule.id}: {option}: {text!r} is not requests.<resource> "
                             "or limits.<resource>")
        return section, name

    def bounds(option: str) -> dict[Field, tuple[Decimal, str]]:
        result = {}
        for text, value in (options.get(option) or {}).items():
            try:
                result[field_of(text, option)] = (parse_quantity(value), str(value))
            except QuantityError as error:
                raise ValueError(f"rule {rule.id}: {option}.{text}: {error}") from None
        return result

    ratios = {}
    for name, value in (options.get("max_ratio") or {}).items():
        try:
            ratio = Decimal(str(value))
        except ArithmeticError:
            ratio = Decimal(0)
        if isinstance(value, bool) or not ratio.is_finite() or ratio <= 0:
            raise ValueError(f"rule {rule.id}: max_ratio.{name}: {value!r} is not a positive number")
        ratios[str(name)] = ratio
    return Options(
        require=tuple(field_of(text, "require") for text in options.get("require") or ()),
        maxima=bounds("max"),
        minima=bounds("min"),
        ratios=ratios,
    )


def _pod_level(obj: Mapping[str, Any]) -> frozenset[Field]:
    """The fields the pod-level `resources` of the pod spec set (Kubernetes 1.34)."""
    spec, _ = pod_spec(obj)
    settings = spec.get("resources") if isinstance(spec, Mapping) else None
    if not isinstance(settings, Mapping):
        return frozenset()
    return frozenset((section, str(name)) for section in SECTIONS if isinstance(settings.get(section), Mapping)
                     for name, value in settings[section].items() if value is not None)


def _label(list_name: str, container: Mapping[str, Any], path: str) -> str:
    name = path[path.rindex("[") + 1:-1]
    if list_name == "initContainers":
        kind = "sidecar container" if container.get("restartPolicy") == "Always" else "init container"
        return f"{kind} {name}"
    return f"container {name}"


def _suggest(key: Field, options: Options, values: Mapping[Field, Decimal]) -> str:
    """A value to write for a missing field: its counterpart's, else a common one, within bounds."""
    section, name = key
    other = values.get(("limits" if section == "requests" else "requests", name))
    suggestion = other if other is not None and other > 0 else None
    if suggestion is None:
        example = _EXAMPLES.get(key)
        if example is None:
            return "1"
        suggestion = parse_quantity(example)
    if key in options.maxima and suggestion > options.maxima[key][0]:
        suggestion = options.maxima[key][0]
    if key in options.minima and suggestion < options.minima[key][0]:
        suggestion = options.minima[key][0]
    return format_quantity(suggestion, name)


def _milli_slip(key: Field, value: Any) -> str:
    """`100Mi` for a memory value written `100m`, the classic slip from CPU units."""
    if key[1] in _BYTE_RESOURCES and isinstance(value, str) and value.endswith("m"):
        return value[:-1] + "Mi"
    return ""


def _rounded(value: Decimal, name: str, up: bool) -> str:
    """`value` rounded to what Kubernetes keeps (1m of CPU, 1 byte), toward the safe side."""
    step = Decimal("0.001") if name == "cpu" else Decimal(1)
    rounding = ROUND_CEILING if up else ROUND_FLOOR
    return format_quantity(_quantize(value, step, rounding), name)


def _quantize(value: Decimal, step: Decimal, rounding: str = ROUND_HALF_EVEN) -> Decimal:
    """`value` to the precision of `step`; one too large to hold that many digits stays as it is
    (a max_ratio of 1e-300 asks for a request of 1e300 cores, and quantize would raise)."""
    try:
        return value.quantize(step, rounding=rounding)
    except InvalidOperation:
        return value


def _example(key: Field) -> str:
    return _EXAMPLES.get(key, "1")


def _path(base: str, key: Field) -> str:
    return join_path(f"{base}.{key[0]}", key[1])


def _name(key: Field) -> str:
    return f"{key[0]}.{key[1]}"


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    return "a number" if isinstance(value, (int, float)) else "not a mapping"


def _map(value: Any) -> Mapping[Any, Any]:
    return value if isinstance(value, dict) else {}


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _plain(number: Decimal) -> str:
    return f"{number.normalize():f}"
