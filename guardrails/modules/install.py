"""`guardrails modules fetch`: install the registry, git and archive modules a configuration calls.

The configuration is loaded as `check` loads it; every call still not inspected names its key,
source and version constraint. Each is resolved (registry protocol, git, https archive), its
package downloaded once into a store shared by every root and key that asks for the same
package, and listed in `<root>/.terraform/modules/modules.json` in the checkout's directory of
the cache (files/installed.py), never in the repository. Calls inside what was installed are
found on the next round, until nothing new is asked for.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from guardrails.core.limits import DEFAULT_LIMITS
from guardrails.files.installed import STORE, fetched_modules, installed_modules
from guardrails.files.limited import LimitedTree
from guardrails.files.trees import DiskTree, join, select
from guardrails.modules import archives, gitclone, registry
from guardrails.modules.sources import Source, SourceError, parse_source
from guardrails.net.http import DownloadError, Fetcher
from guardrails.terraform.installed import MANIFEST
from guardrails.terraform.loader import TerraformOptions, load_terraform

MAX_ROUNDS = 8  # nesting of module calls fetched in turn
MAX_ARCHIVE = 256 << 20


class FetchError(RuntimeError):
    """Modules cannot be fetched at all (no cache directory); the message says why."""


@dataclass(frozen=True)
class FetchOptions:
    registries: Mapping[str, str] = field(default_factory=dict)  # host -> where its discovery is read
    allow_local: bool = False  # file:// git repositories and file archives: any path on this machine
    timeout: float = 60.0


@dataclass
class Installed:
    root: str
    key: str
    source: str
    version: str
    reused: bool


@dataclass
class Fetched:
    directory: Path
    installed: list[Installed] = field(default_factory=list)
    problems: list[tuple[str, int, str]] = field(default_factory=list)  # file, line, message


def fetch_modules(repository: Path, paths: Sequence[str], options: FetchOptions,
                  say: Callable[[str], None] | None = None) -> Fetched:
    target = fetched_modules(repository)
    if target is None:
        raise FetchError("no cache directory (--no-cache, GUARDRAILS_NO_CACHE, or one that cannot be used): "
                         "modules fetch installs into the cache")
    result = Fetched(target)
    fetcher = Fetcher([], timeout=options.timeout, max_bytes=MAX_ARCHIVE, redirects=True)
    fetcher.who = "modules fetch"
    packages: dict[tuple[str, str, str], Path] = {}  # (kind, address, ref) -> its store directory
    resolved: dict[tuple[str, str], Any] = {}  # (registry address, constraint) -> where it is, asked once
    tried: set[tuple[str, str]] = set()
    with tempfile.TemporaryDirectory(prefix="guardrails-modules-") as scratch:
        for _ in range(MAX_ROUNDS):
            calls = [c for c in _uninspected(repository, paths) if (c[0], c[1]["key"]) not in tried]
            if not calls:
                break
            manifests: dict[str, dict[str, dict[str, str]]] = {}
            for root, call, file, line in calls:
                tried.add((root, call["key"]))
                try:
                    entry = _install(call, root, target, packages, resolved, fetcher, options, Path(scratch))
                except (SourceError, DownloadError, gitclone.CloneError, archives.ArchiveError) as exc:
                    result.problems.append((file, line, f"module {call['key']}: {exc}"))
                    continue
                manifests.setdefault(root, {})[call["key"]] = entry
                result.installed.append(Installed(root, call["key"], call["source"], entry["Version"],
                                                  entry.pop("_reused") == "yes"))  # not a manifest field
                if say:
                    say(f"{root}: module.{call['key'].replace('.', '.module.')} <- {call['source']}"
                        + (f" {entry['Version']}" if entry["Version"] else ""))
            for root, entries in manifests.items():
                _write_manifest(target, root, entries)
    return result


def _uninspected(repository: Path, paths: Sequence[str]) -> list[tuple[str, dict[str, Any], str, int]]:
    """(root, call, file, line) for each module call that is still not inspected."""
    # Read as check reads it: files over the size limits are refused before any parser sees them.
    tree = LimitedTree(DiskTree(repository), DEFAULT_LIMITS)
    selection = select(tree, list(paths) or [""])
    loaded = load_terraform(tree, sorted(selection.terraform_dirs),
                            TerraformOptions(installed=LimitedTree(installed_modules(repository), DEFAULT_LIMITS)))
    found = {}
    for resource in loaded.resources:
        call = resource.meta.get("module_call") if resource.type == "module" else None
        if call and call.get("source"):
            found.setdefault((resource.root, call["key"]), (resource.root, call, resource.location.file,
                                                            resource.location.line))
    return [found[key] for key in sorted(found)]


def _install(call: Mapping[str, Any], root: str, target: Path, packages: dict, resolutions: dict,
             fetcher: Fetcher, options: FetchOptions, scratch: Path) -> dict[str, str]:
    source = parse_source(call["source"])
    version = ""
    subdir = source.subdir
    if source.kind == "registry":
        asked = (source.address, str(call.get("version") or ""))
        if asked not in resolutions:
            resolutions[asked] = registry.resolve(fetcher, source, call.get("version"), options.registries, scratch)
        resolved = resolutions[asked]
        version = resolved.version
        package = parse_source(resolved.location)
        if package.kind == "registry":
            raise SourceError(f"the registry points to another registry address ({resolved.location})")
        subdir = "/".join(p for p in (package.subdir, source.subdir) if p)
        source = package
    elif call.get("version"):
        raise SourceError("version applies to registry sources only; pin a git source with ?ref=")
    if any(part in ("..", ".") for part in subdir.split("/") if part) or subdir.startswith("/"):
        raise SourceError(f"the subdirectory {subdir!r} leaves the package")
    key = (source.kind, source.address, source.ref)
    reused = key in packages
    if not reused:
        packages[key], reused = _package(source, target, fetcher, options, scratch)
    store = packages[key]
    directory = f"{STORE}/{store.name}" + (f"/{subdir}" if subdir else "")
    if subdir and not (target / directory).is_dir():
        raise SourceError(f"the package has no directory {subdir!r}")
    depth = len([p for p in root.split("/") if p not in ("", ".")])
    return {"Key": call["key"], "Source": call["source"], "Version": version,
            "Dir": "/".join([".."] * depth + [directory]), "_reused": "yes" if reused else "no"}


def _package(source: Source, target: Path, fetcher: Fetcher, options: FetchOptions,
             scratch: Path) -> tuple[Path, bool]:
    """The store directory holding `source`'s package, and whether it was there already."""
    name = hashlib.sha256("\0".join((source.kind, source.address, source.ref)).encode("utf-8")).hexdigest()[:32]
    store = target / STORE / name
    if (store / ".complete").is_file():
        return store, True
    work = Path(tempfile.mkdtemp(prefix="package-", dir=scratch))
    checkout = work / "package"
    if source.kind == "git":
        gitclone.clone(source.address, source.ref, checkout, options.allow_local)
        shutil.rmtree(checkout / ".git", ignore_errors=True)
        _bounded(checkout)
    else:
        archive = work / "archive"
        if source.address.startswith("file:"):
            if not options.allow_local:
                raise SourceError("a file: archive is read only with --allow-local-sources")
            shutil.copyfile(_file_path(source.address), archive)
        else:
            if source.address.startswith("https://"):
                fetcher.allow(source.address)  # a registry may point anywhere over https
            fetcher.download(source.address, archive, label=source.original)
        archives.unpack(archive, checkout, source.ref)
    _discard_links(checkout)
    store.parent.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(store, ignore_errors=True)
    os.replace(checkout, store)
    (store / ".complete").write_text("", encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    return store, False


def _file_path(url: str) -> str:
    from urllib.parse import unquote, urlsplit

    return unquote(urlsplit(url).path)


def _bounded(directory: Path) -> None:
    files = size = 0
    for base, _, names in os.walk(directory):
        for name in names:
            files += 1
            size += os.lstat(os.path.join(base, name)).st_size
    if files > archives.MAX_FILES or size > archives.MAX_BYTES:
        raise archives.ArchiveError(f"the checkout holds {files:,} files, {size:,} bytes: more than "
                                    f"{archives.MAX_FILES:,} files or {archives.MAX_BYTES:,} bytes")


def _discard_links(directory: Path) -> None:
    # Nothing we install points anywhere: a link that got through (none should) is removed.
    for base, dirs, names in os.walk(directory):
        for name in dirs + names:
            path = os.path.join(base, name)
            if os.path.islink(path):
                os.unlink(path)


def _write_manifest(target: Path, root: str, entries: Mapping[str, Mapping[str, str]]) -> None:
    path = target / join(root, MANIFEST)
    existing: dict[str, Any] = {}
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        existing = {m["Key"]: m for m in document.get("Modules", []) if isinstance(m, dict) and m.get("Key")}
    except (OSError, ValueError, AttributeError):
        pass
    existing.update({key: {k: v for k, v in entry.items() if not k.startswith("_")} for key, entry in entries.items()})
    modules = [{"Key": "", "Source": "", "Dir": "."}] + [existing[key] for key in sorted(existing)]
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"Modules": modules}, indent=1) + "\n", encoding="utf-8")
    os.replace(temporary, path)
