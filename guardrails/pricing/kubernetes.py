"""Kubernetes cost models: pod-bearing workloads by their requests, and persistent volume claims.

Rates come from `settings.kubernetes`, not the catalog: `cpu_hour` (default 0.031611 per
vCPU-hour) and `memory_gib_hour` (default 0.004237 per GiB-hour) are OpenCost's published
defaults; `storage_classes` maps a storage class to a price per GB-month.

A workload costs pods x (CPU request x cpu_hour + memory request in GiB x memory_gib_hour) x 730.
- A pod's request follows Kubernetes' own rule (native sidecars, KEP-753): the larger of the
  app containers plus the sidecars (init containers with `restartPolicy: Always`), and each
  ordinary init container plus the sidecars started before it. A request left out while its
  limit is set is the limit, as Kubernetes fills it in. A container without requests adds
  nothing, with a note; a workload none of whose containers requests anything is unpriced.
- Pods: `spec.replicas` (default 1) for Deployment, StatefulSet, ReplicaSet and
  ReplicationController, overridden by the usage key `replicas` (e.g. an autoscaler's
  average); 1 for a Pod; for a DaemonSet the usage key `nodes`, else
  `settings.kubernetes.daemonset_nodes` (default 1).
- Job and CronJob are usage-based: `spec.parallelism` pods (default 1) x the usage keys
  `monthly_runs` x `run_hours` (hours one run takes). A Job runs once unless `monthly_runs` says
  otherwise, a CronJob 0 times; `run_hours` defaults to 0: with no usage file they cost 0 and
  their components are listed as usage-based.
- Rollouts and DeploymentConfigs run `spec.replicas` like Deployments; a Knative Service its
  `autoscaling.knative.dev/min-scale` (default 0: it scales to zero), at most its max-scale
  (unbounded when unset: the worst case is unknown).
- Pod-level resources (`spec.resources`, Kubernetes 1.34) are the pod's requests where set.
- GPUs (`nvidia.com/gpu`, `amd.com/gpu`, `gpu.intel.com/i915`, from limits or requests, and the
  GPU devices of Dynamic Resource Allocation claims, pricing/dra) are priced at `gpu_hour`
  (default 0.95 per GPU-hour, OpenCost's).
- Storage is billed per GiB (what clouds call a GB), so a `10Gi` claim is 10 GB-months.
  A PersistentVolumeClaim without `storageClassName` gets the cluster's default class: priced at
  `storage_classes.default`. StatefulSet `volumeClaimTemplates` are priced the same, per replica.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable, Mapping

from guardrails.providers.kubernetes import (
    KNATIVE_SERVICE, POD_SPEC_PATHS, LimitRangeDefault, custom_replicas_path, limit_range_defaults, pod_spec,
)
from guardrails.providers.quantity import QuantityError, parse_quantity
from guardrails.core.model import CostComponent, Resource, Unknown, is_unknown
from guardrails.pricing.base import HOURS_PER_MONTH, PricingContext, Unpriced, number
from guardrails.pricing.dra import claimed_gpus

PROVIDER = "kubernetes"

DEFAULT_CPU_HOUR = 0.031611
DEFAULT_MEMORY_GIB_HOUR = 0.004237
DEFAULT_DAEMONSET_NODES = 1
GIB = Decimal(2**30)
_REPLICATED = ("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "Rollout", "DeploymentConfig")
# OpenCost's default GPU price per GPU-hour (its AWS provider configuration, as for CPU and memory).
DEFAULT_GPU_HOUR = 0.95
GPU_RESOURCES = ("nvidia.com/gpu", "amd.com/gpu", "gpu.intel.com/i915")
# Knative's scale bounds (knative.dev/docs/serving/autoscaling/scale-bounds), on the revision template.
KNATIVE_MIN = ("autoscaling.knative.dev/min-scale", "autoscaling.knative.dev/minScale")
KNATIVE_MAX = ("autoscaling.knative.dev/max-scale", "autoscaling.knative.dev/maxScale")
_BATCH = ("Job", "CronJob")


def workload(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    """Requests of the pod template x the pods it runs, plus StatefulSet volume claims."""
    obj = resource.attrs
    spec, _ = pod_spec(obj)
    if spec is None:
        raise Unpriced(f"{resource.type} has no pod spec to price")
    defaults = limit_range_defaults(ctx.of_type("LimitRange")).get(resource.namespace, {})
    cpu, memory = pod_requests(spec, ctx.notes, defaults)
    cpu_hour = number(ctx.settings.kubernetes.get("cpu_hour"), "settings.kubernetes.cpu_hour",
                      DEFAULT_CPU_HOUR)
    memory_hour = number(ctx.settings.kubernetes.get("memory_gib_hour"),
                         "settings.kubernetes.memory_gib_hour", DEFAULT_MEMORY_GIB_HOUR)
    gib = memory / GIB
    if resource.type in _BATCH:
        return _batch(resource, ctx, cpu, gib, cpu_hour, memory_hour)
    pods, what = _pods(resource, ctx)
    hours = Decimal(repr(pods)) * HOURS_PER_MONTH
    components = [
        CostComponent(f"CPU requests ({_n(cpu)} vCPU x {_n(pods)} {what})", "vCPU-hours",
                      float(cpu * hours), cpu_hour),
        CostComponent(f"Memory requests ({_n(gib)} GiB x {_n(pods)} {what})", "GiB-hours",
                      float(gib * hours), memory_hour),
    ]
    gpus = pod_gpus(spec)
    claimed = claimed_gpus(spec, resource.namespace, ctx)
    if claimed:
        ctx.notes.append(f"{_n(claimed)} GPU(s) from Dynamic Resource Allocation claims")
        gpus += claimed
    if gpus:
        gpu_hour = number(ctx.settings.kubernetes.get("gpu_hour"), "settings.kubernetes.gpu_hour", DEFAULT_GPU_HOUR)
        components.append(CostComponent(f"GPUs ({_n(gpus)} x {_n(pods)} {what})", "GPU-hours",
                                        float(gpus * hours), gpu_hour))
    if resource.type == "StatefulSet":
        components.extend(_claim_templates(obj, ctx, pods))
    return components


def persistent_volume_claim(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    """The requested storage x its storage class's price per GB-month."""
    spec = resource.attrs.get("spec")
    return [_claim(spec if isinstance(spec, Mapping) else {}, ctx, None, "Volume")]


def node_pool(resource: Resource, ctx: PricingContext) -> list[CostComponent]:
    """A Karpenter NodePool: nothing monthly, its limits at full scale (pricing/karpenter)."""
    from guardrails.pricing.karpenter import nodepool

    return nodepool(resource, ctx, _rate(ctx, "cpu_hour", DEFAULT_CPU_HOUR),
                    _rate(ctx, "memory_gib_hour", DEFAULT_MEMORY_GIB_HOUR))


def _rate(ctx: PricingContext, key: str, default: float) -> float:
    return number(ctx.settings.kubernetes.get(key), f"settings.kubernetes.{key}", default)


class _Models(dict):
    """The models by kind, and `workload` for the kinds of settings.kubernetes.workloads."""

    def get(self, kind: Any, default: Any = None) -> Any:
        found = super().get(kind)
        if found is None and isinstance(kind, str) and custom_replicas_path(kind) is not None:
            return workload
        return found if found is not None else default


MODELS: dict[str, Callable[[Resource, PricingContext], list[CostComponent]]] = _Models({
    **{kind: workload for kind in POD_SPEC_PATHS},
    "PersistentVolumeClaim": persistent_volume_claim,
    "NodePool": node_pool,
})

# The Terraform kubernetes provider's types that bill nothing by themselves: objects that only
# configure the cluster (access, policy, configuration, metadata). Its workloads
# (kubernetes_deployment, ..., kubernetes_persistent_volume_claim) and kubernetes_manifest do
# cost, and stay "not modelled" until their pod specs are read; kubernetes_service is left out
# too, since a Service of type LoadBalancer makes the cloud bill a load balancer.
_FREE_OBJECTS = (
    "namespace", "secret", "config_map", "service_account", "role", "role_binding", "cluster_role",
    "cluster_role_binding", "network_policy", "limit_range", "resource_quota", "priority_class",
    "storage_class", "labels", "annotations", "env", "config_map_data", "secret_data",
    "default_service_account", "pod_disruption_budget", "horizontal_pod_autoscaler",
    "ingress_class", "runtime_class", "csi_driver", "mutating_webhook_configuration",
    "validating_webhook_configuration", "certificate_signing_request", "token_request",
    "endpoints", "endpoint_slice", "node_taint", "api_service", "ingress",
)
FREE_TYPES: frozenset[str] = frozenset(
    name for obj in _FREE_OBJECTS for name in (f"kubernetes_{obj}", f"kubernetes_{obj}_v1", f"kubernetes_{obj}_v2",
                                                f"kubernetes_{obj}_v2beta2"))


def pod_gpus(spec: Mapping[str, Any]) -> Decimal:
    """The GPUs a pod holds: each container's GPU limit (or request; Kubernetes needs them equal),
    summed, the larger of that and any one init container's."""
    def gpus(container: Mapping[str, Any]) -> Decimal:
        settings = container.get("resources") if isinstance(container.get("resources"), Mapping) else {}
        total = Decimal(0)
        for name in GPU_RESOURCES:
            for section in ("limits", "requests"):
                values = settings.get(section)
                if isinstance(values, Mapping) and values.get(name) is not None:
                    try:
                        total += parse_quantity(values[name])
                    except QuantityError as exc:
                        raise Unpriced(f"container {_name(container)} {section}.{name}: {exc}") from None
                    break
        return total
    apps = sum((gpus(c) for c in _containers(spec, "containers")), Decimal(0))
    inits = [gpus(c) for c in _containers(spec, "initContainers")]
    return max([apps, *inits])


def pod_requests(spec: Mapping[str, Any], notes: list[str],
                 defaults: Mapping[tuple[str, str], LimitRangeDefault] | None = None) -> tuple[Decimal, Decimal]:
    """The pod's effective (CPU cores, memory bytes) requests; Unpriced when nothing is requested.

    A request the container leaves out is filled from its namespace's LimitRange (`defaults`),
    as the API server does when the pod is created. Pod-level resources (`spec.resources`,
    Kubernetes 1.34) are the pod's request where they set one (a limit alone is the request).
    """
    pod_level = _pod_level(spec)
    if pod_level["cpu"] is not None and pod_level["memory"] is not None:
        notes.append("pod-level resources (spec.resources) set the pod's requests")
        return pod_level["cpu"], pod_level["memory"]
    defaults = defaults or {}
    found = False
    totals = []
    for resource in ("cpu", "memory"):
        sidecars = Decimal(0)
        init_peak = Decimal(0)
        peak_from = ""
        for container in _containers(spec, "initContainers"):
            request = _request(container, resource, defaults, notes)
            found = found or request is not None
            if container.get("restartPolicy") == "Always":
                sidecars += request or 0  # a native sidecar keeps running next to the app
            elif (request or 0) + sidecars > init_peak:
                init_peak, peak_from = (request or 0) + sidecars, _name(container)
        apps = sidecars
        for container in _containers(spec, "containers"):
            request = _request(container, resource, defaults, notes)
            found = found or request is not None
            apps += request or 0
        if init_peak > apps:
            notes.append(f"the {resource} request of init container {peak_from} is above the app "
                         f"containers': it sets the pod's request (Kubernetes takes the larger)")
        if pod_level[resource] is not None:
            notes.append(f"the pod-level {resource} request (spec.resources) sets the pod's")
            totals.append(pod_level[resource])
            found = True
            continue
        totals.append(max(init_peak, apps))
    if not found:
        raise Unpriced("no resource requests to price")
    for list_name in ("initContainers", "containers"):
        for container in _containers(spec, list_name):
            missing = [r for r in ("cpu", "memory") if _request(container, r, defaults, []) is None]
            if len(missing) == 2:
                notes.append(f"container {_name(container)} has no requests: not priced")
            elif missing:
                notes.append(f"container {_name(container)} has no {missing[0]} request: "
                             f"its {missing[0]} is not priced")
    return totals[0], totals[1]


def _pod_level(spec: Mapping[str, Any]) -> dict[str, Decimal | None]:
    """The pod-level request of cpu and memory (`spec.resources`), None where it sets none."""
    found: dict[str, Decimal | None] = {"cpu": None, "memory": None}
    settings = spec.get("resources")
    if not isinstance(settings, Mapping):
        return found
    for resource in found:
        for section in ("requests", "limits"):
            values = settings.get(section)
            if isinstance(values, Mapping) and values.get(resource) is not None:
                try:
                    found[resource] = parse_quantity(values[resource])
                except QuantityError as exc:
                    raise Unpriced(f"pod resources.{section}.{resource}: {exc}") from None
                break
    return found


def _request(container: Mapping[str, Any], resource: str,
             defaults: Mapping[tuple[str, str], LimitRangeDefault], notes: list[str]) -> Decimal | None:
    """The container's request for `resource`: the request, else the limit, else the LimitRange's."""
    settings = container.get("resources")
    if is_unknown(settings):
        raise Unpriced(f"container {_name(container)} resources cannot be evaluated: {settings.reason}")
    if settings is not None and not isinstance(settings, Mapping):
        raise Unpriced(f"container {_name(container)} resources is not a mapping")
    settings = settings or {}
    for section in ("requests", "limits"):
        values = settings.get(section)
        if is_unknown(values):
            raise Unpriced(f"container {_name(container)} resources.{section} cannot be evaluated: {values.reason}")
        if values is not None and not isinstance(values, Mapping):
            raise Unpriced(f"container {_name(container)} resources.{section} is not a mapping")
        if isinstance(values, Mapping) and values.get(resource) is not None:
            try:
                value = parse_quantity(values[resource])
            except QuantityError as exc:
                raise Unpriced(f"container {_name(container)} {section}.{resource}: {exc}") from None
            if value < 0:
                raise Unpriced(f"container {_name(container)} {section}.{resource} is negative")
            return value
    default = defaults.get(("requests", resource))
    if default is None:
        return None
    try:
        value = parse_quantity(default.value)
    except QuantityError as exc:
        raise Unpriced(f"{default.source} defaultRequest.{resource}: {exc}") from None
    note = f"container {_name(container)}: {resource} request {default.value} from {default.source}"
    if note not in notes:
        notes.append(note)
    return value


def _pods(resource: Resource, ctx: PricingContext) -> tuple[float, str]:
    """How many pods run all month, and what to call them in a component's name."""
    if resource.type == "Pod":
        return 1, "pod"
    if resource.type == "DaemonSet":
        usage = ctx.usage.get(resource, "nodes")
        if usage is not None:
            ctx.notes.append("one pod on each of the usage file's nodes")
            return number(usage, "usage nodes"), "nodes"
        nodes = number(ctx.settings.kubernetes.get("daemonset_nodes"),
                       "settings.kubernetes.daemonset_nodes", DEFAULT_DAEMONSET_NODES)
        ctx.notes.append(f"one pod on each of {_n(nodes)} node(s) (settings.kubernetes.daemonset_nodes "
                         f"or the usage key nodes)")
        return nodes, "nodes"
    custom = custom_replicas_path(resource.type)
    usage = ctx.usage.get(resource, "replicas") if custom is None else None
    if custom is not None:
        return _custom_pods(resource, custom), "replicas" if custom else "pod"
    if usage is not None:
        ctx.notes.append("replicas from the usage file")
        replicas = number(usage, "usage replicas")
    elif resource.type == KNATIVE_SERVICE:
        return _knative_pods(resource, ctx), "replicas"
    else:
        spec = resource.attrs.get("spec")
        replicas = number(spec.get("replicas") if isinstance(spec, Mapping) else None, "spec.replicas", 1)
    cap, what = _replica_cap(resource, ctx)
    return ctx.scaled(replicas, cap, what), "replicas"


def _custom_pods(resource: Resource, path: str) -> float:
    """The replicas of a kind of settings.kubernetes.workloads, at the path the policy gives."""
    if not path:
        return 1
    node: Any = resource.attrs
    for step in path.split("."):
        node = node.get(step) if isinstance(node, Mapping) else None
    return number(node, path, 1)


def _knative_pods(resource: Resource, ctx: PricingContext) -> float:
    """A Knative Service runs its min-scale replicas at least (0 by default: it scales to zero
    when idle), and at most max-scale (unbounded when unset or 0)."""
    spec = resource.attrs.get("spec")
    template = spec.get("template") if isinstance(spec, Mapping) else None
    metadata = template.get("metadata") if isinstance(template, Mapping) else None
    annotations = metadata.get("annotations") if isinstance(metadata, Mapping) else None
    annotations = annotations if isinstance(annotations, Mapping) else {}
    low = next((annotations[k] for k in KNATIVE_MIN if k in annotations), 0)
    high = next((annotations[k] for k in KNATIVE_MAX if k in annotations), None)
    replicas = number(low, "autoscaling.knative.dev/min-scale", 0)
    if not replicas:
        ctx.notes.append("min-scale 0: it scales to zero when idle; the usage key replicas prices its traffic")
    if high is None or number(high, "autoscaling.knative.dev/max-scale", 0) == 0:
        return ctx.scaled(replicas, Unknown("max-scale is not set: Knative may scale without bound"),
                          "autoscaling.knative.dev/max-scale")
    return ctx.scaled(replicas, high, "autoscaling.knative.dev/max-scale")


# KEDA's default maxReplicaCount (keda.sh docs, ScaledObject specification).
KEDA_DEFAULT_MAX_REPLICAS = 100


def _replica_cap(resource: Resource, ctx: PricingContext) -> tuple[Any, str]:
    """The most replicas an autoscaler of the scanned manifests may run the workload at: a
    HorizontalPodAutoscaler's maxReplicas, or a KEDA ScaledObject's maxReplicaCount (100 when
    unset), whichever targets it (same namespace, kind and name); (None, "") when none does."""
    metadata = resource.attrs.get("metadata")
    name = metadata.get("name") if isinstance(metadata, Mapping) else None
    caps: list[tuple[Any, str]] = []
    for scaler in ctx.of_type("HorizontalPodAutoscaler", "ScaledObject"):
        spec = scaler.attrs.get("spec")
        target = spec.get("scaleTargetRef") if isinstance(spec, Mapping) else None
        if scaler.namespace != resource.namespace or not isinstance(target, Mapping):
            continue
        keda = scaler.type == "ScaledObject"
        if target.get("name") != name or target.get("kind", "Deployment" if keda else None) != resource.type:
            continue
        if keda:
            caps.append((spec.get("maxReplicaCount", KEDA_DEFAULT_MAX_REPLICAS), f"{scaler.address} maxReplicaCount"))
        else:
            caps.append((spec.get("maxReplicas"), f"{scaler.address} maxReplicas"))
    if not caps:
        return None, ""
    # Two autoscalers on one workload fight each other; the larger cap is what it may reach.
    known = [c for c in caps if isinstance(c[0], (int, float)) and not isinstance(c[0], bool)]
    return max(known, key=lambda c: c[0]) if len(known) == len(caps) else caps[0]


def _batch(resource: Resource, ctx: PricingContext, cpu: Decimal, gib: Decimal, cpu_hour: float,
           memory_hour: float) -> list[CostComponent]:
    """Job and CronJob pods, for the hours the usage file says they run."""
    job = resource.attrs.get("spec")
    if resource.type == "CronJob":
        template = job.get("jobTemplate") if isinstance(job, Mapping) else None
        job = template.get("spec") if isinstance(template, Mapping) else None
    parallelism = job.get("parallelism") if isinstance(job, Mapping) else None
    pods = Decimal(repr(number(parallelism, "spec.parallelism", 1)))
    runs_given = ctx.usage.get(resource, "monthly_runs")
    default_runs = 1 if resource.type == "Job" else 0
    runs = Decimal(repr(number(runs_given, "usage monthly_runs", default_runs)))
    run_hours = Decimal(repr(number(ctx.usage.get(resource, "run_hours"), "usage run_hours", 0)))
    hours = pods * runs * run_hours
    shape = f"x {_n(pods)} pods x {_n(runs)} runs x {_n(run_hours)} h"
    return [
        CostComponent(f"CPU requests ({_n(cpu)} vCPU {shape})", "vCPU-hours", float(cpu * hours),
                      cpu_hour, usage_based=True),
        CostComponent(f"Memory requests ({_n(gib)} GiB {shape})", "GiB-hours", float(gib * hours),
                      memory_hour, usage_based=True),
    ]


def _claim_templates(obj: Mapping[str, Any], ctx: PricingContext, replicas: float) -> list[CostComponent]:
    spec = obj.get("spec")
    templates = spec.get("volumeClaimTemplates") if isinstance(spec, Mapping) else None
    components = []
    for template in templates if isinstance(templates, list) else []:
        if not isinstance(template, Mapping):
            continue
        metadata = template.get("metadata")
        name = metadata.get("name") if isinstance(metadata, Mapping) else None
        claim = template.get("spec")
        components.append(_claim(claim if isinstance(claim, Mapping) else {}, ctx, replicas,
                                 f"Volume {name or 'claim'}"))
    return components


def _claim(spec: Mapping[str, Any], ctx: PricingContext, replicas: float | None, label: str) -> CostComponent:
    """One claim, or one per replica of a StatefulSet (`replicas` not None)."""
    resources = spec.get("resources")
    requests = resources.get("requests") if isinstance(resources, Mapping) else None
    raw = requests.get("storage") if isinstance(requests, Mapping) else None
    if raw is None:
        raise Unpriced("spec.resources.requests.storage is not set")
    try:
        size = parse_quantity(raw)
    except QuantityError as exc:
        raise Unpriced(f"spec.resources.requests.storage: {exc}") from None
    if size < 0:
        raise Unpriced("spec.resources.requests.storage is negative")
    storage_class = spec.get("storageClassName")
    if storage_class == "":
        raise Unpriced('storageClassName "" binds a pre-provisioned PersistentVolume: priced where it '
                       'is provisioned')
    key = "default" if storage_class is None else str(storage_class)
    classes = ctx.settings.kubernetes.get("storage_classes") or {}
    if key not in classes:
        if storage_class is None:
            raise Unpriced("no storageClassName (the cluster's default class): give its price as "
                           "settings.kubernetes.storage_classes.default")
        raise Unpriced(f"storage class {key} has no price in settings.kubernetes.storage_classes")
    price = number(classes[key], f"settings.kubernetes.storage_classes.{key}")
    gib = size / GIB
    if replicas is None:
        return CostComponent(f"{label} ({key}, {_n(gib)} GiB)", "GB-months", float(gib), price)
    return CostComponent(f"{label} ({key}, {_n(gib)} GiB x {_n(replicas)} replicas)", "GB-months",
                         float(gib * Decimal(repr(replicas))), price)


def _containers(spec: Mapping[str, Any], list_name: str) -> list[Mapping[str, Any]]:
    items = spec.get(list_name)
    return [c for c in items if isinstance(c, Mapping)] if isinstance(items, list) else []


def _name(container: Mapping[str, Any]) -> str:
    name = container.get("name")
    return name if isinstance(name, str) and name else "<unnamed>"


def _n(value: Decimal | float) -> str:
    """A number for a component's name: 0.5, 3, 1.5 (at most six significant digits)."""
    return f"{float(value):g}"
