"""Kubernetes manifests (multi-document YAML or JSON, `List` kinds) to resources.

Every object with `apiVersion` and `kind` becomes a resource addressed `Kind/namespace/name`
(namespace `default` when the object names none) or `Kind/name` for cluster-scoped kinds, and
keeps the line of every field. Paths into container lists use the container's name, as findings
do: `spec.template.spec.containers[api].resources.limits.cpu` (an unnamed container keeps its
index). Each item of a `List` kind (`List`, `PodList`, ...) is a resource of its own.

The annotation `guardrails.dev/ignore: "<rule-id>[,...] [until=YYYY-MM-DD] <reason>"` on the
object or on its pod template suppresses findings; several directives go on separate lines.

Skipped with a note, not an error: documents that are not Kubernetes objects, and Helm chart
templates (`{{ .Values.x }}`) and Terraform templates (`%{ if }`, `${x}`) that do not parse as
YAML, which only mean something once rendered. A rendered manifest
may still hold `{{` in its strings (alerting rules, Go templates in a ConfigMap): only Helm's own
names, or `{{` in a file that does not parse as YAML, mark a file as a template.
"""
from __future__ import annotations

import re
from typing import Any, Mapping

from guardrails.providers.kubernetes import CONTAINER_LISTS, pod_spec, pod_spec_path, workload_kind
from guardrails.core.limits import DEFAULT_LIMITS, SETTING, Limits
from guardrails.core.paths import join_path
from guardrails.files.yamllines import YamlDocument, YamlLimitError, load_documents_cached
from guardrails.core.model import InputError, Location, Note, Resource, Suppression
from guardrails.core.ignores import MARKER, parse_directive

IGNORE_ANNOTATION = "guardrails.dev/ignore"

CLUSTER_SCOPED = frozenset({
    "APIService", "CSIDriver", "CSINode", "CertificateSigningRequest", "ClusterIssuer",
    "ClusterRole", "ClusterRoleBinding", "ComponentStatus", "CustomResourceDefinition",
    "FlowSchema", "IngressClass", "MutatingWebhookConfiguration", "Namespace", "Node",
    "PersistentVolume", "PodSecurityPolicy", "PriorityClass", "PriorityLevelConfiguration",
    "RuntimeClass", "StorageClass", "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding", "ValidatingWebhookConfiguration", "VolumeAttachment",
    "VolumeSnapshotClass",
})

# Names only a Helm chart template uses; Prometheus and Alertmanager templates use others.
_HELM_TEMPLATE = re.compile(
    r"\{\{-?\s*(?:[^{}]*?\.(?:Values|Release|Chart|Capabilities|Files)\b"
    r"|(?:include|toYaml|tpl|required)\s)"
)
_RENDER_HINT = "check the rendered manifests instead (helm template ... | guardrails check -)"
_EPHEMERAL = "ephemeralContainers"
_LIMIT_SETTINGS = {"max_nodes": "max_yaml_nodes", "max_depth": "max_yaml_depth"}


def _holds_helm_marker(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "{{" in item and _HELM_TEMPLATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.values())
            stack.extend(k for k in item if isinstance(k, str))
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _line(text: str, number: int) -> str:
    lines = text.splitlines()
    return lines[number - 1] if 0 < number <= len(lines) else ""


def load_manifests(
    text: str, file: str, limits: Limits = DEFAULT_LIMITS
) -> tuple[list[Resource], list[InputError], list[Note]]:
    """The resources of one manifest file, the errors that kept some out, and notes."""
    documents, yaml_errors = load_documents_cached(
        text, file, max_nodes=limits.max_yaml_nodes, max_depth=limits.max_yaml_depth
    )
    limited = any(isinstance(error, YamlLimitError) for error in yaml_errors)
    # A Helm template is a file whose {{ .Values... }} is part of the YAML: one that does not parse,
    # or whose values hold the markers. Markers in a comment do not make a manifest a template (a
    # pull request could hide any manifest behind one such comment).
    if _HELM_TEMPLATE.search(text) and not limited and (
            yaml_errors or any(_holds_helm_marker(document.value) for document in documents)):
        return [], [], [Note(file, f"a Helm chart template, skipped: {_RENDER_HINT}")]
    if yaml_errors and "{{" in text and not limited:
        return [], [], [Note(file, f"not YAML until its {{{{ ... }}}} templates are rendered, "
                                   f"skipped: {_RENDER_HINT}")]
    if yaml_errors and not limited and ("%{" in text or "${" in _line(text, yaml_errors[0].line)):
        # A Terraform template (templatefile(): cloud-init, CI configs) that happens to end in .yaml.
        return [], [], [Note(file, "not YAML until its Terraform template directives (%{ } / ${ }) "
                                   "are rendered, skipped: it is read where templatefile() uses it")]
    errors = [
        InputError(error.file, error.line, error.naming(f"{SETTING}.{_LIMIT_SETTINGS[error.limit]}")
                   if isinstance(error, YamlLimitError) else error.message)
        for error in yaml_errors
    ]
    resources: list[Resource] = []
    skipped: list[int] = []
    for document in documents:
        value = document.value
        if not _is_object(value):
            skipped.append(document.start_line)
        elif value["kind"].endswith("List") and isinstance(value.get("items"), list):
            resources.extend(_list_items(document, file, skipped))
        else:
            resources.append(
                _resource(value, document.lines, Location(file, document.start_line, document.end_line))
            )
    return resources, errors, _skip_notes(file, skipped, bool(resources or errors))


def _is_object(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("kind"), str)
        and bool(value["kind"])
        and isinstance(value.get("apiVersion"), str)
    )


def _skip_notes(file: str, lines: list[int], others: bool) -> list[Note]:
    if not lines:
        return []
    if not others:
        return [Note(file, "not a Kubernetes manifest (no apiVersion and kind), skipped")]
    return [
        Note(file, f"line {line}: not a Kubernetes object (no apiVersion and kind), skipped")
        for line in lines
    ]


def _list_items(document: YamlDocument, file: str, skipped: list[int]) -> list[Resource]:
    """The items of a `List` kind, each with its own lines and location."""
    items = document.value["items"]
    lines = document.lines
    resources = []
    for index, item in enumerate(items):
        prefix = f"items[{index}]"
        start = lines.get(prefix, document.start_line)
        if not _is_object(item):
            skipped.append(start)
            continue
        following = lines.get(f"items[{index + 1}]")
        end = following - 1 if following is not None else document.end_line
        resources.append(
            _resource(item, _rebase(lines, prefix), Location(file, start, max(start, end)))
        )
    return resources


def _rebase(lines: Mapping[str, int], prefix: str) -> dict[str, int]:
    """The lines below `prefix` (`items[3]`), with paths relative to it."""
    head = prefix + "."
    cut = len(head)
    return {path[cut:]: line for path, line in lines.items() if path.startswith(head)}


def _resource(obj: dict[str, Any], lines: Mapping[str, int], location: Location) -> Resource:
    return resource_of(obj, lines, location)


def resource_of(obj: dict[str, Any], lines: Mapping[str, int], location: Location,
                origins: Mapping[str, tuple[str, int]] | None = None, root: str = "") -> Resource:
    """The resource of one object; `origins` are the places of values written in another file
    (a Kustomize patch), `root` the kustomization that rendered it."""
    kind: str = workload_kind(obj)
    metadata = obj.get("metadata")
    if not isinstance(metadata, dict):
        metadata = {}
    name = metadata.get("name") or metadata.get("generateName") or "<unnamed>"
    if kind in CLUSTER_SCOPED:
        namespace = ""
        address = f"{kind}/{name}"
    else:
        namespace = str(metadata.get("namespace") or "default")
        address = f"{kind}/{namespace}/{name}"
    return Resource(
        address=address,
        type=kind,
        kind="kubernetes",
        location=location,
        attrs=obj,
        lines=_name_containers(obj, lines),
        provider="kubernetes",
        namespace=namespace,
        suppressions=_suppressions(obj, lines, location.line),
        origins=_name_containers(obj, origins) if origins else {},
        root=root,
    )


def _name_containers(obj: Mapping[str, Any], lines: Mapping[str, int]) -> dict[str, int]:
    """`lines` with container list items keyed by name (`containers[api]`), as providers/kubernetes spells them."""
    spec, base = pod_spec(obj)
    if spec is None:
        return dict(lines)
    renames: dict[str, str] = {}  # `containers[0]` -> `containers[api]`
    for list_name in (*CONTAINER_LISTS, _EPHEMERAL):
        items = spec.get(list_name)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            name = item.get("name") if isinstance(item, dict) else None
            if isinstance(name, str) and name:  # the same choice as guardrails.providers.kubernetes.containers
                renames[f"{base}.{list_name}[{index}]"] = f"{base}.{list_name}[{name}]"
    if not renames:
        return dict(lines)
    heads = tuple(f"{base}.{list_name}[" for list_name in (*CONTAINER_LISTS, _EPHEMERAL))
    moved = [path for path in lines if path.startswith(heads)]
    named = dict(lines)
    for path in moved:  # all out first: a container named "1" may take the place of item [1]
        del named[path]
    for path in moved:
        close = path.find("]", len(base)) + 1
        item = path[:close]
        named[renames.get(item, item) + path[close:]] = lines[path]
    return named


def _suppressions(obj: Mapping[str, Any], lines: Mapping[str, int], line: int) -> tuple[Suppression, ...]:
    """The `guardrails.dev/ignore` directives of the object and of its pod template."""
    places = ["metadata"]
    spec_path = pod_spec_path(workload_kind(obj)) or "spec"
    if spec_path != "spec":
        places.append(spec_path.removesuffix(".spec") + ".metadata")
    found: list[Suppression] = []
    for place in places:
        node: Any = obj
        for step in place.split("."):
            node = node.get(step) if isinstance(node, dict) else None
        annotations = node.get("annotations") if isinstance(node, dict) else None
        if not isinstance(annotations, dict) or IGNORE_ANNOTATION not in annotations:
            continue
        path = join_path(f"{place}.annotations", IGNORE_ANNOTATION)
        at = lines.get(path, line)
        found.extend(_directives(annotations[IGNORE_ANNOTATION], at))
    return tuple(found)


def _directives(value: Any, line: int) -> list[Suppression]:
    """One suppression per non-empty line of the annotation (or per item of a list)."""
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        texts = value
    elif isinstance(value, str):
        texts = value.splitlines()
    else:
        return [Suppression(rules=(), reason="", until=None, line=line,
                            problem=f"the {IGNORE_ANNOTATION} annotation must be a string")]
    found = []
    for text in texts:
        body = text.strip()
        # Forgive the marker of the comment form: "guardrails:ignore k8s-resources reason".
        if body.startswith(MARKER):
            body = body[len(MARKER):].strip()
        if body:
            found.append(parse_directive(body, line))
    return found
