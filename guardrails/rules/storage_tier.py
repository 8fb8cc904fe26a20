"""Disk and volume types limited to the tiers the policy allows, and disk sizes to a ceiling.

## What it does
Reads the storage type of every disk a change creates and compares it, exactly as the provider
API spells it (`gp2`, `pd-ssd`, `Premium_LRS`; `GP2` is not `gp2`), with `allow` and `deny`
(globs are fine). `suggest` maps an old type to its replacement for the fix text, and
`max_size_gb` caps disk sizes.

Where a type is not written (an empty string counts as not written), the provider's default is
what gets created, and is judged, as it is priced:
- `aws_ebs_volume` without `type`, and an `ebs_block_device` without `volume_type`, are gp2;
  `aws_db_instance` without `storage_type` is io1 when `iops` is set, else gp2 (`iops = 0` is
  not set: the provider does not send it). An `aws_rds_cluster` is judged by the `storage_type`
  it names (a Multi-AZ DB cluster's io1, io2 or gp3, Aurora's aurora-iopt1); without one it gets
  Aurora standard storage, and no finding.
- `google_compute_disk` and a `google_compute_instance` boot disk default to pd-standard,
  `google_container_node_pool` disks to pd-balanced.
- An `aws_instance` or `aws_launch_configuration` root volume, or an `aws_launch_template`
  mapping, without `volume_type` (or an instance without `root_block_device`) gets the AMI's
  type, which the configuration cannot show. It is priced as the provider's default with a note,
  and judged only with `explicit_root_volumes: true`, which makes each such volume a finding:
  name the type so that the policy can judge it.
- A Kubernetes PersistentVolumeClaim (or StatefulSet `volumeClaimTemplates`) without
  `storageClassName` gets the cluster's default StorageClass: unknown too.

Sizes read: `aws_ebs_volume.size`, block devices' `volume_size`, `allocated_storage` of a DB instance or cluster,
`google_compute_disk.size`, `initialize_params.size`, `disk_size_gb`, and a claim's
`resources.requests.storage` (converted to GiB, the unit the providers' "GB" sizes mean).
A negative or non-numeric size is a finding. Sizes are only read when `max_size_gb` is set.
Attached GCE disks are `google_compute_disk` resources and are judged there.

## Why is this bad?
Older tiers cost more for less: gp3 is about 20% cheaper than gp2 with a higher baseline, io2
is more durable than io1 at the same price, pd-standard is slow enough to surprise a database.
And a 16 TB volume asked for by a typo is billed from the first hour.

## Example
```yaml
- id: storage
  type: storage-tier
  deny: [gp2, io1, standard, pd-standard]
  suggest: {gp2: gp3, io1: io2}
  max_size_gb: 2000
```
```hcl
resource "aws_ebs_volume" "data" {
  availability_zone = "us-east-1a"
  size              = 500         # no type: AWS creates gp2
}
```

## Use instead
```hcl
resource "aws_ebs_volume" "data" {
  availability_zone = "us-east-1a"
  size              = 500
  type              = "gp3"
}
```
"""
from __future__ import annotations

import fnmatch
import math
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Mapping

from guardrails.core.model import Finding, Resource, Unknown, is_unknown
from guardrails.core.policy import RuleConfig
from guardrails.providers import disks
from guardrails.providers.quantity import QuantityError, memory_bytes
from guardrails.rules.base import Context, string_list
from guardrails.rules.registry import options_of

TYPE = "storage-tier"
TARGETS = ("terraform", "kubernetes")
NEEDS_COST = False

_GIB = 1024**3


@dataclass(frozen=True)
class _Disk:
    """One disk of a resource: its storage type and size, where they are, and how they were found."""

    type_path: str
    tier: Any  # the storage type, an Unknown, or whatever bad value the configuration holds
    note: str = ""  # set when the tier is a provider default: why
    size_path: str = ""
    size: Any = None  # None: not set, so not checked
    kubernetes: bool = False  # sizes are quantities, fixes are YAML
    # The AMI decides the type (EC2 root volumes, block devices without volume_type): priced as the
    # provider's default with a note, judged only where the policy asks for explicit root volumes.
    from_ami: bool = False
    shown: str = ""  # how messages name the type attribute, when not the last step of type_path

    @property
    def shown_name(self) -> str:
        return self.shown or self.type_path.rsplit(".", 1)[-1]


def check(rule: RuleConfig, resources: Iterable[Resource], ctx: Context) -> Iterator[Finding]:
    limits: Options = options_of(rule)
    for resource in resources:
        for disk in _disks(resource):
            yield from _judge_tier(rule, resource, ctx, limits, disk)
            if limits.max_size_gb is not None and disk.size_path:
                yield from _judge_size(rule, resource, ctx, limits.max_size_gb, disk)


@dataclass(frozen=True)
class Options:
    allow: tuple[str, ...] | None = None
    deny: tuple[str, ...] = ()
    suggest: Mapping[str, str] = field(default_factory=dict)  # storage type -> the one to use instead
    max_size_gb: float | None = None
    explicit_root_volumes: bool = False  # judge root volumes left to the AMI's default too


def options(rule: RuleConfig) -> Options:
    suggest = rule.options.get("suggest") or {}
    if not isinstance(suggest, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in suggest.items()
    ):
        raise ValueError(f"rule {rule.id}: suggest must map storage types to storage types")
    max_size = rule.options.get("max_size_gb")
    if max_size is not None and (
        isinstance(max_size, bool) or not isinstance(max_size, (int, float)) or max_size <= 0
    ):
        raise ValueError(f"rule {rule.id}: max_size_gb must be a positive number, not {max_size!r}")
    return Options(
        allow=string_list(rule, "allow", "storage types"),
        deny=string_list(rule, "deny", "storage types") or (),
        suggest=suggest,
        max_size_gb=max_size,
        explicit_root_volumes=rule.options.get("explicit_root_volumes") is True,
    )


def validate(rule: Mapping[str, Any], path: list[Any]) -> Iterable[tuple[list[Any], str]]:
    return ()  # the schema says it all; options() checks the suggestions and the size


# --- judging ------------------------------------------------------------------------------------


def _judge_tier(
    rule: RuleConfig, resource: Resource, ctx: Context, limits: Options, disk: _Disk
) -> Iterator[Finding]:
    tier, attr = disk.tier, disk.shown_name
    if tier is None:
        return
    if disk.from_ami:
        if limits.explicit_root_volumes:
            yield ctx.finding(
                rule, resource, disk.type_path,
                f"{tier.reason}; the policy asks for explicit volume types",
                fix=_AMI_FIX.get(resource.type, 'set volume_type = "gp3" (or another allowed type)'),
            )
        return
    if is_unknown(tier):
        finding = ctx.unknown(rule, resource, disk.type_path, tier, "storage type")
        if finding is not None:
            yield finding
        return
    if not isinstance(tier, str) or not tier:
        yield ctx.finding(
            rule, resource, disk.type_path,
            f"{attr} is {tier!r}, not a storage type",
            fix=f"set {attr} to a storage type name",
        )
        return
    denied = next((glob for glob in limits.deny if fnmatch.fnmatchcase(tier, glob)), None)
    if denied is not None:
        problem = "is a denied storage type" if denied == tier else f"is matched by the denied pattern {denied}"
    elif limits.allow is not None and not any(fnmatch.fnmatchcase(tier, glob) for glob in limits.allow):
        problem = f"is not an allowed storage type (allowed: {', '.join(limits.allow)})"
    else:
        return
    message = f"{disk.note}, which {problem}" if disk.note else f"{attr} {tier} {problem}"
    yield ctx.finding(rule, resource, disk.type_path, message, fix=_tier_fix(limits, disk, tier))


_AMI_FIX = {
    "aws_instance": 'add root_block_device { volume_type = "gp3" } (or another allowed type)',
    "aws_launch_configuration": 'add root_block_device { volume_type = "gp3" } (or another allowed type)',
}


def _tier_fix(limits: Options, disk: _Disk, tier: str) -> str:
    replacement = limits.suggest.get(tier)
    if replacement is not None and disk.kubernetes:
        action = f"set storageClassName: {replacement}"
    elif replacement is not None:
        action = f'set {disk.type_path.rsplit(".", 1)[-1]} = "{replacement}"'
    elif limits.allow:
        action = f"use an allowed storage type ({', '.join(limits.allow)})"
    else:
        action = "use a storage type the policy does not deny"
    return action + ", or exempt it in the policy"


def _judge_size(
    rule: RuleConfig, resource: Resource, ctx: Context, max_size_gb: float, disk: _Disk
) -> Iterator[Finding]:
    size, path = disk.size, disk.size_path
    attr = path.rsplit(".", 1)[-1] if not disk.kubernetes else "requests.storage"
    if size is None:
        return
    if is_unknown(size):
        finding = ctx.unknown(rule, resource, path, size, "disk size")
        if finding is not None:
            yield finding
        return
    gib, problem = (_quantity_gib if disk.kubernetes else _number_gb)(size)
    if problem:
        yield ctx.finding(rule, resource, path, f"{attr} {problem}", fix=f"set {attr} to a positive size")
        return
    if gib > max_size_gb:
        shown = f"{size} ({_show(gib)} GB)" if disk.kubernetes else f"{_show(gib)} GB"
        yield ctx.finding(
            rule, resource, path,
            f"{attr} {shown} is larger than max_size_gb {_show(max_size_gb)}",
            fix=f"use at most {_show(max_size_gb)} GB, or exempt it in the policy",
        )


def _number_gb(value: Any) -> tuple[float, str]:
    """A Terraform size in GB (providers mean GiB), or what is wrong with it."""
    number = value
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            pass
    if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number):
        return 0.0, f"{value!r} is not a number"
    if number < 0:
        return 0.0, f"{value!r} is negative"
    return float(number), ""


def _quantity_gib(value: Any) -> tuple[float, str]:
    """A Kubernetes storage quantity in GiB, or what is wrong with it."""
    try:
        size = memory_bytes(value)
    except QuantityError as error:
        return 0.0, str(error)
    if size < 0:
        return 0.0, f"{value} is negative"
    return float(size / _GIB), ""


def _show(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:.2f}".rstrip("0").rstrip(".")


# --- where the disks are ------------------------------------------------------------------------


def _disks(resource: Resource) -> Iterator[_Disk]:
    if resource.kind == "kubernetes":
        yield from _kubernetes_claims(resource.attrs)
        return
    # The disks, their types and the provider defaults are the ones pricing sees (providers/disks.py).
    for disk in disks.disks(resource.type, resource.attrs):
        if disk.existing is not None:
            continue  # an existing disk attached as the boot disk: judged as its own resource
        if disk.unreadable:
            yield _Disk(disk.path, disk.type)
        else:
            yield _Disk(disk.type_path, disk.type, disk.default, disk.size_path, disk.size, from_ami=disk.from_ami)


# Before storageClassName existed, claims named their class in this annotation; it still works.
_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class"


def _kubernetes_claims(obj: Mapping[str, Any]) -> Iterator[_Disk]:
    kind = obj.get("kind")
    if kind == "PersistentVolumeClaim":
        yield _claim(obj, "")
    elif kind == "StatefulSet":
        spec = obj.get("spec")
        templates = spec.get("volumeClaimTemplates") if isinstance(spec, dict) else None
        if isinstance(templates, list):
            for index, template in enumerate(templates):
                if isinstance(template, dict):
                    yield _claim(template, f"spec.volumeClaimTemplates[{index}].")


def _claim(claim: Mapping[str, Any], base: str) -> _Disk:
    spec = claim.get("spec") if isinstance(claim.get("spec"), dict) else {}
    metadata = claim.get("metadata") if isinstance(claim.get("metadata"), dict) else {}
    annotations = metadata.get("annotations") if isinstance(metadata.get("annotations"), dict) else {}
    type_path, shown = f"{base}spec.storageClassName", ""
    tier = spec.get("storageClassName")
    if tier is None and _CLASS_ANNOTATION in annotations:
        # Keys holding dots are bracketed in paths, as the YAML loader records their lines.
        type_path = f'{base}metadata.annotations["{_CLASS_ANNOTATION}"]'
        tier = annotations[_CLASS_ANNOTATION]
        shown = _CLASS_ANNOTATION
    if tier is None:
        tier = Unknown("storageClassName is not set, so the cluster's default StorageClass decides")
    elif tier == "":
        tier = Unknown("storageClassName is empty, so the claim binds to a pre-provisioned volume")
    resources = spec.get("resources") if isinstance(spec.get("resources"), dict) else {}
    requests = resources.get("requests") if isinstance(resources.get("requests"), dict) else {}
    return _Disk(type_path, tier, "", f"{base}spec.resources.requests.storage", requests.get("storage"),
                 kubernetes=True, shown=shown)
