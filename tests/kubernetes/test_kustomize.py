"""Kustomize rendered natively: overlays applied, inputs never objects of their own, places kept."""
import json

from guardrails.files.trees import DiskTree
from guardrails.app.scan import load_paths

from conftest import run, write_tree

DEPLOYMENT = '''
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels:
    app: api
spec:
  replicas: 1
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
        - name: api
          image: registry.example/api:1.0
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
        - name: sidecar
          image: registry.example/proxy:2.0
'''
BASE = {
    "base/kustomization.yaml": "resources:\n  - deployment.yaml\n  - service.yaml\n",
    "base/deployment.yaml": DEPLOYMENT,
    "base/service.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  ports:\n    - port: 80\n",
}
PROD = {
    "prod/kustomization.yaml": '''
resources:
  - ../base
namespace: shop
namePrefix: prod-
commonLabels:
  team: payments
commonAnnotations:
  owner: payments@example.com
images:
  - name: registry.example/api
    newTag: "1.4"
replicas:
  - name: api
    count: 6
patches:
  - path: resources.yaml
  - target:
      kind: Deployment
      name: api
    patch: |-
      - op: add
        path: /spec/template/spec/priorityClassName
        value: high
''',
    "prod/resources.yaml": '''
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          resources:
            requests:
              cpu: "2"
            limits:
              memory: 4Gi
''',
}


def _load(root, paths=("",)):
    return load_paths(DiskTree(root), list(paths))


def _by_address(loaded):
    return {r.address: r for r in loaded.resources}


def test_an_overlay_is_rendered_as_kustomize_renders_it(tmp_path):
    write_tree(tmp_path, {**BASE, **PROD})
    loaded = _load(tmp_path)
    assert loaded.errors == []
    resources = _by_address(loaded)
    # The base is used by prod: not a root, and its files are not objects of their own.
    assert sorted(resources) == ["Deployment/shop/prod-api", "Service/shop/prod-api"]
    api = resources["Deployment/shop/prod-api"]
    spec = api.attrs["spec"]
    assert spec["replicas"] == 6
    assert spec["selector"]["matchLabels"] == {"app": "api", "team": "payments"}
    assert spec["template"]["metadata"]["labels"]["team"] == "payments"
    assert api.attrs["metadata"]["annotations"] == {"owner": "payments@example.com"}
    pod = spec["template"]["spec"]
    assert pod["priorityClassName"] == "high"
    api_container, sidecar = pod["containers"]
    assert api_container["image"] == "registry.example/api:1.4" and sidecar["image"] == "registry.example/proxy:2.0"
    # Merged by container name: the patch's cpu, the base's memory request, the patch's limit.
    assert api_container["resources"] == {"requests": {"cpu": "2", "memory": "128Mi"}, "limits": {"memory": "4Gi"}}
    # Each value points where it was written.
    assert api.location.file == "base/deployment.yaml"
    assert api.place_of("spec.template.spec.containers[api].resources.requests.cpu") == ("prod/resources.yaml", 12)
    assert api.place_of("spec.template.spec.containers[api].resources.requests.memory") == ("base/deployment.yaml", 23)
    assert api.place_of("spec.replicas") == ("prod/kustomization.yaml", 14)
    assert api.place_of("spec.template.spec.priorityClassName")[0] == "prod/kustomization.yaml"
    assert api.root == "prod"


def test_findings_point_at_the_patch_that_wrote_the_value(tmp_path):
    write_tree(tmp_path, {**BASE, **PROD, "p.yaml": '''
version: 1
rules:
  - id: limits
    type: k8s-resources
    require: [limits.cpu]
'''})
    code, out, _ = run(["check", ".", "--policy", "p.yaml", "--format", "json"], tmp_path)
    findings = [f for f in json.loads(out)["findings"] if f["rule"] == "limits"]
    assert {(f["resource"], f["file"]) for f in findings} == {
        ("Deployment/shop/prod-api", "prod/resources.yaml"), ("Deployment/shop/prod-api", "base/deployment.yaml")}


def test_a_base_given_explicitly_is_rendered_as_given(tmp_path):
    write_tree(tmp_path, {**BASE, **PROD})
    resources = _by_address(_load(tmp_path, ["base/kustomization.yaml"]))
    assert sorted(resources) == ["Deployment/default/api", "Service/default/api"]
    assert resources["Deployment/default/api"].attrs["spec"]["replicas"] == 1


def test_legacy_fields_components_and_notes(tmp_path):
    write_tree(tmp_path, {**BASE,
        "dev/kustomization.yaml": '''
bases:
  - ../base
  - github.com/acme/infra//base?ref=v1
components:
  - ../debug
patchesStrategicMerge:
  - smaller.yaml
patchesJson6902:
  - target:
      group: apps
      version: v1
      kind: Deployment
      name: api
    path: ops.yaml
nameSuffix: -dev
helmCharts:
  - name: redis
configMapGenerator:
  - name: settings
    literals: [LEVEL=debug]
''',
        "dev/smaller.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 0\n",
        "dev/ops.yaml": "- op: replace\n  path: /spec/template/spec/containers/1/image\n  value: proxy:dev\n",
        "debug/kustomization.yaml": '''
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
resources:
  - debug-pod.yaml
patches:
  - patch: |-
      apiVersion: v1
      kind: Service
      metadata:
        name: api
      $patch: delete
''',
        "debug/debug-pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\nspec:\n  containers:\n    - name: sh\n      image: busybox\n",
    })
    loaded = _load(tmp_path)
    assert loaded.errors == []
    resources = _by_address(loaded)
    assert sorted(resources) == ["ConfigMap/default/settings-dev", "Deployment/default/api-dev", "Pod/default/debug-dev"]
    api = resources["Deployment/default/api-dev"].attrs
    assert api["spec"]["replicas"] == 0
    assert api["spec"]["template"]["spec"]["containers"][1]["image"] == "proxy:dev"
    notes = " ".join(n.message for n in loaded.notes)
    assert "remote resource 'github.com/acme/infra//base?ref=v1' is not rendered" in notes
    assert "helmCharts is not rendered" in notes


def test_bad_kustomizations_are_errors_at_their_lines_and_the_rest_is_rendered(tmp_path):
    write_tree(tmp_path, {**BASE,
        "prod/kustomization.yaml": '''
resources:
  - ../base
  - missing.yaml
  - ../loop
patches:
  - path: nothing.yaml
  - target:
      kind: Deployment
      name: api
    patch: |-
      - op: replace
        path: /spec/nothing/here
        value: 1
      - op: replace
        path: /spec/replicas
        value: 3
''',
        "prod/nothing.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: other\nspec:\n  replicas: 9\n",
        "loop/kustomization.yaml": "resources:\n  - ../loop2\n",
        "loop2/kustomization.yaml": "resources:\n  - ../loop\n",
    })
    loaded = _load(tmp_path, ["prod"])
    errors = sorted((e.file, e.line, e.message) for e in loaded.errors)
    assert ("prod/kustomization.yaml", 3, "resource 'missing.yaml' does not exist") in errors
    assert any(file == "loop2/kustomization.yaml" and "cycle" in message for file, _, message in errors)
    assert ("prod/nothing.yaml", 1, "patch matches no resource (kind=Deployment, name=other)") in errors
    assert any(file == "prod/kustomization.yaml" and line == 11 and "/spec/nothing does not exist" in message
               for file, line, message in errors), errors
    # The operation after the one that failed still applies.
    assert _by_address(loaded)["Deployment/default/api"].attrs["spec"]["replicas"] == 3
    code, _, err = run(["check", "prod"], tmp_path)
    assert code == 2 and "Traceback" not in err


def test_two_overlays_of_one_base_are_two_roots(tmp_path):
    write_tree(tmp_path, {**BASE, **PROD,
                          "stage/kustomization.yaml": "resources:\n  - ../base\nnamespace: stage\n"})
    resources = _load(tmp_path).resources
    assert sorted((r.address, r.root) for r in resources if r.type == "Deployment") == [
        ("Deployment/shop/prod-api", "prod"), ("Deployment/stage/api", "stage")]


def _git(cwd, *args):
    import subprocess

    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.com", "PATH": "/usr/bin:/bin", "HOME": str(cwd)})


def test_a_diff_that_changes_only_a_patch_prices_the_overlay_as_applied(tmp_path):
    write_tree(tmp_path, {**BASE, **PROD})
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "base")
    patch = (tmp_path / "prod/resources.yaml").read_text().replace('cpu: "2"', 'cpu: "4"')
    (tmp_path / "prod/resources.yaml").write_text(patch)
    code, out, err = run(["diff", "--base", "HEAD", "--format", "json"], tmp_path)
    assert code in (0, 1), err
    lines = {r["address"]: r for r in json.loads(out)["cost"]["resources"]}
    assert set(lines) <= {"Deployment/shop/prod-api", "Service/shop/prod-api"}  # never the patch as an object
    api = lines["Deployment/shop/prod-api"]["monthly"]
    assert api["after"] > api["before"] > 0  # 6 replicas at 4 CPUs instead of 2


def test_an_object_two_kustomizations_render_unchanged_is_one_finding(tmp_path):
    write_tree(tmp_path, {**BASE, "install/kustomization.yaml": "resources:\n  - ../base\n",
                          "install-ha/kustomization.yaml": "resources:\n  - ../base\n"})
    code, out, _ = run(["check", ".", "--format", "json"], tmp_path)
    sidecar = [f for f in json.loads(out)["findings"] if "sidecar" in f["message"]]
    assert len(sidecar) == 1 and sidecar[0]["file"] == "base/deployment.yaml"


def test_a_kustomization_that_doubles_at_every_level_is_bounded(tmp_path):
    files = {"k0/kustomization.yaml": "resources:\n  - pod.yaml\n",
             "k0/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n"}
    for level in range(1, 25):
        files[f"k{level}/kustomization.yaml"] = f"resources:\n  - ../k{level - 1}\n  - ../k{level - 1}\n"
    write_tree(tmp_path, files)
    loaded = _load(tmp_path, ["k24/kustomization.yaml"])
    assert any("more than 2,000 kustomizations" in e.message for e in loaded.errors)


def test_patch_targets_select_by_labels_as_kubectl_reads_selectors(tmp_path):
    write_tree(tmp_path, {**BASE, "k/kustomization.yaml": '''
resources:
  - ../base
patches:
  - target:
      labelSelector: "app=api,tier!=db,!legacy"
    patch: |-
      - op: replace
        path: /metadata/name
        value: picked
  - target:
      kind: Service
      labelSelector: "app==nothing"
    patch: |-
      - op: replace
        path: /metadata/name
        value: never
'''})
    loaded = _load(tmp_path, ["k"])
    assert sorted(_by_address(loaded)) == ["Deployment/default/picked", "Service/default/api"]
    assert any("patch matches no resource" in e.message for e in loaded.errors)
