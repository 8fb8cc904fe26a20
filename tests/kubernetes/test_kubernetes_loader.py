"""Kubernetes manifests to resources: addresses, lines, lists, suppressions, what is skipped."""
from __future__ import annotations

import textwrap
import time
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from guardrails.kubernetes.manifests import load_manifests
from guardrails.core.model import InputError, Location

FIXTURES = Path(__file__).parent.parent / "fixtures" / "k8s"


def load_fixture(name: str):
    return load_manifests((FIXTURES / name).read_text(), f"k8s/{name}")


def load_text(text: str, file: str = "m.yaml"):
    return load_manifests(textwrap.dedent(text).lstrip("\n"), file)


def test_a_deployment_becomes_one_resource():
    resources, errors, notes = load_fixture("deployment.yaml")
    assert (errors, notes) == ([], [])
    [web] = resources
    assert web.address == "Deployment/shop/web"
    assert (web.type, web.kind, web.provider, web.namespace) == ("Deployment", "kubernetes", "kubernetes", "shop")
    assert web.location == Location("k8s/deployment.yaml", 2, 34)
    assert web.attrs["spec"]["replicas"] == 3
    assert web.attrs["spec"]["template"]["spec"]["containers"][1]["resources"] == {
        "requests": {"cpu": "100m", "memory": "64Mi"}
    }


def test_container_fields_are_keyed_by_container_name_with_their_lines():
    [web], _, _ = load_fixture("deployment.yaml")
    base = "spec.template.spec.containers"
    assert web.lines[f"{base}[api]"] == 22
    assert web.lines[f"{base}[api].resources.requests.cpu"] == 26
    assert web.lines[f"{base}[api].resources.limits.cpu"] == 29
    assert web.lines[f"{base}[api].resources.limits.memory"] == 30
    assert web.lines[f"{base}[proxy].resources.requests.memory"] == 34
    assert web.line_of(f"{base}[proxy].resources.limits.memory") == 33  # closest existing parent
    assert not any(path.startswith(f"{base}[0]") for path in web.lines)


def test_cronjob_containers_sit_under_the_job_template():
    [job], _, _ = load_fixture("cronjob.yaml")
    assert job.address == "CronJob/batch/nightly"
    base = "spec.jobTemplate.spec.template.spec.containers[report]"
    assert job.lines[base] == 14
    assert job.lines[f"{base}.resources.limits.memory"] == 18


def test_init_sidecar_and_ephemeral_containers_are_all_named_in_paths():
    [pod], _, _ = load_fixture("pod-sidecar.yaml")
    assert pod.address == "Pod/default/worker"
    assert pod.namespace == "default"
    assert pod.lines["spec.initContainers[migrate]"] == 7
    assert pod.lines["spec.initContainers[mesh].restartPolicy"] == 11
    assert pod.lines["spec.containers[main].resources.limits.memory"] == 19
    assert pod.lines["spec.ephemeralContainers[debugger]"] == 21


def test_unnamed_containers_keep_their_index():
    [pod], _, _ = load_text("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers:
            - image: a
            - name: b
              image: b
        """)
    assert pod.lines["spec.containers[0].image"] == 6
    assert pod.lines["spec.containers[b].image"] == 8


def test_list_items_are_resources_with_lines_relative_to_the_item():
    resources, errors, notes = load_fixture("list.yaml")
    assert [r.address for r in resources] == ["Namespace/shop", "Deployment/shop/api"]
    namespace, deployment = resources
    assert namespace.namespace == ""
    assert namespace.location == Location("k8s/list.yaml", 4, 7)
    assert namespace.lines["metadata.name"] == 7
    assert deployment.location == Location("k8s/list.yaml", 8, 18)
    assert deployment.lines["spec.template.spec.containers[api].image"] == 18
    assert "items" not in deployment.attrs and deployment.attrs["kind"] == "Deployment"
    assert errors == []
    assert [note.message for note in notes] == [
        "line 19: not a Kubernetes object (no apiVersion and kind), skipped"
    ]


def test_cluster_scoped_kinds_have_no_namespace_in_their_address():
    resources, _, _ = load_text("""
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: fast, namespace: ignored}
        provisioner: ebs.csi.aws.com
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: reader}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: plain}
        """)
    assert [(r.address, r.namespace) for r in resources] == [
        ("StorageClass/fast", ""),
        ("ClusterRole/reader", ""),
        ("ConfigMap/default/plain", "default"),
    ]


def test_anchors_merges_comments_and_empty_documents():
    resources, errors, notes = load_fixture("multi.yaml")
    assert (errors, notes) == ([], [])
    assert [r.address for r in resources] == ["ConfigMap/default/settings", "Pod/default/tiny"]
    pod = resources[1]
    assert pod.attrs["spec"]["containers"][0]["resources"]["limits"] == {"cpu": "200m", "memory": "64Mi"}
    assert pod.lines["spec.containers[app].resources.limits.cpu"] == 27
    assert pod.lines["spec.containers[app].resources.limits.memory"] == 24


def test_statefulset_claim_templates_and_claims_are_kept():
    [db], _, _ = load_fixture("statefulset.yaml")
    [claim] = db.attrs["spec"]["volumeClaimTemplates"]
    assert claim["spec"]["resources"]["requests"]["storage"] == "100Gi"
    assert db.lines["spec.volumeClaimTemplates[0].spec.resources.requests.storage"] == 22
    [pvc], _, _ = load_fixture("pvc.yaml")
    assert pvc.address == "PersistentVolumeClaim/shop/uploads"
    assert pvc.attrs["spec"]["storageClassName"] == "standard"


def test_a_limit_range_is_a_plain_resource():
    [limits], _, _ = load_fixture("limitrange.yaml")
    assert (limits.address, limits.type) == ("LimitRange/shop/defaults", "LimitRange")
    assert limits.attrs["spec"]["limits"][0]["default"] == {"memory": "512Mi"}


def test_the_ignore_annotation_of_the_pod_template_is_a_suppression():
    [web], _, _ = load_fixture("deployment.yaml")
    [suppression] = web.suppressions
    assert suppression.rules == ("k8s-resources",)
    assert suppression.until == "2030-01-01"
    assert suppression.reason == "load test in progress"
    assert suppression.line == 19


def test_ignore_annotations_on_the_object_several_lines_and_the_marker_forgiven():
    [pod], _, _ = load_text("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
          annotations:
            guardrails.dev/ignore: |
              tags owned by the platform team
              guardrails:ignore k8s-resources,sizes sandbox only
        spec: {containers: [{name: c, image: x}]}
        """)
    assert [(s.rules, s.reason, s.line) for s in pod.suppressions] == [
        (("tags",), "owned by the platform team", 6),
        (("k8s-resources", "sizes"), "sandbox only", 6),
    ]


def test_an_ignore_annotation_that_is_not_text_is_a_broken_suppression():
    [pod], _, _ = load_text("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
          annotations: {guardrails.dev/ignore: 42}
        """)
    [suppression] = pod.suppressions
    assert suppression.rules == ()
    assert "must be a string" in suppression.problem


def test_helm_templates_are_skipped_with_a_note():
    resources, errors, notes = load_fixture("helm-template.yaml")
    assert (resources, errors) == ([], [])
    [note] = notes
    assert note.file == "k8s/helm-template.yaml"
    assert "Helm chart template" in note.message and "helm template" in note.message


def test_template_braces_that_break_yaml_are_a_note_not_an_error():
    resources, errors, notes = load_text("""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ $name }}
        """)
    assert (resources, errors) == ([], [])
    assert "templates are rendered" in notes[0].message


def test_rendered_manifests_may_hold_go_templates_in_strings():
    [rule], errors, notes = load_text("""
        apiVersion: monitoring.coreos.com/v1
        kind: PrometheusRule
        metadata: {name: alerts, namespace: monitoring}
        spec:
          groups:
            - name: node
              rules:
                - alert: Down
                  annotations:
                    summary: "{{ $labels.instance }} is down"
        """)
    assert rule.address == "PrometheusRule/monitoring/alerts"
    assert (errors, notes) == ([], [])


def test_yaml_that_is_not_a_manifest_is_a_note():
    resources, errors, notes = load_fixture("not-k8s.yaml")
    assert (resources, errors) == ([], [])
    assert [note.message for note in notes] == ["not a Kubernetes manifest (no apiVersion and kind), skipped"]
    resources, _, notes = load_text("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: a}
        ---
        - just
        - a list
        ---
        plain text
        """)
    assert len(resources) == 1
    assert [note.message for note in notes] == [
        "line 5: not a Kubernetes object (no apiVersion and kind), skipped",
        "line 8: not a Kubernetes object (no apiVersion and kind), skipped",
    ]


def test_a_broken_document_is_an_error_and_the_others_still_load():
    resources, errors, notes = load_fixture("broken.yaml")
    assert [r.address for r in resources] == ["ConfigMap/default/first", "ConfigMap/default/third"]
    assert resources[1].location.line == 12
    [error] = errors
    assert isinstance(error, InputError)
    assert (error.file, error.line) == ("k8s/broken.yaml", 11)
    assert error.message.startswith("invalid YAML")
    assert notes == []


def test_an_alias_bomb_is_an_error_in_bounded_time():
    started = time.monotonic()
    resources, errors, _ = load_fixture("alias-bomb.yaml")
    assert time.monotonic() - started < 5
    assert resources == []
    assert "more than 2000000 nodes" in errors[0].message
    assert "(settings.limits.max_yaml_nodes)" in errors[0].message


def test_objects_without_a_name_use_generate_name():
    [job], _, _ = load_text("""
        apiVersion: batch/v1
        kind: Job
        metadata: {generateName: migrate-, namespace: ops}
        """)
    assert job.address == "Job/ops/migrate-"


def test_an_empty_file_gives_nothing():
    assert load_manifests("", "empty.yaml") == ([], [], [])
    assert load_manifests("# nothing here\n---\n", "empty.yaml") == ([], [], [])


_PIECES = st.sampled_from(
    list("ab:-[]{}&*!|>'\"#%@`,?<= \n\t.0~\x00") + [
        "---\n", "<<: ", "apiVersion: v1\n", "kind: Pod\n", "  ", "!!str ", "!!python/object ",
        "&a ", "*a", "{{ x }}",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=50).map("".join))
def test_any_input_gives_resources_errors_or_notes_never_an_exception(text):
    resources, errors, notes = load_manifests(text, "f.yaml")
    assert all(error.file == "f.yaml" and error.line >= 1 for error in errors)
    assert all(resource.location.line >= 1 for resource in resources)


def test_a_broken_manifest_that_merely_mentions_an_interpolation_is_still_an_error():
    from guardrails.kubernetes.manifests import load_manifests

    text = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  url: ${BASE}/x\n"
            "  bad: [unclosed\n")
    resources, errors, notes = load_manifests(text, "cm.yaml")
    assert errors and not notes
    template = "#cloud-config\nusers:\n%{ for u in users ~}\n  - name: ${u}\n%{ endfor ~}\n"
    resources, errors, notes = load_manifests(template, "cloud-config.yaml")
    assert (resources, errors) == ([], []) and "Terraform template" in notes[0].message


def test_a_helm_marker_in_a_comment_does_not_hide_a_manifest():
    # A pull request must not be able to skip a manifest with one comment.
    text = ("# rendered from {{ .Values.image }} by hand\n"
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: x}]\n")
    resources, errors, notes = load_manifests(text, "pod.yaml")
    assert [r.address for r in resources] == ["Pod/default/p"] and not errors and not notes
    # Markers in the values, or YAML that does not parse, still make a Helm template.
    for template in ('apiVersion: v1\nkind: Pod\nmetadata: {name: "{{ .Release.Name }}"}\n',
                     "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n  {{- include \"x\" . }}\n"):
        resources, errors, notes = load_manifests(template, "t.yaml")
        assert not resources and not errors
        assert [n.message.split(",")[0] for n in notes] == ["a Helm chart template"]
