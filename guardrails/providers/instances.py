"""The instance types a resource asks for, wherever its type writes them, with the provider's
defaults where it leaves them out: what the instance-size rule judges and the cost models price."""
from __future__ import annotations

import re
from typing import Any, Iterator, Mapping

from guardrails.core.model import Resource, is_unknown
from guardrails.providers.kubernetes import pod_spec


# Where each Terraform resource type names its instance types. `[*]` is every item of a list.
INSTANCE_TYPE_PATHS: dict[str, tuple[str, ...]] = {
    "aws_instance": ("instance_type",),
    "aws_launch_template": ("instance_type",),
    "aws_launch_configuration": ("instance_type",),
    "aws_autoscaling_group": ("mixed_instances_policy[0].launch_template[0].override[*].instance_type",),
    "aws_eks_node_group": ("instance_types[*]",),
    "aws_db_instance": ("instance_class",),
    "aws_rds_cluster_instance": ("instance_class",),
    "aws_elasticache_cluster": ("node_type",),
    "aws_elasticache_replication_group": ("node_type",),
    "google_compute_instance": ("machine_type",),
    "google_container_node_pool": ("node_config[0].machine_type",),
    "google_container_cluster": ("node_config[0].machine_type",),
    "azurerm_linux_virtual_machine": ("size",),
    "azurerm_windows_virtual_machine": ("size",),
    "azurerm_kubernetes_cluster": ("default_node_pool[0].vm_size",),
    "azurerm_kubernetes_cluster_node_pool": ("vm_size",),
}


# Well-known node labels naming the node's instance type (the beta one predates Kubernetes 1.17).
NODE_LABELS = ("node.kubernetes.io/instance-type", "beta.kubernetes.io/instance-type")


# An EKS node group without instance_types gets this (aws_eks_node_group docs: "Defaults to
# [\"t3.medium\"]"); the instance-size rule judges it and pricing prices it.
EKS_DEFAULT_INSTANCE_TYPE = "t3.medium"


_STEP = re.compile(r"([^.\[\]]+)((?:\[(?:\d+|\*)\])*)")


_INDEX = re.compile(r"\[(\d+|\*)\]")


def instance_types(resource: Resource) -> Iterator[tuple[str, Any, str]]:
    """(path, value, note) for every instance type the resource names; note says why if implied."""
    if resource.kind == "kubernetes":
        if resource.type == "NodePool":
            yield from _node_pool_types(resource.attrs)
            return
        yield from _node_selector_types(resource.attrs)
        return
    if resource.type == "aws_eks_node_group":
        listed = resource.attrs.get("instance_types")
        if listed is None or listed == []:
            yield (
                "instance_types",
                EKS_DEFAULT_INSTANCE_TYPE,
                f"instance_types is not set, so EKS uses {EKS_DEFAULT_INSTANCE_TYPE}",
            )
            return
    for pattern in INSTANCE_TYPE_PATHS.get(resource.type, ()):
        for path, value in _walk(resource.attrs, pattern):
            yield path, value, ""


# Karpenter's well-known labels (karpenter.sh/docs/concepts/nodepools, AWS provider labels).
_FAMILY = ("karpenter.k8s.aws/instance-family",)
_SIZE = ("karpenter.k8s.aws/instance-size",)
MAX_COMBINATIONS = 200


def _node_pool_types(obj: Mapping[str, Any]) -> Iterator[tuple[str, Any, str]]:
    """The node sizes a Karpenter NodePool allows: its `node.kubernetes.io/instance-type` values,
    and each family x size its instance-family and instance-size requirements allow (`In` only:
    `NotIn`, `Exists` and `Gt` allow types we cannot list)."""
    spec = obj.get("spec")
    template = spec.get("template") if isinstance(spec, Mapping) else None
    inner = template.get("spec") if isinstance(template, Mapping) else None
    requirements = inner.get("requirements") if isinstance(inner, Mapping) else None
    if not isinstance(requirements, list):
        return
    base = "spec.template.spec.requirements"
    families: list[tuple[str, str]] = []
    sizes: list[str] = []
    for index, requirement in enumerate(requirements):
        if not isinstance(requirement, Mapping) or requirement.get("operator") != "In":
            continue
        values = requirement.get("values")
        if not isinstance(values, list):
            continue
        key = requirement.get("key")
        path = f"{base}[{index}].values"
        if key in NODE_LABELS:
            for position, value in enumerate(values):
                yield f"{path}[{position}]", value, ""
        elif key in _FAMILY:
            families.extend((f"{path}[{position}]", v) for position, v in enumerate(values) if isinstance(v, str))
        elif key in _SIZE:
            sizes.extend(v for v in values if isinstance(v, str))
    if families and sizes and len(families) * len(sizes) <= MAX_COMBINATIONS:
        for path, family in families:
            for size in sizes:
                yield path, f"{family}.{size}", "a family and a size its requirements allow"


def _node_selector_types(obj: Mapping[str, Any]) -> Iterator[tuple[str, Any, str]]:
    spec, base = pod_spec(obj)
    if spec is None:
        return
    selector = spec.get("nodeSelector")
    if is_unknown(selector):
        yield f"{base}.nodeSelector", selector, ""
        return
    if not isinstance(selector, dict):
        return
    for label in NODE_LABELS:
        if label in selector:
            # Keys holding dots are bracketed in paths, as the YAML loader records their lines.
            yield f'{base}.nodeSelector["{label}"]', selector[label], ""


def _walk(attrs: Mapping[str, Any], pattern: str) -> Iterator[tuple[str, Any]]:
    """Values at a path like `a[0].b[*].c`, with `[*]` spelled out as indices.

    A missing step yields nothing (the attribute is not set); an Unknown step yields the Unknown
    at the path reached so far, since what lies below it cannot be known.
    """
    steps: list[tuple[str, list[str]]] = [
        (match.group(1), _INDEX.findall(match.group(2))) for match in _STEP.finditer(pattern)
    ]
    yield from _descend(attrs, "", steps)


def _descend(node: Any, path: str, steps: list[tuple[str, list[str]]]) -> Iterator[tuple[str, Any]]:
    if is_unknown(node):
        yield path, node
        return
    if not steps:
        if node is not None:
            yield path, node
        return
    if not isinstance(node, dict):
        return
    (key, indices), rest = steps[0], steps[1:]
    child_path = f"{path}.{key}" if path else key
    yield from _index(node.get(key), child_path, indices, rest)


def _index(
    node: Any, path: str, indices: list[str], rest: list[tuple[str, list[str]]]
) -> Iterator[tuple[str, Any]]:
    if not indices:
        yield from _descend(node, path, rest)
        return
    if is_unknown(node):
        yield path, node
        return
    if not isinstance(node, list):
        return
    index, more = indices[0], indices[1:]
    positions = range(len(node)) if index == "*" else [int(index)]
    for position in positions:
        if position < len(node):
            yield from _index(node[position], f"{path}[{position}]", more, rest)
