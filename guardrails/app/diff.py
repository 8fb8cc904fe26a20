"""The diff use case: the findings a change adds, and what it does to the monthly cost."""
from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any, Sequence

from guardrails.app import changes
from guardrails.app.options import DiffOptions, RunOptions, group_tag, parse_variables
from guardrails.app.reporting import (
    budget_notes, check_rules, finops_blocks, pricing, rules_info, sorted_errors, sorted_notes, tags_by_address,
)
from guardrails.app.scan import relative_paths
from guardrails.app.workspace import load_policy, note_cache_refusal, use_workload_kinds
from guardrails.core.costdiff import CostDiff
from guardrails.core.errors import UsageError
from guardrails.core.model import Note, Report
from guardrails.core.policy import Policy
from guardrails.files.installed import installed_modules
from guardrails.engine import run as engine, suppress
from guardrails.engine.untagged import untagged
from guardrails.git import revisions as gitrev


def diff(options: RunOptions, change: DiffOptions) -> Report:
    """The report of `guardrails diff` in the repository of the working directory.

    Raises PolicyError, UsageFileError and UsageError (a revision that does not resolve is one).
    """
    repo = gitrev.open_repo(Path.cwd())
    try:
        return _diff(repo, options, change)
    finally:
        repo.close()  # GitPython keeps `git cat-file` processes for reading blobs


def _diff(repo: Any, options: RunOptions, change: DiffOptions) -> Report:
    from guardrails.pricing.estimate import estimate
    from guardrails.rules.base import Context
    from guardrails.rules.cost import check_cost
    from guardrails.rules.registry import cost_rules

    tag = group_tag(options.group_by)
    base_side, head_side = gitrev.resolve_sides(repo, change.base, change.head, change.staged)
    root = Path(repo.working_tree_dir)
    base_tree, head_tree = gitrev.tree_of(repo, base_side), gitrev.tree_of(repo, head_side)
    changed = gitrev.changed_files(repo, base_side, head_side)
    inside, outside = relative_paths(root, options.paths)
    if outside:
        raise UsageError(f"{outside[0]} is outside the repository {root}")
    rel_var_files, outside_vars = relative_paths(root, options.var_files)
    if outside_vars:
        raise UsageError(f"--var-file {outside_vars[0]} is outside the repository {root}")
    head_policy_tree = None if head_side.kind == "worktree" else head_tree
    if change.policy_from == "base":
        # The base revision's policy files (and what they extend) judge the change: a pull request
        # that lowers a severity or exempts everything is judged by the rules it wants to change.
        policy = load_policy(options.policies, root, base_tree)
    else:
        policy = load_policy(options.policies, root, head_policy_tree)
    use_workload_kinds(policy)
    policy_note = _policy_change(changed, policy, change.policy_from)
    # The other side's exemptions, to list those the change adds: only read when it edits a policy file.
    other_tree = head_policy_tree if change.policy_from == "base" else base_tree
    other = _exemptions_of(options.policies, root, other_tree) if policy_note else policy.exemptions
    base_exemptions, head_exemptions = ((policy.exemptions, other) if change.policy_from == "base"
                                        else (other, policy.exemptions))
    scope = changes.affected(changed, [head_tree, base_tree], inside)
    var_map = parse_variables(options.variables)
    # git never holds what `terraform init` installed: both sides read it from the working directory,
    # and a side whose module block asks for another source or version says so (not inspected).
    installed = installed_modules(root)
    head_loaded = changes.load_side(head_tree, scope, rel_var_files, var_map, policy.settings.limits, installed)
    base_loaded = changes.load_side(base_tree, scope, rel_var_files, var_map, policy.settings.limits, installed)
    catalog, usage = pricing(policy.settings, options.usage_file)
    regions = dict(options.environment_regions)
    head_cost = estimate(head_loaded.resources, catalog, policy.settings, usage, regions)
    base_cost = estimate(base_loaded.resources, catalog, policy.settings, usage, regions)
    deltas = changes.pair(base_loaded.resources, head_loaded.resources, base_cost.lines, head_cost.lines, head_loaded.moved)
    sources = catalog.sources_used(head_cost.used | base_cost.used)
    cost_diff = CostDiff(tuple(deltas), catalog=tuple(sources),
                         untagged_before=untagged(policy, base_loaded.resources),
                         untagged_after=untagged(policy, head_loaded.resources),
                         tags_before=tags_by_address(base_loaded.resources),
                         tags_after=tags_by_address(head_loaded.resources))
    today = _dt.date.today()
    ctx = Context(settings=policy.settings, today=today, all_resources=head_loaded.resources)
    cost_findings = [f for rule in cost_rules(policy.rules) for f in check_cost(rule, cost_diff, ctx, is_diff=True)]
    head_findings = check_rules(policy, head_loaded.resources, today, extra=cost_findings)
    base_findings = check_rules(policy, base_loaded.resources, today)
    findings = changes.existing_findings(head_findings, base_findings)
    notes = list(head_loaded.notes)
    notes.extend(policy_note)
    notes.extend(budget_notes(policy, cost_diff))
    notes.extend(suppress.denied_notes(head_loaded.resources, policy.settings))
    notes.extend(_modules_only_read_at_head(base_loaded.resources, head_loaded.resources, base_side.label))
    note_cache_refusal(notes)
    notes.extend(Note(e.file, f"in {base_side.label}: {'line ' + str(e.line) + ': ' if e.line else ''}{e.message}")
                 for e in base_loaded.errors)
    for submodule in head_tree.submodules():
        if any(c.path == submodule or c.path.startswith(submodule + "/") for c in changed):
            notes.append(Note(submodule, "a submodule: not inspected"))
    if usage is not None:
        from guardrails.policy.usage import unused_entries

        notes.extend(unused_entries(usage, [*head_loaded.resources, *base_loaded.resources], usage.read))
    if not scope.terraform_dirs and not scope.manifests:
        notes.append(Note(".", f"the change touches no Terraform or Kubernetes file ({scope.changed} changed "
                               f"file{'s' if scope.changed != 1 else ''})"))
    stale = {s.id for s in catalog.stale_sources(today, [s.id for s in sources])}
    return Report(
        verdict=engine.verdict(findings, options.fail_on, head_loaded.errors),
        findings=tuple(findings),
        errors=sorted_errors(head_loaded.errors),
        notes=sorted_notes(notes),
        cost={**changes.cost_block(cost_diff, today, stale), **finops_blocks(cost_diff, tag, is_diff=True)},
        policy_sources=policy.sources,
        resources_checked=sum(1 for r in head_loaded.resources if r.mode == "managed"),
        fail_on=options.fail_on,
        change={"base": base_side.label, "head": head_side.label},
        rules=rules_info(policy, options.with_rule_docs),
        suppressions_added=suppress.added(base_loaded.resources, head_loaded.resources, base_exemptions,
                                          head_exemptions, policy),
    )


def _policy_change(changed: Sequence[Any], policy: Policy, policy_from: str) -> list[Note]:
    """A note for every report when the change edits a policy file (the one in force, what it
    extends, or .guardrails.yaml): the reviewer must see that the rules themselves moved."""
    from guardrails.policy.load import DEFAULT_FILE

    watched = {DEFAULT_FILE, *(s for s in policy.sources if not s.startswith("builtin:"))}
    touched = sorted({c.path for c in changed if c.path in watched or c.path.endswith("/" + DEFAULT_FILE)})
    judged = ("the base revision's policy judges it (--policy-from base)" if policy_from == "base"
              else "the changed policy judges it (--policy-from head; use --policy-from base on pull requests)")
    return [Note(path, f"the change modifies this policy file: {judged}") for path in touched]


def _exemptions_of(policies: Sequence[str], root: Path, tree: Any) -> tuple:
    """The exemptions of the policy on the other side of a change; none when it does not load."""
    from guardrails.policy.load import PolicyError

    try:
        return load_policy(policies, root, tree).exemptions
    except PolicyError:
        return ()


def _modules_only_read_at_head(base: Sequence[Any], head: Sequence[Any], label: str) -> list[Note]:
    """A call inspected at the head but not at the base (the base asks for a module version other
    than the one installed): what the module holds at the head counts as added, and we say so."""
    inside = set()
    for resource in head:
        steps = resource.module.split(".module.") if resource.module else []
        inside.update(".module.".join(steps[:n]) for n in range(1, len(steps) + 1))
    return [Note(r.location.file, f"{r.address} in {label}: {r.unknown}; what it holds at the head is counted as added")
            for r in base if r.type == "module" and r.unknown and r.address in inside]
