"""The workload kinds teams run: Argo Rollouts, OpenShift DeploymentConfigs, Knative Services;
pod-level resources (Kubernetes 1.34) and GPUs."""
import json
import shutil

from conftest import FIXTURES, run, write_tree

M = 730
CPU, MEM, GPU = 0.031611, 0.004237, 0.95  # OpenCost's defaults


def _cost(tmp_path, name="workload_kinds.yaml"):
    shutil.copy(FIXTURES / name, tmp_path / "w.yaml")
    code, out, err = run(["cost", ".", "--format", "json"], tmp_path)
    assert code in (0, 1), err
    return {r["address"]: r for r in json.loads(out)["cost"]["resources"]}


def test_rollouts_deployment_configs_and_knative_services_are_priced_by_their_replicas(tmp_path):
    lines = _cost(tmp_path)
    assert lines["Rollout/shop/web"]["monthly"]["after"] == round(4 * M * (1 * CPU + 1 * MEM), 2)
    assert lines["DeploymentConfig/shop/legacy"]["monthly"]["after"] == round(2 * M * (0.5 * CPU + 0.5 * MEM), 2)
    knative = lines["Service.serving.knative.dev/shop/fn"]
    assert knative["monthly"]["after"] == round(1 * M * (0.25 * CPU + 0.25 * MEM), 2)  # min-scale 1
    assert knative["worst_case"]["after"] == round(10 * M * (0.25 * CPU + 0.25 * MEM), 2)  # max-scale 10


def test_pod_level_resources_and_gpus(tmp_path):
    train = _cost(tmp_path)["Deployment/ml/train"]
    # spec.resources requests 8 CPUs and 32 GiB for the pod; container t holds 2 GPUs; 2 replicas.
    assert train["monthly"]["after"] == round(2 * M * (8 * CPU + 32 * MEM + 2 * GPU), 2)
    code, out, _ = run(["check", ".", "--format", "json"], tmp_path)
    problems = [f["message"] for f in json.loads(out)["findings"] if f["resource"] == "Deployment/ml/train"
                and f["type"] == "k8s-resources"]
    assert problems == ["container log: limits.memory is not set"]  # the pod-level requests count


def test_a_knative_service_without_max_scale_has_no_known_worst_case(tmp_path):
    write_tree(tmp_path, {"fn.yaml": '''
        apiVersion: serving.knative.dev/v1
        kind: Service
        metadata: {name: fn}
        spec:
          template:
            spec:
              containers:
                - image: fn
                  resources: {requests: {cpu: "1", memory: 1Gi}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: fn}
        spec: {ports: [{port: 80}]}
    '''})
    code, out, _ = run(["cost", ".", "--format", "json"], tmp_path)
    lines = {r["address"]: r for r in json.loads(out)["cost"]["resources"]}
    fn = lines["Service.serving.knative.dev/default/fn"]
    assert fn["monthly"]["after"] == 0 and "scales to zero" in " ".join(fn.get("notes", []))
    assert "max-scale is not set" in (fn["worst_case_unknown"] or "")
    assert "Service/default/fn" not in lines  # the core Service runs nothing


def test_a_karpenter_nodepool_costs_its_limits_at_full_scale_and_its_sizes_are_judged(tmp_path):
    lines = _cost(tmp_path, "karpenter_nodepools.yaml")
    pool = lines["NodePool/default/default"]
    assert pool["monthly"]["after"] == 0  # its nodes are priced through the pods they run
    assert pool["worst_case"]["after"] == round(M * (1000 * CPU + 1000 * MEM), 2)
    assert "no limits" in lines["NodePool/default/unbounded"]["worst_case_unknown"]
    code, out, _ = run(["check", ".", "--format", "json"], tmp_path)
    sizes = sorted(f["message"].split(" ")[0] for f in json.loads(out)["findings"] if f["type"] == "instance-size")
    assert sizes == ["c5.metal", "p4d.24xlarge", "p4d.xlarge"]  # the family x size products and the listed type


def test_a_teams_own_workload_kind_is_judged_and_priced_where_the_policy_says(tmp_path):
    write_tree(tmp_path, {
        "p.yaml": '''
            version: 1
            extends: [builtin:default]
            settings:
              kubernetes:
                gpu_hour: 2.5
                workloads:
                  - kind: WebApp
                    pod_spec: spec.podTemplate.spec
                    replicas: spec.instances
        ''',
        "k8s/app.yaml": '''
            apiVersion: example.com/v1
            kind: WebApp
            metadata: {name: shop}
            spec:
              instances: 3
              podTemplate:
                spec:
                  containers:
                    - name: web
                      image: web
                      resources: {requests: {cpu: "1"}, limits: {nvidia.com/gpu: 1}}
        ''',
    })
    code, out, _ = run(["cost", "k8s", "--policy", "p.yaml", "--format", "json"], tmp_path)
    line = {r["address"]: r for r in json.loads(out)["cost"]["resources"]}["WebApp/default/shop"]
    assert line["monthly"]["after"] == round(3 * M * (1 * CPU + 1 * 2.5), 2)
    code, out, _ = run(["check", "k8s", "--policy", "p.yaml", "--format", "json"], tmp_path)
    assert [f["message"] for f in json.loads(out)["findings"] if f["type"] == "k8s-resources"] == [
        "container web: requests.memory and limits.memory are not set"]
    # Without the setting the kind is nothing we judge or price.
    code, out, _ = run(["check", "k8s", "--format", "json"], tmp_path)
    assert not [f for f in json.loads(out)["findings"] if f["type"] == "k8s-resources"]


def test_a_workload_setting_is_validated(tmp_path):
    write_tree(tmp_path, {"p.yaml": "version: 1\nsettings:\n  kubernetes:\n    workloads:\n      - kind: webapp\n"})
    code, _, err = run(["policy", "validate", "p.yaml"], tmp_path)
    assert code == 2 and "p.yaml:5" in err


def test_gpus_claimed_through_dynamic_resource_allocation_are_priced_as_gpus(tmp_path):
    write_tree(tmp_path, {"k8s.yaml": '''
        apiVersion: resource.k8s.io/v1
        kind: ResourceClaimTemplate
        metadata: {name: two-gpus, namespace: ml}
        spec:
          spec:
            devices:
              requests:
                - name: gpu
                  exactly: {deviceClassName: gpu.nvidia.com, count: 2}
                - name: nic
                  exactly: {deviceClassName: rdma.example.com}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: infer, namespace: ml}
        spec:
          replicas: 1
          template:
            spec:
              resourceClaims:
                - name: gpus
                  resourceClaimTemplateName: two-gpus
              containers:
                - name: server
                  image: server
                  resources:
                    requests: {cpu: "4", memory: 16Gi}
                    claims: [{name: gpus}]
    '''})
    code, out, _ = run(["cost", ".", "--format", "json"], tmp_path)
    line = {r["address"]: r for r in json.loads(out)["cost"]["resources"]}["Deployment/ml/infer"]
    assert line["monthly"]["after"] == round(M * (4 * CPU + 16 * MEM + 2 * GPU), 2)
