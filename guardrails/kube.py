"""Where Kubernetes kinds keep their pod spec, and how container paths are spelled."""
from __future__ import annotations

from typing import Any, Iterator, Mapping

# The dotted path of the pod spec inside each pod-bearing kind.
POD_SPEC_PATHS: Mapping[str, str] = {
    "Pod": "spec",
    "Deployment": "spec.template.spec",
    "StatefulSet": "spec.template.spec",
    "DaemonSet": "spec.template.spec",
    "ReplicaSet": "spec.template.spec",
    "ReplicationController": "spec.template.spec",
    "Job": "spec.template.spec",
    "CronJob": "spec.jobTemplate.spec.template.spec",
}

# ephemeralContainers are debugging shells added at run time: resource rules never apply.
CONTAINER_LISTS = ("initContainers", "containers")


def pod_spec(obj: Mapping[str, Any]) -> tuple[Mapping[str, Any] | None, str]:
    """The pod spec of a Kubernetes object and its path, or (None, "") for other kinds."""
    path = POD_SPEC_PATHS.get(str(obj.get("kind", "")))
    if path is None:
        return None, ""
    node: Any = obj
    for step in path.split("."):
        if not isinstance(node, dict):
            return None, ""
        node = node.get(step)
    return (node if isinstance(node, dict) else None), path


def containers(obj: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any], str]]:
    """(list name, container, path) for each container; path like `spec.containers[api]`."""
    spec, base = pod_spec(obj)
    if spec is None:
        return
    for list_name in CONTAINER_LISTS:
        items = spec.get(list_name)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            name = item.get("name")
            key = name if isinstance(name, str) and name else str(index)
            yield list_name, item, f"{base}.{list_name}[{key}]"
