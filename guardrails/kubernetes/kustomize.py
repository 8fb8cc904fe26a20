"""Kustomize, rendered natively: no kustomize binary, nothing executed, nothing fetched.

A kustomization (`kustomization.yaml`, `.yml` or `Kustomization`) is read as kustomize reads it:
`resources` and `bases` (files, and directories holding a kustomization), `components`, then the
patches (`patches` with or without `target`, strategic merge or JSON 6902, from a file or inline;
the legacy `patchesStrategicMerge` and `patchesJson6902`), `replicas`, `images`, `namespace`,
`namePrefix` / `nameSuffix`, `labels` / `commonLabels` (selectors and templates where kustomize
puts them) and `commonAnnotations`. Generators (configMapGenerator, secretGenerator) give the
objects they make by name only (their data is not read, no hash suffix); remote resources and
`helmCharts` are notes.

Every value keeps the place it was written (kubernetes/patches): a finding on a replica count an
overlay patched points at the patch. Cycles, missing files and patches that match nothing are
input errors at the line of the kustomization (or patch) that names them; the rest is rendered.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from guardrails.core.limits import DEFAULT_LIMITS, Limits
from guardrails.core.model import InputError, Location, Note, Resource
from guardrails.core.paths import join_path
from guardrails.files.trees import KUSTOMIZATION_NAMES, OutsideRoot, Tree, join, parent
from guardrails.files.yamllines import load_documents_cached
from guardrails.kubernetes.manifests import CLUSTER_SCOPED, resource_of
from guardrails.kubernetes.patches import PatchError, Places, json6902, strategic_merge

NAMES = KUSTOMIZATION_NAMES
MAX_DEPTH = 32
# A kustomization that lists the same base twice, whose base does too, ... doubles the work at
# each level: the kustomizations read to render one root are bounded.
MAX_READS = 2_000
_REMOTE = ("http://", "https://", "git::", "git@", "github.com/", "gitlab.com/", "ssh://")


@dataclass
class Obj:
    value: dict[str, Any]
    places: Places
    file: str
    start: int
    end: int
    original: str  # the name before any prefix or suffix, as patches and replicas may name it


@dataclass
class Rendered:
    resources: list[Resource] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    consumed: set[str] = field(default_factory=set)  # files read as inputs, never objects of their own
    used: set[str] = field(default_factory=set)  # kustomization directories another one uses


def kustomization_in(tree: Tree, directory: str) -> str | None:
    for name in NAMES:
        path = join(directory, name)
        if tree.is_file(path):
            return path
    return None


def is_kustomization(path: str) -> bool:
    return path.rsplit("/", 1)[-1] in NAMES


class Renderer:
    def __init__(self, tree: Tree, limits: Limits = DEFAULT_LIMITS, memo: dict | None = None) -> None:
        self.tree = tree
        self.limits = limits
        self.out = Rendered()
        self._reads = 0
        # Each root reads its bases again: a file is parsed once per run, and each reader gets
        # its own top-level copy (patches build new maps, and transformers copy the maps on the
        # path they change: nothing below the top is changed in place).
        self._memo: dict[tuple[str, int, str | None], tuple[list, list]] = memo if memo is not None else {}

    # reading ----------------------------------------------------------------------------
    def _documents(self, path: str, line_offset: int = 0, text: str | None = None) -> list[tuple[Any, Places, int, int]]:
        key = (path, line_offset, text)
        if key not in self._memo:
            self._memo[key] = self._parse(path, line_offset, text)
        found, errors = self._memo[key]
        self.out.errors.extend(errors)
        return [(dict(value) if isinstance(value, dict) else value, dict(places), start, end)
                for value, places, start, end in found]

    def _parse(self, path: str, line_offset: int, text: str | None) -> tuple[list, list]:
        if text is None:
            try:
                text = self.tree.read(path).decode("utf-8")
            except (OSError, OutsideRoot, UnicodeDecodeError) as exc:
                return [], [InputError(path, 0, f"cannot read: {getattr(exc, 'strerror', None) or exc}")]
        documents, errors = load_documents_cached(text, path, max_nodes=self.limits.max_yaml_nodes,
                                                   max_depth=self.limits.max_yaml_depth)
        problems = [InputError(e.file, e.line + line_offset, e.message) for e in errors]
        return [(d.value, {p: (path, line + line_offset) for p, line in d.lines.items()},
                 d.start_line + line_offset, d.end_line + line_offset) for d in documents], problems

    def _objects(self, path: str) -> list[Obj]:
        self.out.consumed.add(path)
        found = []
        for value, places, start, end in self._documents(path):
            if isinstance(value, dict) and isinstance(value.get("kind"), str) and isinstance(value.get("apiVersion"), str):
                found.append(Obj(value, places, path, start, end, _name(value)))
        return found

    # rendering --------------------------------------------------------------------------
    def inputs(self, directory: str) -> set[str]:
        """Every file rendering the kustomization in `directory` reads (its own included)."""
        self._reads = 0
        self._render(directory, ())
        return set(self.out.consumed)

    def render(self, directory: str) -> list[Resource]:
        """The objects the kustomization in `directory` makes, as resources of root `directory`."""
        self._reads = 0
        resources = self.resources_of(self._render(directory, ()), directory)
        self.out.resources.extend(resources)
        return resources

    @staticmethod
    def resources_of(objs: list[Obj], directory: str) -> list[Resource]:
        """Rendered objects as the resources of root `directory`."""
        resources = []
        for obj in objs:
            lines = {p: line for p, (file, line) in obj.places.items() if file == obj.file}
            origins = {p: place for p, place in obj.places.items() if place[0] != obj.file}
            resources.append(resource_of(obj.value, lines, Location(obj.file, obj.start, obj.end), origins,
                                         root=directory or "."))
        return resources

    def _render(self, directory: str, stack: tuple[str, ...], component: bool = False,
                objs: list[Obj] | None = None) -> list[Obj]:
        file = kustomization_in(self.tree, directory)
        if file is None:
            return []
        self._reads += 1
        if self._reads > MAX_READS:
            if self._reads == MAX_READS + 1:
                self.out.errors.append(InputError(file, 1, f"rendering reads more than {MAX_READS:,} kustomizations "
                                                           "(a base listed again and again?): stopped here"))
            return objs or []
        self.out.consumed.add(file)
        documents = self._documents(file)
        if not documents or not isinstance(documents[0][0], dict):
            self.out.errors.append(InputError(file, 1, "a kustomization must be a map"))
            return objs or []
        doc, places, _, _ = documents[0]
        objs = objs if objs is not None else []
        for key in ("resources", "bases"):
            for index, entry in enumerate(_list(doc.get(key))):
                line = _line(places, f"{key}[{index}]", file)
                objs.extend(self._entry(directory, entry, file, line, stack))
        for index, entry in enumerate(_list(doc.get("components"))):
            line = _line(places, f"components[{index}]", file)
            target = self._local(directory, entry, file, line, "component")
            if target is not None:
                if target in stack + (directory,):
                    self.out.errors.append(InputError(file, line, f"component {entry!r} includes itself (a cycle)"))
                else:
                    self.out.used.add(target)
                    self._render(target, stack + (directory,), component=True, objs=objs)
        objs.extend(self._generated(doc, places, file))
        for key in ("helmCharts", "helmChartInflationGenerator"):
            if doc.get(key):
                self.out.notes.append(Note(file, f"{key} is not rendered (price the chart with helm template ... "
                                                 "| guardrails check -)"))
        self._patches(doc, places, file, directory, objs)
        self._transform(doc, places, file, objs)
        return objs

    def _generated(self, doc: dict[str, Any], places: Places, file: str) -> list[Obj]:
        """The ConfigMaps and Secrets the generators make, by name only: their data is not read
        (nothing judges or prices it), and kustomize's content hash suffix is not added."""
        made = []
        for key, kind in (("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret")):
            for index, entry in enumerate(_list(doc.get(key))):
                if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                    continue
                if entry.get("behavior") in ("merge", "replace"):
                    continue  # changes a generated object of a base: nothing new
                line = _line(places, f"{key}[{index}]", file)
                metadata = {"name": entry["name"]}
                if isinstance(entry.get("namespace"), str):
                    metadata["namespace"] = entry["namespace"]
                value = {"apiVersion": "v1", "kind": kind, "metadata": metadata}
                made.append(Obj(value, {"": (file, line), "metadata.name": (file, line)}, file, line, line,
                                entry["name"]))
        return made

    def _local(self, directory: str, entry: Any, file: str, line: int, what: str) -> str | None:
        if not isinstance(entry, str) or not entry:
            self.out.errors.append(InputError(file, line, f"a {what} entry must be a path"))
            return None
        if entry.startswith(_REMOTE) or "?ref=" in entry:
            self.out.notes.append(Note(file, f"line {line}: remote {what} {entry!r} is not rendered "
                                             "(guardrails fetches nothing here)"))
            return None
        try:
            return join(directory, entry)
        except OutsideRoot:
            self.out.errors.append(InputError(file, line, f"{what} {entry!r} is outside the repository, not read"))
            return None

    def _entry(self, directory: str, entry: Any, file: str, line: int, stack: tuple[str, ...]) -> list[Obj]:
        target = self._local(directory, entry, file, line, "resource")
        if target is None:
            return []
        if self.tree.is_dir(target):
            if target in stack + (directory,):
                self.out.errors.append(InputError(file, line, f"resource {entry!r} includes this kustomization (a cycle)"))
                return []
            if len(stack) >= MAX_DEPTH:
                self.out.errors.append(InputError(file, line, "kustomizations nest too deeply"))
                return []
            if kustomization_in(self.tree, target) is None:
                self.out.errors.append(InputError(file, line, f"directory {entry!r} has no kustomization"))
                return []
            self.out.used.add(target)
            return self._render(target, stack + (directory,))
        if self.tree.is_file(target):
            return self._objects(target)
        self.out.errors.append(InputError(file, line, f"resource {entry!r} does not exist"))
        return []

    # patches ----------------------------------------------------------------------------
    def _patch_documents(self, directory: str, entry: dict[str, Any], places: Places, file: str,
                         at: str) -> list[tuple[Any, Places, int]]:
        """The documents of a patch entry (`path:` a file, or `patch:` inline text)."""
        if isinstance(entry.get("path"), str):
            target = self._local(directory, entry["path"], file, _line(places, at, file), "patch")
            if target is None:
                return []
            if not self.tree.is_file(target):
                self.out.errors.append(InputError(file, _line(places, at, file), f"patch {entry['path']!r} does not exist"))
                return []
            self.out.consumed.add(target)
            return [(value, p, start) for value, p, start, _ in self._documents(target)]
        if isinstance(entry.get("patch"), str):
            offset = _line(places, join_path(at, "patch"), file)
            return [(value, p, start) for value, p, start, _ in self._documents(file, offset, entry["patch"])]
        self.out.errors.append(InputError(file, _line(places, at, file), "a patch needs path or patch"))
        return []

    def _patches(self, doc: dict[str, Any], places: Places, file: str, directory: str, objs: list[Obj]) -> None:
        for index, entry in enumerate(_list(doc.get("patchesStrategicMerge"))):
            at = f"patchesStrategicMerge[{index}]"
            as_entry = {"patch": entry} if isinstance(entry, str) and "\n" in entry else {"path": entry}
            for value, pplaces, start in self._patch_documents(directory, as_entry, places, file, at):
                self._smp(value, pplaces, None, objs, pplaces.get("", (file, start)))
        for key in ("patches", "patchesJson6902"):
            for index, entry in enumerate(_list(doc.get(key))):
                at = f"{key}[{index}]"
                if not isinstance(entry, dict):
                    self.out.errors.append(InputError(file, _line(places, at, file), f"{key} entries are maps"))
                    continue
                target = entry.get("target") if isinstance(entry.get("target"), dict) else None
                for value, pplaces, start in self._patch_documents(directory, entry, places, file, at):
                    where = next(iter(pplaces.values()), (file, start)) if pplaces else (file, start)
                    if isinstance(value, list):
                        self._json6902(value, pplaces, target, objs, where)
                    else:
                        self._smp(value, pplaces, target, objs, where)

    def _smp(self, patch: Any, pplaces: Places, target: dict[str, Any] | None, objs: list[Obj],
             where: tuple[str, int]) -> None:
        if not isinstance(patch, dict):
            self.out.errors.append(InputError(where[0], where[1], "a strategic merge patch must be a map"))
            return
        selector = target or {"kind": patch.get("kind"), "name": _name(patch),
                              "namespace": (patch.get("metadata") or {}).get("namespace")}
        matched = [obj for obj in objs if _selects(selector, obj)]
        if not matched:
            self.out.errors.append(InputError(where[0], where[1], f"patch matches no resource ({_shown(selector)})"))
            return
        for obj in matched:
            body = patch
            if target is not None:  # the patch's own kind and name do not rename what it targets
                body = {k: v for k, v in patch.items() if k not in ("apiVersion", "kind")}
                if isinstance(body.get("metadata"), dict):
                    body["metadata"] = {k: v for k, v in body["metadata"].items() if k not in ("name", "namespace")}
            if body.get("$patch") == "delete":
                objs.remove(obj)
                continue
            obj.value = strategic_merge(obj.value, obj.places, body, pplaces)

    def _json6902(self, operations: list, pplaces: Places, target: dict[str, Any] | None, objs: list[Obj],
                  where: tuple[str, int]) -> None:
        if target is None:
            self.out.errors.append(InputError(where[0], where[1], "a JSON 6902 patch needs a target"))
            return
        matched = [obj for obj in objs if _selects(target, obj)]
        if not matched:
            self.out.errors.append(InputError(where[0], where[1], f"patch matches no resource ({_shown(target)})"))
            return
        for obj in matched:
            for index, operation in enumerate(operations):
                file, line = pplaces.get(f"[{index}]", where)
                try:
                    obj.value = json6902(obj.value, obj.places, [operation], file, line)
                except PatchError as exc:
                    self.out.errors.append(InputError(file, line, f"patch on {_name(obj.value)}: {exc}"))

    # transformers -----------------------------------------------------------------------
    def _transform(self, doc: dict[str, Any], places: Places, file: str, objs: list[Obj]) -> None:
        for index, entry in enumerate(_list(doc.get("replicas"))):
            if isinstance(entry, dict) and isinstance(entry.get("count"), int):
                place = places.get(join_path(f"replicas[{index}]", "count"), (file, 1))
                for obj in objs:
                    if entry.get("name") in (_name(obj.value), obj.original) and isinstance(obj.value.get("spec"), dict):
                        obj.value["spec"] = {**obj.value["spec"], "replicas": entry["count"]}
                        obj.places["spec.replicas"] = place
        for index, entry in enumerate(_list(doc.get("images"))):
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                _images(objs, entry, places.get(f"images[{index}]", (file, 1)))
        if isinstance(doc.get("namespace"), str) and doc["namespace"]:
            place = places.get("namespace", (file, 1))
            for obj in objs:
                if obj.value["kind"] not in CLUSTER_SCOPED:
                    _set(obj, ("metadata", "namespace"), doc["namespace"], place)
        prefix, suffix = doc.get("namePrefix"), doc.get("nameSuffix")
        if isinstance(prefix, str) or isinstance(suffix, str):
            place = places.get("namePrefix") or places.get("nameSuffix") or (file, 1)
            for obj in objs:
                if obj.value["kind"] not in ("Namespace", "CustomResourceDefinition"):
                    name = f"{prefix if isinstance(prefix, str) else ''}{_name(obj.value)}{suffix if isinstance(suffix, str) else ''}"
                    _set(obj, ("metadata", "name"), name, place)
        label_sets = []
        if isinstance(doc.get("commonLabels"), dict):
            label_sets.append((doc["commonLabels"], True, True, places.get("commonLabels", (file, 1))))
        for index, entry in enumerate(_list(doc.get("labels"))):
            if isinstance(entry, dict) and isinstance(entry.get("pairs"), dict):
                label_sets.append((entry["pairs"], bool(entry.get("includeSelectors")),
                                   bool(entry.get("includeTemplates") or entry.get("includeSelectors")),
                                   places.get(f"labels[{index}]", (file, 1))))
        for pairs, selectors, templates, place in label_sets:
            for obj in objs:
                _merge_map(obj, ("metadata", "labels"), pairs, place)
                spec = obj.value.get("spec")
                if templates and isinstance(spec, dict) and isinstance(spec.get("template"), dict):
                    _merge_map(obj, ("spec", "template", "metadata", "labels"), pairs, place)
                if selectors and isinstance(spec, dict) and isinstance(spec.get("selector"), dict):
                    _merge_map(obj, ("spec", "selector", "matchLabels"), pairs, place)
        if isinstance(doc.get("commonAnnotations"), dict):
            place = places.get("commonAnnotations", (file, 1))
            for obj in objs:
                _merge_map(obj, ("metadata", "annotations"), doc["commonAnnotations"], place)
                spec = obj.value.get("spec")
                if isinstance(spec, dict) and isinstance(spec.get("template"), dict):
                    _merge_map(obj, ("spec", "template", "metadata", "annotations"), doc["commonAnnotations"], place)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _line(places: Places, path: str, file: str) -> int:
    place = places.get(path)
    return place[1] if place else 1


def _name(value: Any) -> str:
    metadata = value.get("metadata") if isinstance(value, dict) else None
    name = metadata.get("name") if isinstance(metadata, dict) else None
    return name if isinstance(name, str) else ""


def _selects(selector: dict[str, Any], obj: Obj) -> bool:
    value = obj.value
    metadata = value.get("metadata") if isinstance(value.get("metadata"), dict) else {}
    if selector.get("kind") and selector["kind"] != value.get("kind"):
        return False
    if selector.get("name") and selector["name"] not in (_name(value), obj.original):
        return False
    namespace = metadata.get("namespace")
    if selector.get("namespace") and namespace and selector["namespace"] != namespace:
        return False
    group, _, version = str(value.get("apiVersion", "")).rpartition("/")
    if selector.get("group") not in (None, "") and selector["group"] != group:
        return False
    if selector.get("version") not in (None, "") and selector["version"] != version:
        return False
    for key, field_name in (("labelSelector", "labels"), ("annotationSelector", "annotations")):
        if isinstance(selector.get(key), str) and selector[key]:
            have = metadata.get(field_name) if isinstance(metadata.get(field_name), dict) else {}
            if not all(_term_holds(term.strip(), have) for term in selector[key].split(",") if term.strip()):
                return False
    return True


def _term_holds(term: str, have: dict[str, Any]) -> bool:
    """One term of a label selector, as kubectl reads it: `k=v`, `k==v`, `k!=v`, `k`, `!k`.
    (Set terms such as `k in (a,b)` are not read: they select nothing here.)"""
    for operator in ("!=", "==", "="):
        if operator in term:
            name, _, wanted = term.partition(operator)
            equal = have.get(name.strip()) == wanted.strip()
            return not equal if operator == "!=" else equal
    if term.startswith("!"):
        return term[1:].strip() not in have
    return term in have


def _shown(selector: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in selector.items() if v)


def _assign(obj: Obj, keys: tuple[str, ...], value: Any) -> str:
    """Set the value at `keys`, copying every map on the way (the parsed documents are shared
    between the roots that read them); the path set."""
    node = obj.value
    path = ""
    for key in keys[:-1]:
        child = node.get(key)
        child = dict(child) if isinstance(child, dict) else {}
        node[key] = child
        node = child
        path = join_path(path, key)
    node[keys[-1]] = value
    return join_path(path, keys[-1])


def _set(obj: Obj, keys: tuple[str, ...], value: Any, place: tuple[str, int]) -> None:
    obj.places[_assign(obj, keys, value)] = place


def _merge_map(obj: Obj, keys: tuple[str, ...], pairs: dict[str, Any], place: tuple[str, int]) -> None:
    node: Any = obj.value
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    merged = {**(node if isinstance(node, dict) else {}), **{str(k): str(v) for k, v in pairs.items()}}
    _set(obj, keys, merged, place)
    path = ""
    for key in keys:
        path = join_path(path, key)
    for key in pairs:
        obj.places[join_path(path, str(key))] = place


def _images(objs: list[Obj], entry: dict[str, Any], place: tuple[str, int]) -> None:
    from guardrails.providers.kubernetes import CONTAINER_LISTS, pod_spec

    for obj in objs:
        spec, base = pod_spec(obj.value)
        if spec is None:
            continue
        for list_name in CONTAINER_LISTS:
            for index, container in enumerate(_list(spec.get(list_name))):
                image = container.get("image") if isinstance(container, dict) else None
                if not isinstance(image, str) or _repository(image) != entry["name"]:
                    continue
                name = entry.get("newName") or _repository(image)
                if entry.get("digest"):
                    new = f"{name}@{entry['digest']}"
                elif entry.get("newTag") is not None:
                    new = f"{name}:{entry['newTag']}"
                else:
                    rest = image[len(_repository(image)):]
                    new = f"{name}{rest}"
                container = dict(container)
                container["image"] = new
                items = [*spec[list_name][:index], container, *spec[list_name][index + 1:]]
                _assign(obj, (*base.split("."), list_name), items)
                spec, _ = pod_spec(obj.value)
                obj.places[f"{base}.{list_name}[{index}].image"] = place


def _repository(image: str) -> str:
    without_digest = image.split("@", 1)[0]
    head, _, tail = without_digest.rpartition(":")
    return head if head and "/" not in tail else without_digest


def render_all(tree: Tree, kustomizations: list[str], named: set[str], limits: Limits = DEFAULT_LIMITS) -> Rendered:
    """Render the root kustomizations among `kustomizations` (files): those no other one uses, and
    those named on the command line, which are rendered as given."""
    memo: dict = {}  # files parsed once for every directory
    directories = sorted({parent(path) for path in kustomizations})
    # Each directory is rendered once, on its own; which are roots is known only once all are.
    runs = {directory: Renderer(tree, limits, memo) for directory in directories}
    made = {directory: runs[directory]._render(directory, ()) for directory in directories}
    out = Rendered()
    for run in runs.values():
        out.used |= run.out.used
        out.consumed |= run.out.consumed
    for directory in directories:
        if directory not in out.used or any(parent(path) == directory for path in named if is_kustomization(path)):
            out.resources.extend(Renderer.resources_of(made[directory], directory))
            out.errors.extend(runs[directory].out.errors)
            out.notes.extend(runs[directory].out.notes)
    # A base two overlays use is read twice: its problems are said once.
    out.errors = list(dict.fromkeys(out.errors))
    out.notes = list(dict.fromkeys(out.notes))
    return out
