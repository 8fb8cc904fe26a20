"""`guardrails diff`: judge a change, not a repository.

Both sides of the change (the merge base of `--base` and the head) are read straight from git
and loaded the same way, but only where the change can matter: the Terraform directories with a
changed `.tf`, `.tf.json` or `.tfvars` file, the directories whose modules call them (callers
are found from `source = "./..."` lines, without parsing every file), and the changed manifests
with the LimitRanges of the repository. Findings are evaluated on the head with the head's
policy; one the base already had (same rule, resource and path) is `existing` and never blocks.
Resources are paired by address, `moved` blocks honoured, and priced on both sides.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping, Sequence

from guardrails.core.costdiff import CostDiff, ResourceDelta
from guardrails.core.limits import DEFAULT_LIMITS, Limits
from guardrails.core.model import CostLine, Finding, Resource
from guardrails.app.scan import Loaded, load_selection
from guardrails.files.trees import (
    KUSTOMIZATION_NAMES, MANIFEST_SUFFIXES, SKIP_DIRS, TERRAFORM_SUFFIXES, TFVARS_SUFFIXES, OutsideRoot, Selection, Tree, is_manifest,
    join, parent, select,
)

_LOCAL_SOURCE = re.compile(r'^\s*"?source"?\s*[=:]\s*"(\.{1,2}/[^"]*|\.{1,2})"', re.MULTILINE)
# Attributes whose change explains a change in cost, in the order a reviewer reads them.
COST_ATTRIBUTES = (
    "instance_type", "instance_class", "node_type", "machine_type", "size", "vm_size", "type",
    "volume_type", "storage_type", "allocated_storage", "iops", "throughput", "multi_az",
    "desired_capacity", "min_size", "max_size", "num_cache_nodes", "num_cache_clusters", "node_count",
    "initial_node_count", "disk_size_gb", "storage_account_type", "memory_size",
)


@dataclass
class DiffScope:
    terraform_dirs: set[str] = field(default_factory=set)
    manifests: set[str] = field(default_factory=set)
    changed: int = 0


def affected(changes: Iterable[Any], trees: Sequence[Tree], paths: Sequence[str] = ()) -> DiffScope:
    """What the change can affect, on either side: Terraform directories and manifest files."""
    scope = DiffScope()
    changed_dirs: set[str] = set()
    for change in changes:
        for path in {change.path, change.old_path} - {None}:
            if paths and not _under(path, paths):
                continue
            scope.changed += 1
            name = path.rsplit("/", 1)[-1]
            if name.endswith(TERRAFORM_SUFFIXES + TFVARS_SUFFIXES):
                changed_dirs.add(parent(path))
            elif is_manifest(name) and not name.startswith("."):
                scope.manifests.add(path)
    if scope.manifests:
        # A patch or base that changed is judged where it is used: through the overlays rendering it.
        scope.manifests |= _kustomizations_using(trees, scope.manifests)
    callers: dict[str, set[str]] = {}
    for tree in trees:
        for directory, target in _module_calls(tree):
            callers.setdefault(target, set()).add(directory)
    pending = list(changed_dirs)
    while pending:
        directory = pending.pop()
        if directory in scope.terraform_dirs:
            continue
        scope.terraform_dirs.add(directory)
        pending.extend(callers.get(directory, ()))
    return scope


KUSTOMIZATION_GLOBS = tuple(f"*{name}" for name in KUSTOMIZATION_NAMES)


def _kustomizations_using(trees: Sequence[Tree], changed: set[str]) -> set[str]:
    """The kustomization files, on either side, whose rendering reads one of the `changed` files."""
    from guardrails.kubernetes.kustomize import Renderer, is_kustomization

    found: set[str] = set()
    for tree in trees:
        for path in _candidates(tree, ":", KUSTOMIZATION_GLOBS, KUSTOMIZATION_NAMES):
            if is_kustomization(path) and Renderer(tree).inputs(parent(path)) & changed:
                found.add(path)
    return found


def _under(path: str, prefixes: Sequence[str]) -> bool:
    return any(not p or path == p or path.startswith(p.rstrip("/") + "/") for p in prefixes)


TERRAFORM_GLOBS = ("*.tf", "*.tf.json", "*.tofu", "*.tofu.json")
MANIFEST_GLOBS = ("*.yaml", "*.yml", "*.json")


def _module_calls(tree: Tree) -> Iterable[tuple[str, str]]:
    """(calling directory, called directory) for every local module source in the tree."""
    found = tree.lines_matching(r'"?source"?[[:space:]]*[=:][[:space:]]*"\.', TERRAFORM_GLOBS)
    if found is not None:
        # git finds the lines in C; only they are read.
        lines = [(p, line) for p, line in found if p.endswith(TERRAFORM_SUFFIXES) and not _hidden(p)]
    else:
        lines = []
        for path in _candidates(tree, "source", TERRAFORM_GLOBS, TERRAFORM_SUFFIXES):
            try:
                text = tree.read(path).decode("utf-8", errors="replace")
            except (OSError, OutsideRoot):
                continue
            lines.extend((path, line) for line in text.splitlines())
    for path, line in lines:
        match = _LOCAL_SOURCE.match(line)
        if match:
            directory = parent(path)
            try:
                yield directory, join(directory, match.group(1))
            except OutsideRoot:
                continue


def _candidates(tree: Tree, needle: str, globs: tuple[str, ...], suffixes: tuple[str, ...]) -> list[str]:
    """Files that may contain `needle`: asked of git where the tree is git's (fast, in C), else walked."""
    listed = tree.files_containing(needle, globs)
    if listed is not None:
        return [p for p in listed if p.endswith(suffixes) and not _hidden(p)]
    selection = select(tree, [""])
    if suffixes == TERRAFORM_SUFFIXES:
        paths = [f for files in selection.terraform_dirs.values() for f in files]
    else:
        paths = list(selection.manifests)
    found = []
    for path in paths:
        try:
            if needle.encode() in tree.read(path):
                found.append(path)
        except (OSError, OutsideRoot):
            continue
    return found


def _hidden(path: str) -> bool:
    # The walk in workspace.select skips hidden and tool directories; git's search must agree.
    parts = path.split("/")
    return any(part.startswith(".") or part in SKIP_DIRS for part in parts[:-1]) or parts[-1].startswith(".")


def limit_range_files(tree: Tree) -> list[str]:
    """Manifests holding a LimitRange: their defaults change what k8s-resources reports."""
    return [p for p in _candidates(tree, "LimitRange", MANIFEST_GLOBS, MANIFEST_SUFFIXES) if is_manifest(p.rsplit("/", 1)[-1])]


def load_side(tree: Tree, scope: DiffScope, var_files: Sequence[str], variables: Mapping[str, str],
              limits: Limits = DEFAULT_LIMITS, installed: Tree | None = None) -> Loaded:
    """One side of the change, loaded like `guardrails check` would load those files; modules
    installed by `terraform init` are read from `installed` (the working directory)."""
    selection = Selection()
    for directory in sorted(scope.terraform_dirs):
        if tree.is_dir(directory):
            selection.terraform_dirs[directory] = sorted(
                join(directory, n) for n in tree.listdir(directory) if n.endswith(TERRAFORM_SUFFIXES)
            )
    manifests = {m for m in scope.manifests if tree.is_file(m)}
    limit_ranges = set(limit_range_files(tree)) - manifests if manifests else set()
    selection.manifests = sorted(manifests | limit_ranges)
    loaded = load_selection(tree, selection, var_files, dict(variables), limits, installed)
    if limit_ranges:
        # Other files are read only for their LimitRanges, never judged or priced.
        keep = {r.address for r in loaded.resources if r.location.file not in limit_ranges or r.type == "LimitRange"}
        loaded.resources = [r for r in loaded.resources if r.address in keep]
    return loaded


def existing_findings(head: Sequence[Finding], base: Sequence[Finding]) -> list[Finding]:
    """Head findings the base already had (same rule, resource, path) become `existing`."""
    seen = {(f.rule, f.resource, f.path) for f in base if f.status != "suppressed"}
    out = []
    for finding in head:
        if finding.status == "new" and (finding.rule, finding.resource, finding.path) in seen:
            finding = replace(finding, status="existing")
        out.append(finding)
    return out


def pair(base: Sequence[Resource], head: Sequence[Resource], base_cost: Sequence[CostLine],
         head_cost: Sequence[CostLine], moved: Sequence[tuple[str, str]]) -> list[ResourceDelta]:
    """Every priced resource of either side, paired by address (after `moved`)."""
    renames = dict(moved)
    before_resources = {renames.get(r.address, r.address): r for r in base if r.mode == "managed"}
    after_resources = {r.address: r for r in head if r.mode == "managed"}
    before_lines = {renames.get(line.address, line.address): line for line in base_cost}
    after_lines = {line.address: line for line in head_cost}
    deltas = []
    for address in sorted(set(before_lines) | set(after_lines)):
        before, after = before_lines.get(address), after_lines.get(address)
        old, new = before_resources.get(address), after_resources.get(address)
        if old is None and new is None:
            continue
        if old is None:
            change = "added"
        elif new is None:
            change = "removed"
        else:
            change = "changed" if _attrs_key(old) != _attrs_key(new) or _cost_key(before) != _cost_key(after) else "unchanged"
        where = new or old
        deltas.append(ResourceDelta(
            address=address, type=where.type, change=change, file=where.location.file, line=where.location.line,
            before=before, after=after, summary=summarize(old, new),
        ))
    return deltas


def _attrs_key(resource: Resource) -> str:
    return repr(resource.attrs)


def _cost_key(line: CostLine | None) -> Any:
    return None if line is None else (line.monthly, line.unpriced, line.missing)


def summarize(old: Resource | None, new: Resource | None) -> str:
    """What changed that explains the cost: `m5.large -> m5.4xlarge`, `replicas 2 -> 10`."""
    if old is None:
        value = _first_cost_attribute(new)
        return f"new{f' {value}' if value else ''}"
    if new is None:
        return "removed"
    parts = []
    for name in COST_ATTRIBUTES:
        before, after = old.attrs.get(name), new.attrs.get(name)
        if before != after and isinstance(before, (str, int, float)) and isinstance(after, (str, int, float)):
            parts.append(f"{before} -> {after}" if name in ("instance_type", "instance_class", "node_type", "machine_type", "vm_size")
                         else f"{name} {before} -> {after}")
    replicas = (_spec(old).get("replicas"), _spec(new).get("replicas"))
    if replicas[0] != replicas[1]:
        parts.append(f"replicas {replicas[0] or 1} -> {replicas[1] or 1}")
    for block, key in (("scaling_config", "desired_size"), ("scaling_config", "max_size"),
                       ("root_block_device", "volume_size"), ("root_block_device", "volume_type")):
        before, after = _block_value(old, block, key), _block_value(new, block, key)
        if before != after and (before is not None or after is not None):
            parts.append(f"{block}.{key} {before} -> {after}")
    return ", ".join(parts[:3])


def _first_cost_attribute(resource: Resource | None) -> str:
    if resource is None:
        return ""
    for name in ("instance_type", "instance_class", "node_type", "machine_type", "size", "vm_size"):
        value = resource.attrs.get(name)
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return str(value)
    return ""


def _spec(resource: Resource) -> Mapping[str, Any]:
    spec = resource.attrs.get("spec") if resource.kind == "kubernetes" else None
    return spec if isinstance(spec, dict) else {}


def _block_value(resource: Resource, block: str, key: str) -> Any:
    items = resource.attrs.get(block)
    if isinstance(items, list) and items and isinstance(items[0], dict):
        value = items[0].get(key)
        return value if isinstance(value, (str, int, float)) else None
    return None


def cost_block(diff: CostDiff, today: _dt.date, stale_ids: set[str]) -> dict[str, Any]:
    """The JSON report's cost block for a change: before, after and delta everywhere."""
    before, after = diff.before, diff.after
    resources = []
    for item in diff.resources:
        shown = item.after or item.before
        resources.append({
            "address": item.address, "type": item.type, "file": item.file, "line": item.line,
            "change": item.change, "summary": item.summary,
            "monthly": {"before": item.monthly_before, "after": item.monthly_after,
                        "delta": None if item.delta is None else round(item.delta, 2)},
            "components": [
                {"name": c.name, "unit": c.unit, "quantity": c.quantity, "unit_price": c.unit_price,
                 "monthly": round(c.monthly, 2), "usage_based": c.usage_based}
                for c in (shown.components if shown else ())
            ],
            "unpriced": item.unpriced,
            "incomplete": item.incomplete,
            "lower_bound": {"before": bool(item.before and item.before.incomplete),
                            "after": bool(item.after and item.after.incomplete), "delta": item.incomplete},
            "missing": [{"name": part.name, "reason": part.reason} for part in (shown.missing if shown else ())],
            "usage_keys": list(shown.usage_keys) if shown else [],
            "worst_case": {"before": item.worst("before"), "after": item.worst("after"),
                           "delta": None if item.worst_delta is None else round(item.worst_delta, 2)},
            "worst_case_unknown": shown.worst_case_unknown if shown else None,
            "notes": list(shown.notes) if shown else [],
        })
    return {
        "currency": "USD",
        "monthly": {"before": before, "after": after, "delta": diff.delta},
        "resources": resources,
        "unpriced": sum(1 for r in diff.resources if r.unpriced),
        "incomplete": sum(1 for r in diff.resources if r.incomplete),
        "lower_bound": _lower_bound(diff),
        "catalog": [{"id": s.id, "name": s.name, "published": s.published, "stale": s.id in stale_ids} for s in diff.catalog],
    }



def _lower_bound(diff: CostDiff) -> dict[str, bool]:
    """Which totals leave out a part without a price: each side's, and so the delta's."""
    before = any(item.before is not None and item.before.incomplete for item in diff.resources)
    after = any(item.after is not None and item.after.incomplete for item in diff.resources)
    return {"before": before, "after": after, "delta": before or after}
