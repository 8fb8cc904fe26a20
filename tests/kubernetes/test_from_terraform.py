"""Kubernetes workloads declared through Terraform are checked and priced like the manifests they describe."""
import json
import shutil

from conftest import FIXTURES, run


def _repo(tmp_path):
    shutil.copy(FIXTURES / "terraform_workloads.tf", tmp_path / "main.tf")
    return tmp_path


def test_provider_resources_become_the_objects_they_declare(tmp_path):
    from guardrails.app.scan import load_paths
    from guardrails.files.trees import DiskTree

    resources = {r.address: r for r in load_paths(DiskTree(_repo(tmp_path)), [""]).resources}
    api = resources["kubernetes_deployment_v1.api"]
    assert (api.kind, api.type, api.namespace) == ("kubernetes", "Deployment", "shop")
    spec = api.attrs["spec"]
    assert spec["replicas"] == 3 and spec["selector"] == {"matchLabels": {"app": "api"}}
    pod = spec["template"]["spec"]
    assert [c["name"] for c in pod["containers"]] == ["api"] and [c["name"] for c in pod["initContainers"]] == ["migrate"]
    assert pod["containers"][0]["resources"] == {"requests": {"cpu": "500m", "memory": "512Mi"}, "limits": {"memory": "1Gi"}}
    assert pod["containers"][0]["ports"] == [{"containerPort": 8080}]
    assert api.attrs["metadata"]["labels"] == {"app.kubernetes.io/name": "api"}  # user keys never renamed
    assert api.line_of("spec.template.spec.initContainers[migrate]") == 28
    assert resources["kubernetes_manifest.job"].type == "Job"
    assert resources["kubectl_manifest.cron"].type == "CronJob"
    assert resources["kubectl_manifest.cron"].namespace == "default"


def test_they_are_judged_and_priced_like_manifests(tmp_path):
    _repo(tmp_path)
    code, out, _ = run(["check", ".", "--format", "json"], tmp_path)
    judged = {(f["resource"], f["line"]) for f in json.loads(out)["findings"] if f["type"] == "k8s-resources"}
    assert ("kubernetes_deployment_v1.api", 28) in judged and ("kubectl_manifest.cron", 44) in judged
    code, out, _ = run(["cost", ".", "--format", "json"], tmp_path)
    lines = {r["address"]: r for r in json.loads(out)["cost"]["resources"]}
    # 3 replicas x (0.5 vCPU, 0.5 GiB) at OpenCost's default rates
    assert lines["kubernetes_deployment_v1.api"]["monthly"]["after"] == round(3 * 730 * (0.5 * 0.031611 + 0.5 * 0.004237), 2)


def test_a_yaml_body_that_is_not_yaml_is_a_note_not_a_crash(tmp_path):
    (tmp_path / "main.tf").write_text('resource "kubectl_manifest" "x" {\n  yaml_body = "a: [\\n"\n}\n')
    code, out, err = run(["check", ".", "--format", "json"], tmp_path)
    assert code == 0 and "Traceback" not in err
    assert any("yaml_body is not YAML" in n["message"] for n in json.loads(out)["notes"])
