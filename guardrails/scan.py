"""Load every resource a set of paths holds: the one place that picks a loader per file."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from guardrails.model import InputError, Note, Resource
from guardrails.workspace import OutsideRoot, Selection, Tree, select

MAX_FILE_BYTES = 64 * 2**20  # any input larger is refused, not read into memory
# YAML costs about a second and 25 MB of memory per MB of manifests (libyaml's events are built
# in Python); past this a file is refused with an error rather than stalling the run.
MAX_MANIFEST_BYTES = 16 * 2**20


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


def load_paths(tree: Tree, paths: Sequence[str], var_files: Sequence[str] = (), variables: dict | None = None) -> Loaded:
    selection = select(tree, paths)
    loaded = load_selection(tree, selection, var_files, variables)
    if not selection.terraform_dirs and not selection.manifests and not loaded.errors:
        shown = ", ".join(p or "." for p in paths)
        loaded.notes.append(Note(shown, "no Terraform or Kubernetes files found"))
    return loaded


def load_selection(tree: Tree, selection: Selection, var_files: Sequence[str] = (), variables: dict | None = None) -> Loaded:
    """Load what a selection names: its Terraform directories and manifest files."""
    loaded = Loaded()
    for path in selection.missing:
        loaded.errors.append(InputError(path, 0, "no such file or directory"))
    for path in selection.outside:
        loaded.errors.append(InputError(path, 0, "is outside the repository, not read"))
    _load_terraform(tree, selection, var_files, variables or {}, loaded)
    for path in selection.manifests:
        data = _read(tree, path, loaded)
        if data is not None:
            load_text(data, path, loaded)
    return loaded


def _load_terraform(tree: Tree, selection: Selection, var_files: Sequence[str], variables: dict, loaded: Loaded) -> None:
    if not selection.terraform_dirs:
        return
    from guardrails.loaders.terraform import TerraformOptions, load_terraform

    result = load_terraform(tree, sorted(selection.terraform_dirs), TerraformOptions(var_files, variables))
    loaded.resources.extend(result.resources)
    loaded.errors.extend(result.errors)
    loaded.notes.extend(result.notes)
    loaded.moved.extend(result.moved)
    loaded.files += sum(len(files) for files in selection.terraform_dirs.values())


def _read(tree: Tree, path: str, loaded: Loaded) -> str | None:
    try:
        data = tree.read(path)
    except (OSError, OutsideRoot) as exc:
        loaded.errors.append(InputError(path, 0, f"cannot read: {getattr(exc, 'strerror', None) or exc}"))
        return None
    if len(data) > MAX_FILE_BYTES:
        loaded.errors.append(InputError(path, 0, f"larger than {MAX_FILE_BYTES // 2**20} MiB, not read"))
        return None
    if b"\0" in data[:8192]:
        loaded.notes.append(Note(path, "binary file, skipped"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        loaded.errors.append(InputError(path, data.count(b"\n", 0, exc.start) + 1, "not valid UTF-8"))
        return None


def load_text(text: str, path: str, loaded: Loaded) -> None:
    """A manifest stream or a plan, decided by content (stdin has no file name)."""
    loaded.files += 1
    if text.lstrip().startswith("{") and '"format_version"' in text:
        from guardrails.loaders.tfplan import load_plan

        resources, errors, notes = load_plan(text, path)
        if resources or errors or not notes:
            loaded.resources.extend(resources)
            loaded.errors.extend(errors)
            loaded.notes.extend(notes)
            return
        # JSON that is not a plan may still be a manifest (kubectl -o json).
    if len(text) > MAX_MANIFEST_BYTES:
        size = len(text.encode("utf-8")) / 2**20
        loaded.errors.append(InputError(path, 0, f"a {size:.0f} MiB manifest is over the {MAX_MANIFEST_BYTES // 2**20} MiB limit, not read (split it into several files)"))
        return
    from guardrails.loaders.kubernetes import load_manifests

    resources, errors, notes = load_manifests(text, path)
    loaded.resources.extend(resources)
    loaded.errors.extend(errors)
    loaded.notes.extend(notes)


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
