"""Load every resource a set of paths holds: the one place that picks a loader per file."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from guardrails.core.limits import DEFAULT_LIMITS, Limits, over_size
from guardrails.core.model import InputError, Note, Resource
from guardrails.files.limited import LimitedTree, TooLarge
from guardrails.files.trees import KUSTOMIZATION_NAMES, OutsideRoot, Selection, Tree, select

_NOT_READ = "not read (split it into several files)"


@dataclass
class Loaded:
    resources: list[Resource] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    files: int = 0
    moved: list[tuple[str, str]] = field(default_factory=list)  # Terraform `moved` blocks


def find_root(start: Path) -> Path:
    """The repository root (nearest directory with .git) above `start`, else `start`."""
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            return candidate
    return start


def relative_paths(root: Path, paths: Sequence[str]) -> tuple[list[str], list[str]]:
    """Repository-relative forms of the given paths, and those that lie outside the root."""
    inside, outside = [], []
    for raw in paths:
        full = Path(raw).absolute()
        try:
            rel = full.relative_to(root).as_posix()
        except ValueError:
            try:
                rel = full.resolve().relative_to(root).as_posix()
            except ValueError:
                outside.append(raw)
                continue
        inside.append("" if rel == "." else rel)
    return inside, outside


def load_paths(tree: Tree, paths: Sequence[str], var_files: Sequence[str] = (), variables: dict | None = None,
               limits: Limits = DEFAULT_LIMITS, installed: Tree | None = None) -> Loaded:
    selection = select(tree, paths)
    loaded = load_selection(tree, selection, var_files, variables, limits, installed)
    if not selection.terraform_dirs and not selection.manifests and not loaded.errors:
        shown = ", ".join(p or "." for p in paths)
        loaded.notes.append(Note(shown, "no Terraform or Kubernetes files found"))
    return loaded


def load_selection(tree: Tree, selection: Selection, var_files: Sequence[str] = (), variables: dict | None = None,
                   limits: Limits = DEFAULT_LIMITS, installed: Tree | None = None) -> Loaded:
    """Load what a selection names: its Terraform directories and manifest files.

    `installed` is where modules installed by `terraform init` are read (the working directory
    when `tree` is a commit's); None: `tree` itself."""
    loaded = Loaded()
    for path in selection.missing:
        loaded.errors.append(InputError(path, 0, "no such file or directory"))
    for path in selection.outside:
        loaded.errors.append(InputError(path, 0, "is outside the repository, not read"))
    loaded.notes.extend(Note(path, why) for path, why in selection.skipped)
    _load_terraform(tree, selection, var_files, variables or {}, loaded, limits, installed)
    manifests = _kustomize(tree, selection, loaded, limits)
    for path in manifests:
        named = path in selection.named
        data = _read(tree, path, loaded, limits, named)
        if data is not None:
            load_text(data, path, loaded, limits, named)
    return loaded


def _workloads(resources: list[Resource], notes: list[Note]) -> list[Resource]:
    """Terraform's Kubernetes resources (kubernetes_deployment, kubernetes_manifest, kubectl_manifest,
    ...) as the Kubernetes objects they declare, judged and priced like manifests."""
    if not any(r.type.startswith(("kubernetes_", "kubectl_")) for r in resources):
        return resources
    from guardrails.kubernetes.from_terraform import as_kubernetes, converts

    out = []
    for resource in resources:
        converted = as_kubernetes(resource) if converts(resource) else resource
        if isinstance(converted, str):
            notes.append(Note(resource.location.file, f"{resource.address}: {converted}, not checked as a Kubernetes object"))
            converted = resource
        out.append(converted)
    return out


def _kustomize(tree: Tree, selection: Selection, loaded: Loaded, limits: Limits) -> list[str]:
    """Render the root kustomizations of the selection; the manifests left to load on their own
    (the files a kustomization consumes are its inputs, not objects of their own, unless named)."""
    kustomizations = [path for path in selection.manifests if path.rsplit("/", 1)[-1] in KUSTOMIZATION_NAMES]
    if not kustomizations:
        return selection.manifests  # and no YAML parser is imported for a Terraform-only run
    from guardrails.kubernetes.kustomize import is_kustomization, render_all

    rendered = render_all(LimitedTree(tree, limits), kustomizations, selection.named, limits)
    loaded.resources.extend(rendered.resources)
    loaded.errors.extend(rendered.errors)
    loaded.notes.extend(rendered.notes)
    loaded.files += len(rendered.consumed)
    return [path for path in selection.manifests if path not in rendered.consumed or
            (path in selection.named and not is_kustomization(path))]


def _load_terraform(tree: Tree, selection: Selection, var_files: Sequence[str], variables: dict, loaded: Loaded,
                    limits: Limits, installed: Tree | None = None) -> None:
    if not selection.terraform_dirs:
        return
    from guardrails.terraform.loader import TerraformOptions, load_terraform

    capped = LimitedTree(tree, limits)
    options = TerraformOptions(var_files, variables, LimitedTree(installed, limits) if installed is not None else None)
    result = load_terraform(capped, sorted(selection.terraform_dirs), options)
    loaded.resources.extend(_workloads(result.resources, loaded.notes))
    loaded.errors.extend(result.errors)
    loaded.notes.extend(result.notes)
    loaded.moved.extend(result.moved)
    loaded.files += sum(len(files) for files in selection.terraform_dirs.values())


_ZIP = b"PK\x03\x04"  # `terraform plan -out` writes a zip archive
_PLAN_FIX = "terraform show -json {0} > plan.json, then check plan.json"


def _read(tree: Tree, path: str, loaded: Loaded, limits: Limits, named: bool = True) -> str | None:
    try:
        data = LimitedTree(tree, limits).read(path)
    except TooLarge as exc:
        loaded.errors.append(InputError(path, 0, f"{exc}, {_NOT_READ}"))
        return None
    except (OSError, OutsideRoot) as exc:
        loaded.errors.append(InputError(path, 0, f"cannot read: {getattr(exc, 'strerror', None) or exc}"))
        return None
    if data.startswith(_ZIP) or b"\0" in data[:8192]:
        what = "a zip archive, as terraform plan -out writes" if data.startswith(_ZIP) else "a binary file"
        if named:
            # Asked for by name, a binary file is most often a saved plan: passing it green
            # would hide that nothing was checked.
            loaded.errors.append(InputError(path, 0, f"{what}, not a plan guardrails can read: "
                                                     f"convert it with {_PLAN_FIX.format(path)}"))
        else:
            loaded.notes.append(Note(path, f"{what}, skipped"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        loaded.errors.append(InputError(path, data.count(b"\n", 0, exc.start) + 1, "not valid UTF-8"))
        return None


def load_text(text: str, path: str, loaded: Loaded, limits: Limits = DEFAULT_LIMITS, named: bool = True) -> None:
    """A manifest stream or a plan, decided by content (stdin has no file name).

    A file found by walking a directory that does not parse is an input error only when it is
    clearly meant for us (it names apiVersion and kind, or is a plan); any other JSON or YAML
    data file (fixtures, mongo-import lines) is a note, so it cannot make a run incomplete.
    """
    loaded.files += 1
    size = len(text) if text.isascii() else len(text.encode("utf-8"))
    if size > limits.file_bytes():  # stdin has not been measured yet
        message = over_size(size, "file", limits.max_file_mib, "max_file_mib")
        loaded.errors.append(InputError(path, 0, f"{message}, {_NOT_READ}"))
        return
    if text.lstrip().startswith("{") and '"format_version"' in text:
        from guardrails.terraform.plan import load_plan

        resources, errors, notes = load_plan(text, path)
        if errors and not named and not _PLAN_KEYS.search(text):
            loaded.notes.extend(_as_notes(errors))
            return
        if resources or errors or not notes:
            loaded.resources.extend(resources)
            loaded.errors.extend(errors)
            loaded.notes.extend(notes)
            return
        # JSON that is not a plan may still be a manifest (kubectl -o json).
    if size > limits.manifest_bytes():
        message = over_size(size, "manifest", limits.max_manifest_mib, "max_manifest_mib")
        loaded.errors.append(InputError(path, 0, f"{message}, {_NOT_READ}"))
        return
    from guardrails.kubernetes.manifests import load_manifests

    resources, errors, notes = load_manifests(text, path, limits)
    if errors and not named and not resources and not (_API_VERSION.search(text) and _KIND.search(text)):
        # A limit hit stays an error: the file was built to make us stop, whatever it holds.
        limits_hit = [e for e in errors if _LIMIT_HIT in e.message]
        notes = [*notes, *_as_notes([e for e in errors if _LIMIT_HIT not in e.message])]
        errors = limits_hit
    loaded.resources.extend(resources)
    loaded.errors.extend(errors)
    loaded.notes.extend(notes)


# What marks a file as ours: a manifest names apiVersion and kind, a plan its resource changes.
_API_VERSION = re.compile(r"""^[ \t\-{,]*["']?apiVersion["']?[ \t]*:""", re.MULTILINE)
_KIND = re.compile(r"""^[ \t\-{,]*["']?kind["']?[ \t]*:|["']kind["'][ \t]*:""", re.MULTILINE)
_PLAN_KEYS = re.compile(r'"(resource_changes|planned_values)"')
_LIMIT_HIT = "(settings.limits."


def _as_notes(errors: Sequence[InputError]) -> list[Note]:
    return [Note(e.file, f"{'line ' + str(e.line) + ': ' if e.line else ''}{e.message}; "
                         "not a Kubernetes manifest or plan, skipped") for e in errors]


def source_lines(tree: Tree, wanted: dict[str, set[int]], stdin_text: str | None = None) -> dict[str, dict[int, str]]:
    """The text of the lines findings point at, for reports that quote them."""
    out: dict[str, dict[int, str]] = {}
    for file, lines in wanted.items():
        if file == "-":
            text = stdin_text
        else:
            try:
                text = tree.read(file).decode("utf-8-sig", errors="replace")
            except (OSError, OutsideRoot):
                continue
        if text is None:
            continue
        all_lines = text.splitlines()
        out[file] = {n: all_lines[n - 1] for n in sorted(lines) if 0 < n <= len(all_lines)}
    return out
