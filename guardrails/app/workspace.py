"""What every use case starts from: the repository root, its tree, the policy, the loaded files."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from guardrails.app.options import RunOptions, parse_variables
from guardrails.app.scan import Loaded, find_root, load_paths, load_text, relative_paths
from guardrails.core.errors import UsageError
from guardrails.core.model import InputError, Note
from guardrails.core.policy import Policy
from guardrails.files.installed import installed_modules
from guardrails.files.trees import DiskTree


@dataclass
class Workspace:
    """A scanned repository: where it is, how it is read, the policy in force, what was loaded."""

    root: Path
    tree: Any
    policy: Policy
    loaded: Any
    stdin_text: str | None


def open_workspace(options: RunOptions) -> Workspace:
    """Find the repository of the paths, load its policy and every file the paths name.

    Raises PolicyError (the policy cannot be used) and UsageError (an argument is wrong).
    """
    paths = list(options.paths) or ["."]
    root = find_root(Path.cwd())
    stdin_text = None
    if "-" in paths:
        paths.remove("-")
        stdin_text = options.stdin_text or ""
    inside, outside = relative_paths(root, paths)
    if outside and not inside and stdin_text is None:
        first = Path(outside[0]).absolute()
        root = find_root(first if first.is_dir() else first.parent)
        inside, outside = relative_paths(root, paths)
    tree = DiskTree(root)
    policy = load_policy(options.policies, root)
    use_workload_kinds(policy)
    var_map = parse_variables(options.variables)
    rel_var_files, outside_vars = relative_paths(root, options.var_files)
    if outside_vars:
        raise UsageError(f"--var-file {outside_vars[0]} is outside the repository {root}")
    limits = policy.settings.limits
    loaded = (load_paths(tree, inside, rel_var_files, var_map, limits, installed_modules(root))
              if inside or stdin_text is None else Loaded())
    for path in outside:
        loaded.errors.append(InputError(path, 0, f"is outside the repository {root}, not read"))
    if stdin_text is not None:
        if stdin_text.strip():
            load_text(stdin_text, "-", loaded, limits)
        else:
            # `helm template chart | guardrails check -` where helm failed: nothing was checked.
            loaded.errors.append(InputError("-", 0, "no input on stdin (did the command before the pipe fail?)"))
    note_cache_refusal(loaded.notes)
    return Workspace(root, tree, policy, loaded, stdin_text)


def load_policy(policies: Sequence[str], root: Path, tree: Any = None) -> Policy:
    """The policy in force (PolicyError when it cannot be used)."""
    from guardrails.policy.load import load_policy as load

    return load(policies, root, tree=tree)


def use_workload_kinds(policy: Policy) -> None:
    """The policy's own workload kinds (settings.kubernetes.workloads) for this run's loading,
    judging and pricing, before anything is loaded."""
    from guardrails.providers.kubernetes import configure_workloads

    configure_workloads(policy.settings.kubernetes.get("workloads"))


def note_cache_refusal(notes: list) -> None:
    from guardrails.files.cache import refusal

    problem = refusal()
    if problem:
        notes.append(Note("GUARDRAILS_CACHE_DIR", problem))


def only_given_files(work: Workspace, paths: Sequence[str], findings: list) -> tuple[list, list, list]:
    """When files are named (pre-commit passes staged files), report only what lies in them.

    Their whole Terraform directory is still loaded, so variables, locals and modules give the
    same findings as a full check; problems of the other files become notes.
    """
    named, _ = relative_paths(work.root, [p for p in paths if p != "-"])
    files = {p for p in named if work.tree.is_file(p)}
    dirs = [p for p in named if p not in files]
    if not files or "" in dirs:
        return findings, list(work.loaded.errors), list(work.loaded.notes)

    def wanted(file: str) -> bool:
        return file in files or file == "-" or any(file.startswith(d.rstrip("/") + "/") for d in dirs)

    errors = [e for e in work.loaded.errors if wanted(e.file) or e.line == 0 and e.file in named]
    notes = list(work.loaded.notes) + [Note(e.file, f"line {e.line}: {e.message} (in the same directory as a checked file)")
                                       for e in work.loaded.errors if e not in errors]
    return [f for f in findings if wanted(f.file)], errors, notes
