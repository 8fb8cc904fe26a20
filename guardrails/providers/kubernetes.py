"""Where Kubernetes kinds keep their pod spec, and how container paths are spelled."""
from __future__ import annotations

from typing import Any, Iterable, Iterator, Mapping, NamedTuple

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
    "Rollout": "spec.template.spec",  # Argo Rollouts
    "DeploymentConfig": "spec.template.spec",  # OpenShift
    "Service.serving.knative.dev": "spec.template.spec",  # Knative Serving
}
KNATIVE_SERVICE = "Service.serving.knative.dev"

# A team's own workload kinds (settings.kubernetes.workloads): kind -> (pod spec path, replicas
# path or ""). Set once per run by the application, from the policy in force, before anything is
# loaded (as the cache settings are); empty otherwise.
_CUSTOM: dict[str, tuple[str, str]] = {}


def configure_workloads(entries: Any) -> None:
    """Use the policy's `settings.kubernetes.workloads` for this run (None or [] for none)."""
    _CUSTOM.clear()
    for entry in entries or ():
        if isinstance(entry, Mapping) and isinstance(entry.get("kind"), str) and isinstance(entry.get("pod_spec"), str):
            if entry["kind"] not in POD_SPEC_PATHS:  # a built-in kind keeps its own layout
                _CUSTOM[entry["kind"]] = (entry["pod_spec"], str(entry.get("replicas") or ""))


def pod_spec_path(kind: str) -> str | None:
    """Where the kind keeps its pod spec (built in, or the policy's), None for other kinds."""
    return POD_SPEC_PATHS.get(kind) or (_CUSTOM[kind][0] if kind in _CUSTOM else None)


def custom_replicas_path(kind: str) -> str | None:
    """For a kind of settings.kubernetes.workloads: the path of its replica count ("" for one pod)."""
    return _CUSTOM[kind][1] if kind in _CUSTOM else None


def workload_kind(obj: Mapping[str, Any]) -> str:
    """The kind as guardrails names it: Knative's Service is `Service.serving.knative.dev`
    (kubectl's spelling), apart from the core Service, which runs no pods."""
    kind = str(obj.get("kind", ""))
    if kind == "Service" and str(obj.get("apiVersion", "")).startswith("serving.knative.dev/"):
        return KNATIVE_SERVICE
    return kind

# ephemeralContainers are debugging shells added at run time: resource rules never apply.
CONTAINER_LISTS = ("initContainers", "containers")


def pod_spec(obj: Mapping[str, Any]) -> tuple[Mapping[str, Any] | None, str]:
    """The pod spec of a Kubernetes object and its path, or (None, "") for other kinds."""
    path = pod_spec_path(workload_kind(obj))
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


class LimitRangeDefault(NamedTuple):
    value: Any  # the quantity as written in the LimitRange
    source: str  # the LimitRange's address


def limit_range_defaults(resources: Iterable[Any]) -> dict[str, dict[tuple[str, str], LimitRangeDefault]]:
    """Per namespace, the container fields (section, resource) its LimitRanges fill in.

    As Kubernetes' LimitRanger applies them: a missing limit from `default`, else `max`; a
    missing request from `defaultRequest`, else the limit default, else `min`.
    """
    found: dict[str, dict[tuple[str, str], LimitRangeDefault]] = {}
    for resource in resources:
        if resource.kind != "kubernetes" or resource.type != "LimitRange":
            continue
        spec = resource.attrs.get("spec")
        items = spec.get("limits") if isinstance(spec, dict) else None
        for item in items if isinstance(items, list) else ():
            if not isinstance(item, dict) or item.get("type") != "Container":
                continue
            limits = {**_map(item.get("max")), **_map(item.get("default"))}
            requests = {**_map(item.get("min")), **limits, **_map(item.get("defaultRequest"))}
            namespace = found.setdefault(resource.namespace, {})
            for section, filled in (("limits", limits), ("requests", requests)):
                for name, value in filled.items():
                    namespace.setdefault((section, str(name)), LimitRangeDefault(value, resource.address))
    return found


def _map(value: Any) -> Mapping[Any, Any]:
    return value if isinstance(value, Mapping) else {}
