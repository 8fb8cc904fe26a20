"""Kubernetes workloads declared through Terraform, as the objects they create.

The hashicorp/kubernetes provider's resources (`kubernetes_deployment` and `_v1`, stateful sets,
daemon sets, jobs, cron jobs, pods, persistent volume claims) spell an object in Terraform's way:
snake_case names, blocks as lists, singular names for repeated blocks (`container`, `port`).
They are turned into the object the provider sends the API server (camelCase, maps, plural
lists), so that the Kubernetes rules and workload pricing judge them like a manifest.
`kubernetes_manifest` already holds the object (`manifest`), and `kubectl_manifest` (the
alekc/gavinbunney kubectl provider) a YAML document (`yaml_body`), read with the safe YAML loader.

The resource keeps its Terraform address, file, block lines (each converted path keeps the line
of the attribute it came from) and suppressions; a value Terraform cannot know stays Unknown.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Any, Mapping

from guardrails.core.model import Resource, is_unknown
from guardrails.kubernetes.manifests import CLUSTER_SCOPED

KINDS = {
    "kubernetes_deployment": ("apps/v1", "Deployment"), "kubernetes_stateful_set": ("apps/v1", "StatefulSet"),
    "kubernetes_daemonset": ("apps/v1", "DaemonSet"), "kubernetes_daemon_set": ("apps/v1", "DaemonSet"),
    "kubernetes_job": ("batch/v1", "Job"), "kubernetes_cron_job": ("batch/v1", "CronJob"),
    "kubernetes_pod": ("v1", "Pod"), "kubernetes_persistent_volume_claim": ("v1", "PersistentVolumeClaim"),
    "kubernetes_horizontal_pod_autoscaler": ("autoscaling/v2", "HorizontalPodAutoscaler"),
    "kubernetes_limit_range": ("v1", "LimitRange"),
}
# Repeated blocks the provider names in the singular; everything else written once is a map.
PLURALS = {
    "container": "containers", "init_container": "initContainers", "volume": "volumes", "port": "ports",
    "env": "env", "env_from": "envFrom", "volume_mount": "volumeMounts", "toleration": "tolerations",
    "image_pull_secrets": "imagePullSecrets", "host_aliases": "hostAliases", "volume_claim_template": "volumeClaimTemplates",
    "topology_spread_constraint": "topologySpreadConstraints", "readiness_gate": "readinessGates",
    "match_expressions": "matchExpressions", "limit": "limits", "metric": "metrics", "access_modes": "accessModes",
    "node_selector_term": "nodeSelectorTerms", "preferred_during_scheduling_ignored_during_execution":
        "preferredDuringSchedulingIgnoredDuringExecution",
    "required_during_scheduling_ignored_during_execution": "requiredDuringSchedulingIgnoredDuringExecution",
}
# Maps the provider writes as attributes (not blocks): their keys are the user's, never renamed.
_FREE_MAPS = {"labels", "annotations", "match_labels", "node_selector", "limits", "requests", "data"}
_CAMEL = re.compile(r"_([a-z0-9])")


def _camel(name: str) -> str:
    return _CAMEL.sub(lambda m: m.group(1).upper(), name)


def _kind_of(rtype: str) -> tuple[str, str] | None:
    base = rtype[:-3] if rtype.endswith("_v1") or rtype.endswith("_v2") else rtype
    return KINDS.get(base)


def converts(resource: Resource) -> bool:
    return resource.kind == "terraform" and resource.mode == "managed" and (
        _kind_of(resource.type) is not None or resource.type in ("kubernetes_manifest", "kubectl_manifest"))


def as_kubernetes(resource: Resource) -> Resource | str:
    """The Kubernetes resource a Terraform resource declares, or why it cannot be read."""
    if resource.type == "kubernetes_manifest":
        obj = resource.attrs.get("manifest")
        if not isinstance(obj, dict):
            return "manifest cannot be evaluated" if is_unknown(obj) else "manifest is not an object"
        return _resource(resource, obj, {})
    if resource.type == "kubectl_manifest":
        return _from_yaml(resource)
    api_version, kind = _kind_of(resource.type) or ("", "")
    lines: dict[str, int] = {}
    obj: dict[str, Any] = {"apiVersion": api_version, "kind": kind}
    for key in ("metadata", "spec"):
        if key in resource.attrs:
            obj[key] = _convert(resource.attrs[key], key, key, resource.lines, lines)
    spec = obj.get("spec")
    if isinstance(spec, dict) and isinstance(spec.get("replicas"), str) and spec["replicas"].isdigit():
        spec["replicas"] = int(spec["replicas"])  # the provider's schema types it as a string
    if kind == "LimitRange" and isinstance(obj.get("spec"), dict):
        obj["spec"] = {_camel(k) if k != "limit" else "limits": v for k, v in obj["spec"].items()}
    return _resource(resource, obj, lines)


def _convert(value: Any, tf_path: str, path: str, tf_lines: Mapping[str, int], lines: dict[str, int],
             free: bool = False) -> Any:
    if tf_path in tf_lines:
        lines[path] = tf_lines[tf_path]
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        if len(value) == 1 and not path.endswith(("]",)) and path.rsplit(".", 1)[-1] not in PLURALS.values():
            return _convert(value[0], f"{tf_path}[0]", path, tf_lines, lines)
        return [_convert(item, f"{tf_path}[{i}]", f"{path}[{i}]", tf_lines, lines) for i, item in enumerate(value)]
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if free:
                out[key] = item
                continue
            name = PLURALS.get(key) or _camel(key)
            child_free = key in _FREE_MAPS
            converted = _convert(item, f"{tf_path}.{key}", f"{path}.{name}", tf_lines, lines, child_free)
            if key in PLURALS and isinstance(converted, dict):
                converted = [converted]
            out[name] = converted
        return out
    return value


def _from_yaml(resource: Resource) -> Resource | str:
    body = resource.attrs.get("yaml_body")
    if not isinstance(body, str):
        return "yaml_body cannot be evaluated" if is_unknown(body) else "yaml_body is not a string"
    from guardrails.files.yamllines import load_documents
    from guardrails.files.yamldoc import YamlError

    try:
        documents = load_documents(body, resource.location.file)
    except YamlError as exc:
        return f"yaml_body is not YAML: {exc.message}"
    if len(documents) != 1 or not isinstance(documents[0].value, dict):
        return "yaml_body must hold one object"
    return _resource(resource, documents[0].value, {})


def _resource(resource: Resource, obj: dict[str, Any], lines: dict[str, int]) -> Resource:
    from guardrails.kubernetes.manifests import _name_containers

    metadata = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    kind = str(obj.get("kind", ""))
    namespace = "" if kind in CLUSTER_SCOPED else str(metadata.get("namespace") or "default")
    return dataclasses.replace(resource, type=kind, kind="kubernetes", attrs=obj, provider="kubernetes",
                               namespace=namespace, lines=_name_containers(obj, lines),
                               meta={**resource.meta, "terraform_type": resource.type})
