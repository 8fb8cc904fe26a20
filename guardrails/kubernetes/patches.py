"""Kustomize's patches, applied to an object together with the place (file, line) of every value.

- Strategic merge (kubectl's, with the merge keys of the built-in kinds' lists: containers and
  volumes by `name`, ports by `containerPort`, volume mounts by `mountPath`, ...): maps merge, a
  null deletes a key, `$patch: delete` removes a list item or the object, `$patch: replace`
  replaces instead of merging; a list without a merge key is replaced.
- JSON 6902 (RFC 6902): add, remove, replace, move, copy and test at JSON pointers; a pointer that
  does not exist is a PatchError, which the kustomization reports at the patch's line.

`places` maps a path spelled as `Resource.lines` spells it (core/paths) to (file, line): a value a
patch sets takes the patch's place, so a finding points where the value was written.
"""
from __future__ import annotations

import copy
from typing import Any

from guardrails.core.paths import join_path

Places = dict[str, tuple[str, int]]

# Lists kubectl merges item by item, by this key (the patchMergeKey of the Kubernetes API types).
MERGE_KEYS = {
    "containers": "name", "initContainers": "name", "ephemeralContainers": "name", "volumes": "name",
    "env": "name", "imagePullSecrets": "name", "volumeMounts": "mountPath", "volumeDevices": "devicePath",
    "ports": "containerPort|port", "hostAliases": "ip", "topologySpreadConstraints": "topologyKey",
    "resourceClaims": "name", "readinessGates": "conditionType",
}


class PatchError(ValueError):
    """A patch that does not apply; the message says what was missing."""


def _index(path: str, index: int) -> str:
    return f"{path}[{index}]"


def _moved(places: Places, old: str, new: str) -> Places:
    """The places under `old`, re-keyed under `new`."""
    out = {}
    for path, place in places.items():
        if path == old or path.startswith((old + ".", old + "[")):
            out[new + path[len(old):]] = place
    return out


def _drop(places: Places, path: str) -> None:
    for key in [k for k in places if k == path or k.startswith((path + ".", path + "["))]:
        del places[key]


def strategic_merge(base: Any, places: Places, patch: Any, patch_places: Places) -> Any:
    """`base` with `patch` merged in; `places` is updated in place (patch paths are the same spelling)."""
    return _merge(base, places, patch, patch_places, "", "")


def _merge(base: Any, places: Places, patch: Any, pplaces: Places, path: str, ppath: str) -> Any:
    if isinstance(patch, dict) and patch.get("$patch") == "replace":
        _drop(places, path)
        places.update(_moved(pplaces, ppath, path))
        return {k: copy.deepcopy(v) for k, v in patch.items() if k != "$patch"}
    if not isinstance(base, dict) or not isinstance(patch, dict):
        _drop(places, path)
        places.update(_moved(pplaces, ppath, path))
        return copy.deepcopy(patch)
    merged = dict(base)
    for key, value in patch.items():
        if key in ("$patch", "$setElementOrder") or key.startswith("$setElementOrder/") or key.startswith("$deleteFromPrimitiveList/"):
            continue
        here, there = join_path(path, key), join_path(ppath, key)
        if value is None:
            merged.pop(key, None)
            _drop(places, here)
        elif key in MERGE_KEYS and isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = _merge_list(merged[key], places, value, pplaces, here, there, MERGE_KEYS[key])
            if there in pplaces:
                places[here] = pplaces[there]
        elif key in merged and isinstance(merged[key], dict) and isinstance(value, dict):
            merged[key] = _merge(merged[key], places, value, pplaces, here, there)
        else:
            _drop(places, here)
            places.update(_moved(pplaces, there, here))
            merged[key] = copy.deepcopy(value)
    return merged


def _under(places: Places, prefix: str) -> Places:
    """The places of `prefix` and below, keyed relative to it ("" is `prefix` itself)."""
    return {k[len(prefix):]: v for k, v in places.items() if k == prefix or k.startswith((prefix + ".", prefix + "["))}


_HERE = "@"  # a stand-in root while one list item is merged on its own


def _merge_list(base: list, places: Places, patch: list, pplaces: Places, path: str, ppath: str, key: str) -> list:
    items = [(item, _under(places, _index(path, i))) for i, item in enumerate(base)]
    for i in range(len(base)):
        _drop(places, _index(path, i))
    for p_index, item in enumerate(patch):
        pprefix = _index(ppath, p_index)
        # A container's ports merge by containerPort, a Service's by port.
        which = next((k for k in key.split("|") if isinstance(item, dict) and k in item), key.split("|")[0])
        at = next((i for i, (old, _) in enumerate(items) if isinstance(old, dict) and isinstance(item, dict)
                   and which in item and old.get(which) == item.get(which)), None)
        if isinstance(item, dict) and item.get("$patch") == "delete":
            if at is not None:
                del items[at]
        elif at is None:
            items.append((copy.deepcopy(item), _under(pplaces, pprefix)))
        else:
            old, relative = items[at]
            scratch = {_HERE + k: v for k, v in relative.items()}
            merged = _merge(old, scratch, item, pplaces, _HERE, pprefix)
            items[at] = (merged, {k[len(_HERE):]: v for k, v in scratch.items()})
    for new, (_, relative) in enumerate(items):
        places.update({_index(path, new) + k: v for k, v in relative.items()})
    return [item for item, _ in items]


def _pointer(pointer: str) -> list[str]:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise PatchError(f"{pointer!r} is not a JSON pointer")
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer[1:].split("/")]


def _path_of(obj: Any, parts: list[str]) -> str:
    path, node = "", obj
    for part in parts:
        if isinstance(node, list):
            index = len(node) if part == "-" else int(part)
            path, node = _index(path, index), node[index] if index < len(node) else None
        else:
            path, node = join_path(path, part), node.get(part) if isinstance(node, dict) else None
    return path


def _parent(obj: Any, parts: list[str], op: str) -> tuple[Any, str]:
    node = obj
    for i, part in enumerate(parts[:-1]):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise PatchError(f"{op}: /{'/'.join(parts[:i + 1])} does not exist")
    return node, parts[-1]


def json6902(obj: Any, places: Places, operations: Any, file: str, line: int) -> Any:
    """`obj` with the operations applied; `places` updated; PatchError when one does not apply."""
    if not isinstance(operations, list):
        raise PatchError("a JSON 6902 patch is a list of operations")
    obj = copy.deepcopy(obj)
    for operation in operations:
        if not isinstance(operation, dict) or not isinstance(operation.get("op"), str) or "path" not in operation:
            raise PatchError("each operation needs op and path")
        op, parts = operation["op"], _pointer(str(operation["path"]))
        if not parts:
            raise PatchError(f"{op}: the whole object cannot be patched")
        if op in ("move", "copy"):
            source = _pointer(str(operation.get("from", "")))
            parent, last = _parent(obj, source, op)
            value = _get(parent, last, op, source)
            if op == "move":
                _remove(parent, last)
                _drop(places, _path_of(obj, source))
            obj = _set(obj, places, parts, copy.deepcopy(value), "add", file, line)
        elif op == "test":
            parent, last = _parent(obj, parts, op)
            if _get(parent, last, op, parts) != operation.get("value"):
                raise PatchError(f"test: {operation['path']} does not hold the value the patch expects")
        elif op == "remove":
            parent, last = _parent(obj, parts, op)
            _get(parent, last, op, parts)
            _drop(places, _path_of(obj, parts))
            _remove(parent, last)
        elif op in ("add", "replace"):
            obj = _set(obj, places, parts, copy.deepcopy(operation.get("value")), op, file, line)
        else:
            raise PatchError(f"unknown operation {op!r}")
    return obj


def _get(parent: Any, last: str, op: str, parts: list[str]) -> Any:
    if isinstance(parent, dict) and last in parent:
        return parent[last]
    if isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
        return parent[int(last)]
    raise PatchError(f"{op}: /{'/'.join(parts)} does not exist")


def _remove(parent: Any, last: str) -> None:
    if isinstance(parent, dict):
        parent.pop(last, None)
    else:
        del parent[int(last)]


def _set(obj: Any, places: Places, parts: list[str], value: Any, op: str, file: str, line: int) -> Any:
    parent, last = _parent(obj, parts, op)
    if op == "replace":
        _get(parent, last, op, parts)
    path = _path_of(obj, parts)
    if isinstance(parent, dict):
        parent[last] = value
    elif isinstance(parent, list):
        if last == "-":
            parent.append(value)
        elif last.isdigit() and int(last) <= len(parent):
            if op == "replace":
                parent[int(last)] = value
            else:
                parent.insert(int(last), value)
        else:
            raise PatchError(f"{op}: /{'/'.join(parts)} is past the end of the list")
    else:
        raise PatchError(f"{op}: /{'/'.join(parts[:-1])} holds no map or list")
    _drop(places, path)
    _mark(places, path, value, file, line)
    return obj


def _mark(places: Places, path: str, value: Any, file: str, line: int) -> None:
    """Every path of `value` (written at `file:line`, one line for a JSON 6902 value)."""
    places[path] = (file, line)
    if isinstance(value, dict):
        for key, item in value.items():
            _mark(places, join_path(path, key), item, file, line)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _mark(places, _index(path, index), item, file, line)
