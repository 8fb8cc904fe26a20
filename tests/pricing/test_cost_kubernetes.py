"""Kubernetes cost models: requests x rates from the policy settings, arithmetic spelled out."""
from __future__ import annotations

import pytest

from guardrails.core.model import Location, Resource, round_cents
from guardrails.core.policy import Settings
from guardrails.pricing import kubernetes
from guardrails.core.usage import Usage
from guardrails.pricing.base import PricingContext, Unpriced
from guardrails.pricing.catalog import Catalog

CPU, RAM = 0.031611, 0.004237  # OpenCost's defaults, per vCPU-hour and per GiB-hour


def kube(obj: dict) -> Resource:
    return Resource(address=f"{obj['kind']}/default/{obj['metadata']['name']}", type=obj["kind"],
                    kind="kubernetes", location=Location("k8s.yaml", 1, 20), attrs=obj, provider="kubernetes")


def price(obj: dict, settings: dict | None = None, usage: dict | None = None):
    """(components, monthly rounded to cents, notes), as estimate.py would sum them."""
    ctx = PricingContext(catalog=Catalog(), settings=Settings(kubernetes=settings or {}),
                         usage=Usage(by_type=usage or {}))
    components = kubernetes.MODELS[obj["kind"]](kube(obj), ctx)
    return components, round_cents(sum(c.monthly for c in components)), ctx.notes


def unpriced(obj: dict, settings: dict | None = None) -> str:
    with pytest.raises(Unpriced) as caught:
        price(obj, settings)
    return caught.value.reason


def container(name: str, cpu: str | None = None, memory: str | None = None, section: str = "requests",
              **extra) -> dict:
    values = {k: v for k, v in (("cpu", cpu), ("memory", memory)) if v is not None}
    return {"name": name, "image": "app:1", **({"resources": {section: values}} if values else {}), **extra}


def workload(kind: str, containers: list, init: list | None = None, **spec) -> dict:
    pod = {"containers": containers, **({"initContainers": init} if init else {})}
    if kind == "Pod":
        return {"apiVersion": "v1", "kind": kind, "metadata": {"name": "web"}, "spec": pod}
    if kind == "CronJob":
        body = {"schedule": "0 3 * * *", "jobTemplate": {"spec": {**spec, "template": {"spec": pod}}}}
    else:
        body = {**spec, "template": {"spec": pod}}
    return {"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": "web"}, "spec": body}


# --- replicated workloads --------------------------------------------------------------------

def test_deployment_replicas_times_requests_at_default_rates():
    obj = workload("Deployment", [container("api", "500m", "256Mi")], replicas=3)
    components, monthly, _ = price(obj)
    assert [(c.name, c.unit, c.quantity, c.unit_price, c.usage_based) for c in components] == [
        ("CPU requests (0.5 vCPU x 3 replicas)", "vCPU-hours", 0.5 * 3 * 730, CPU, False),
        ("Memory requests (0.25 GiB x 3 replicas)", "GiB-hours", 0.25 * 3 * 730, RAM, False),
    ]
    assert monthly == round(0.5 * 3 * 730 * 0.031611 + 0.25 * 3 * 730 * 0.004237, 2) == 36.93


def test_rates_come_from_settings():
    obj = workload("Deployment", [container("api", "2", "4Gi")])
    _, monthly, _ = price(obj, {"cpu_hour": 0.04, "memory_gib_hour": 0.005})
    assert monthly == round(2 * 1 * 730 * 0.04 + 4 * 1 * 730 * 0.005, 2) == 73.00


def test_replicas_default_to_one_and_containers_add_up():
    obj = workload("StatefulSet", [container("api", "250m", "512Mi"), container("log", "250m", "512Mi")])
    components, monthly, _ = price(obj)
    assert components[0].name == "CPU requests (0.5 vCPU x 1 replicas)"
    assert monthly == round(0.5 * 730 * 0.031611 + 1 * 730 * 0.004237, 2) == 14.63


def test_zero_replicas_cost_nothing():
    _, monthly, _ = price(workload("Deployment", [container("api", "1", "1Gi")], replicas=0))
    assert monthly == 0


def test_usage_replicas_override_spec_replicas():
    obj = workload("Deployment", [container("api", "1", "1Gi")], replicas=2)
    components, monthly, notes = price(obj, usage={"Deployment": {"replicas": 5}})
    assert components[0].quantity == 1 * 5 * 730
    assert monthly == round(5 * 730 * 0.031611 + 5 * 730 * 0.004237, 2) == 130.85
    assert "replicas from the usage file" in notes


def test_pod_is_one_replica():
    components, monthly, _ = price(workload("Pod", [container("api", "1", "2Gi")]))
    assert components[0].name == "CPU requests (1 vCPU x 1 pod)"
    assert monthly == round(730 * 0.031611 + 2 * 730 * 0.004237, 2) == 29.26


def test_daemonset_runs_on_settings_nodes_or_usage_nodes():
    obj = workload("DaemonSet", [container("agent", "100m", "128Mi")])
    components, monthly, _ = price(obj)
    assert components[0].quantity == 0.1 * 1 * 730  # daemonset_nodes defaults to 1
    _, monthly, _ = price(obj, {"daemonset_nodes": 4})
    assert monthly == round(0.1 * 4 * 730 * 0.031611 + 0.125 * 4 * 730 * 0.004237, 2) == 10.78
    components, monthly, _ = price(obj, {"daemonset_nodes": 4}, {"DaemonSet": {"nodes": 10}})
    assert components[1].name == "Memory requests (0.125 GiB x 10 nodes)"
    assert monthly == round(0.1 * 10 * 730 * 0.031611 + 0.125 * 10 * 730 * 0.004237, 2) == 26.94


# --- requests: limits, init containers, sidecars, missing requests ---------------------------

def test_limit_stands_in_for_a_missing_request():
    obj = workload("Deployment", [container("api", "1", "1Gi", section="limits")])
    _, monthly, _ = price(obj)
    assert monthly == round(730 * 0.031611 + 730 * 0.004237, 2) == 26.17


def test_init_container_larger_than_the_app_sets_the_request():
    obj = workload("Deployment", [container("api", "500m", "256Mi")],
                   init=[container("migrate", "2", "128Mi")])
    components, monthly, notes = price(obj)
    assert components[0].name == "CPU requests (2 vCPU x 1 replicas)"  # max(2, 0.5)
    assert components[1].name == "Memory requests (0.25 GiB x 1 replicas)"  # max(0.125, 0.25)
    assert monthly == round(2 * 730 * 0.031611 + 0.25 * 730 * 0.004237, 2) == 46.93
    assert any("init container migrate" in note for note in notes)


def test_native_sidecars_add_to_the_app_and_to_later_init_containers():
    # migrate: 1 + no sidecar yet = 1; warm: 1.2 + proxy 0.5 = 1.7; app: api 1 + proxy 0.5 = 1.5
    obj = workload("Deployment", [container("api", "1", "1Gi")], init=[
        container("migrate", "1", "1Gi"),
        container("proxy", "500m", "1Gi", restartPolicy="Always"),
        container("warm", "1200m", "512Mi"),
    ])
    components, monthly, _ = price(obj)
    assert components[0].quantity == pytest.approx(1.7 * 730)  # max(1, 1.2 + 0.5, 1 + 0.5)
    assert components[1].quantity == 2 * 730  # max(1, 0.5 + 1, 1 + 1) GiB
    assert monthly == round(1.7 * 730 * 0.031611 + 2 * 730 * 0.004237, 2) == 45.42


def test_a_container_without_requests_is_noted_and_the_others_priced():
    obj = workload("Deployment", [container("api", "1", "1Gi"), container("shell"), container("log", cpu="100m")])
    components, monthly, notes = price(obj)
    assert components[0].quantity == pytest.approx(1.1 * 730)
    assert monthly == round(1.1 * 730 * 0.031611 + 1 * 730 * 0.004237, 2) == 28.48
    assert "container shell has no requests: not priced" in notes
    assert "container log has no memory request: its memory is not priced" in notes


def test_no_requests_at_all_is_unpriced():
    assert unpriced(workload("Deployment", [container("api"), container("log")])) == "no resource requests to price"


def test_a_request_that_is_not_a_quantity_is_unpriced():
    reason = unpriced(workload("Deployment", [container("api", "1", "1GB")]))
    assert reason.startswith("container api requests.memory: '1GB' has an unknown unit")


@pytest.mark.parametrize("resources, reason", [
    ({"requests": [{"cpu": "1"}]}, "container api resources.requests is not a mapping"),
    ({"requests": {"cpu": "1"}, "limits": "2Gi"}, "container api resources.limits is not a mapping"),
    ("lots", "container api resources is not a mapping"),
])
def test_resources_that_are_not_mappings_are_unpriced_with_the_reason(resources, reason):
    assert unpriced(workload("Deployment", [{"name": "api", "image": "api:1", "resources": resources}])) == reason


# --- Job and CronJob: usage-based ------------------------------------------------------------

def test_job_is_usage_based_and_costs_nothing_without_usage():
    components, monthly, _ = price(workload("Job", [container("batch", "2", "4Gi")]))
    assert [(c.name, c.quantity, c.usage_based) for c in components] == [
        ("CPU requests (2 vCPU x 1 pods x 1 runs x 0 h)", 0, True),
        ("Memory requests (4 GiB x 1 pods x 1 runs x 0 h)", 0, True),
    ]
    assert monthly == 0


def test_job_runs_times_hours_times_parallelism_from_usage():
    obj = workload("Job", [container("batch", "2", "4Gi")], parallelism=3)
    components, monthly, _ = price(obj, usage={"Job": {"monthly_runs": 10, "run_hours": 1.5}})
    assert components[0].quantity == 2 * 3 * 10 * 1.5
    assert monthly == round(2 * 3 * 10 * 1.5 * 0.031611 + 4 * 3 * 10 * 1.5 * 0.004237, 2) == 3.61


def test_job_runs_once_when_usage_gives_only_hours():
    _, monthly, _ = price(workload("Job", [container("batch", "2", "4Gi")]), usage={"Job": {"run_hours": 5}})
    assert monthly == round(2 * 1 * 1 * 5 * 0.031611 + 4 * 1 * 1 * 5 * 0.004237, 2) == 0.40


def test_cronjob_runs_zero_times_unless_usage_says():
    obj = workload("CronJob", [container("report", "1", "1Gi")])
    _, monthly, _ = price(obj, usage={"CronJob": {"run_hours": 2}})
    assert monthly == 0
    components, monthly, _ = price(obj, usage={"CronJob": {"monthly_runs": 30, "run_hours": 2}})
    assert all(c.usage_based for c in components)
    assert monthly == round(1 * 30 * 2 * 0.031611 + 1 * 30 * 2 * 0.004237, 2) == 2.15


# --- PersistentVolumeClaim and volumeClaimTemplates ------------------------------------------

def pvc(storage: str, storage_class: str | None = None) -> dict:
    spec: dict = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": storage}}}
    if storage_class is not None:
        spec["storageClassName"] = storage_class
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"}, "spec": spec}


def test_pvc_priced_by_its_storage_class():
    components, monthly, _ = price(pvc("10Gi", "fast"), {"storage_classes": {"fast": 0.17, "slow": 0.04}})
    assert [(c.name, c.unit, c.quantity, c.unit_price) for c in components] == [
        ("Volume (fast, 10 GiB)", "GB-months", 10, 0.17)]
    assert monthly == round(10 * 0.17, 2) == 1.70


def test_pvc_in_decimal_units_is_converted_to_gib():
    components, _, _ = price(pvc("1G", "slow"), {"storage_classes": {"slow": 0.04}})
    assert components[0].quantity == 10**9 / 2**30


def test_pvc_class_without_a_price_is_unpriced():
    reason = unpriced(pvc("10Gi", "premium-rwo"), {"storage_classes": {"fast": 0.17}})
    assert reason == "storage class premium-rwo has no price in settings.kubernetes.storage_classes"


def test_pvc_without_class_uses_the_default_entry():
    _, monthly, _ = price(pvc("100Gi"), {"storage_classes": {"default": 0.10}})
    assert monthly == round(100 * 0.10, 2) == 10.00
    assert "storage_classes.default" in unpriced(pvc("100Gi"))


def test_pvc_binding_a_pre_provisioned_volume_is_unpriced():
    assert "pre-provisioned PersistentVolume" in unpriced(pvc("10Gi", ""), {"storage_classes": {"": 1}})


def test_pvc_without_storage_request_is_unpriced():
    obj = pvc("1Gi", "fast")
    del obj["spec"]["resources"]
    assert unpriced(obj, {"storage_classes": {"fast": 0.17}}) == "spec.resources.requests.storage is not set"


def test_statefulset_volume_claim_templates_are_per_replica():
    obj = workload("StatefulSet", [container("db", "1", "2Gi")], replicas=3)
    obj["spec"]["volumeClaimTemplates"] = [
        {"metadata": {"name": "data"}, "spec": {"storageClassName": "fast",
                                                "resources": {"requests": {"storage": "20Gi"}}}}]
    components, monthly, _ = price(obj, {"storage_classes": {"fast": 0.17}})
    assert components[2].name == "Volume data (fast, 20 GiB x 3 replicas)"
    assert components[2].quantity == 20 * 3
    assert monthly == round(1 * 3 * 730 * 0.031611 + 2 * 3 * 730 * 0.004237 + 20 * 3 * 0.17, 2) == 97.99


def test_statefulset_claim_template_without_a_price_makes_it_unpriced():
    obj = workload("StatefulSet", [container("db", "1", "2Gi")], replicas=3)
    obj["spec"]["volumeClaimTemplates"] = [
        {"metadata": {"name": "data"}, "spec": {"storageClassName": "gp3",
                                                "resources": {"requests": {"storage": "20Gi"}}}}]
    assert unpriced(obj) == "storage class gp3 has no price in settings.kubernetes.storage_classes"


def test_models_registry():
    assert kubernetes.PROVIDER == "kubernetes"
    assert set(kubernetes.MODELS) == {"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
                                      "ReplicationController", "Job", "CronJob", "PersistentVolumeClaim",
                                      "Rollout", "DeploymentConfig", "Service.serving.knative.dev", "NodePool"}


def test_limitrange_default_requests_are_priced_like_the_api_server_fills_them():
    limits = {"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "defaults", "namespace": "default"},
              "spec": {"limits": [{"type": "Container", "defaultRequest": {"cpu": "250m"}, "default": {"memory": "512Mi"}}]}}
    limit_range = Resource(address="LimitRange/default/defaults", type="LimitRange", kind="kubernetes",
                           location=Location("k8s.yaml", 1), attrs=limits, provider="kubernetes", namespace="default")
    obj = workload("Deployment", [container("app")], replicas=2)
    deployment = Resource(address="Deployment/default/web", type="Deployment", kind="kubernetes",
                          location=Location("k8s.yaml", 1), attrs=obj, provider="kubernetes", namespace="default")
    ctx = PricingContext(catalog=Catalog(), resources={r.address: r for r in (limit_range, deployment)})
    components = kubernetes.MODELS["Deployment"](deployment, ctx)
    # cpu from defaultRequest (0.25), memory request from the limit default (512Mi = 0.5 GiB)
    assert round_cents(sum(c.monthly for c in components)) == round_cents(0.25 * 2 * 730 * CPU + 0.5 * 2 * 730 * RAM)
    assert "container app: cpu request 250m from LimitRange/default/defaults" in ctx.notes
