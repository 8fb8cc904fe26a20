"""Modules that `terraform init` installed: `.terraform/modules/modules.json` of a root module.

The manifest lists each module call by key (`vpc`, and `eks.node_group` for a call inside the
module of call `eks`), with its source, version and the directory it was installed in, relative
to the root. The file is the repository's (untrusted): a directory must stay inside the
repository, an entry that is not well formed is left out with a note, and nothing in it is run.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from guardrails.core.model import Note
from guardrails.files.trees import OutsideRoot, Tree, join
from guardrails.terraform.versions import ConstraintError, meets

MANIFEST = ".terraform/modules/modules.json"
_REGISTRY_HOSTS = ("registry.terraform.io/", "registry.opentofu.org/")


@dataclass(frozen=True)
class InstalledModule:
    key: str
    source: str
    version: str  # "" for git, archive and local sources
    directory: str  # repository-relative


def read_manifest(tree: Tree, root: str) -> tuple[dict[str, InstalledModule], list[Note]]:
    """The modules installed for the root module in `root`, by key; {} when none are."""
    path = join(root, MANIFEST)
    try:
        if not tree.is_file(path):
            return {}, []
        document = json.loads(tree.read(path))
    except (OSError, OutsideRoot, ValueError) as exc:
        reason = "not valid JSON" if isinstance(exc, ValueError) else "cannot be read"
        return {}, [Note(path, f"{reason}: installed modules are not inspected")]
    entries = document.get("Modules") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        return {}, [Note(path, "has no Modules list: installed modules are not inspected")]
    found: dict[str, InstalledModule] = {}
    notes: list[Note] = []
    for entry in entries:
        module = _entry(entry, root)
        if isinstance(module, str):
            notes.append(Note(path, module))
        elif module is not None:
            found[module.key] = module
    return found, notes


def _entry(entry: Any, root: str) -> InstalledModule | str | None:
    if not isinstance(entry, dict) or not all(isinstance(entry.get(k, ""), str) for k in ("Key", "Source", "Version", "Dir")):
        return "an entry that is not a module (Key, Source, Version, Dir strings) is left out"
    key, directory = entry.get("Key", ""), entry.get("Dir", "")
    if not key:
        return None  # the root module itself
    try:
        where = join(root, directory)
    except OutsideRoot:
        return f"module {key}: directory {directory!r} is outside the repository, not inspected"
    return InstalledModule(key, entry.get("Source", ""), entry.get("Version", ""), where)


def call_key(prefix: str, name: str) -> str:
    """The manifest key of call `name` in the module at address `prefix` ("module.a[0].")."""
    names = re.findall(r"module\.([A-Za-z_][A-Za-z0-9_-]*)", re.sub(r"\[[^\]]*\]", "", prefix))
    return ".".join(names + [name])


def _normalised(source: str) -> str:
    text = source.strip().lower()
    for prefix in ("git::", "hg::", "s3::", "gcs::"):
        text = text.removeprefix(prefix)
    for prefix in ("https://", "http://", "ssh://", "git@"):
        text = text.removeprefix(prefix)
    for host in _REGISTRY_HOSTS:
        text = text.removeprefix(host)
    text = text.replace("github.com:", "github.com/")
    address, _, query = text.partition("?")
    address = re.sub(r"\.git(?=//|$)", "", address).rstrip("/")
    return f"{address}?{query}" if query else address


def mismatch(installed: InstalledModule, source: str, constraint: Any) -> str:
    """Why the installed module is not the one the call asks for; "" when it is."""
    if _normalised(installed.source) != _normalised(source):
        return (f"the installed module came from {installed.source!r}, the configuration asks for {source!r} "
                "(run terraform init)")
    if isinstance(constraint, str) and constraint.strip() and installed.version:
        try:
            if not meets(installed.version, constraint):
                return (f"the installed version {installed.version} does not meet version {constraint!r} "
                        "(run terraform init)")
        except ConstraintError as exc:
            return f"{exc}"
    return ""
