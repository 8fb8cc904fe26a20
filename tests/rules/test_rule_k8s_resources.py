"""k8s-resources: the manifest, the rule's options, the findings."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from guardrails.kubernetes.manifests import load_manifests
from guardrails.core.model import Location, Resource, Unknown
from guardrails.core.policy import RuleConfig, Settings
from guardrails.rules import k8s_resources
from guardrails.rules.base import Context

FIXTURES = Path(__file__).parent.parent / "fixtures" / "k8s"
API = "spec.template.spec.containers[api].resources"


def manifests(text: str, file: str = "app.yaml") -> list[Resource]:
    resources, errors, _ = load_manifests(textwrap.dedent(text).lstrip("\n"), file)
    assert errors == []
    return resources


def deployment(resources_yaml: str, namespace: str = "shop") -> str:
    body = textwrap.indent(textwrap.dedent(resources_yaml).strip("\n"), " " * 14)
    return (
        "apiVersion: apps/v1\nkind: Deployment\n"
        f"metadata: {{name: web, namespace: {namespace}}}\n"
        "spec:\n  template:\n    spec:\n      containers:\n"
        "        - name: api\n          image: api:1\n          resources:\n"
        f"{body}\n"
    )


def run(options: dict, resources: list[Resource], everything: list[Resource] | None = None,
        severity: str = "fail", **kubernetes: str):
    rule = RuleConfig(id="res", type="k8s-resources", severity=severity, options=options)
    ctx = Context(settings=Settings(kubernetes=kubernetes), all_resources=everything or resources)
    return list(k8s_resources.check(rule, resources, ctx))


REQUIRE_ALL = {"require": ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory"]}


def test_a_container_with_everything_passes():
    web = manifests(deployment("""
        requests: {cpu: 500m, memory: 256Mi}
        limits: {cpu: "1", memory: 512Mi}
        """))
    assert run(REQUIRE_ALL, web) == []


def test_missing_fields_make_one_finding_at_the_first_missing_field():
    [finding] = run({"require": ["limits.memory", "requests.cpu", "limits.cpu"]},
                    manifests(deployment("requests: {memory: 256Mi}")))
    assert finding.path == f"{API}.limits.memory"
    assert finding.resource == "Deployment/shop/web"
    assert finding.severity == "fail"
    assert finding.line == 10  # `resources:` itself: the missing field has no line
    assert finding.message == "container api: limits.memory, requests.cpu and limits.cpu are not set"
    assert finding.fix == ("set resources.limits.memory, resources.requests.cpu and resources.limits.cpu, "
                           "e.g. requests: {cpu: 250m}, limits: {memory: 256Mi, cpu: 1}")


@pytest.mark.parametrize("resources_yaml, path, line, message", [
    ("requests:\n  - cpu: 1\nlimits: {memory: 1Gi}", f"{API}.requests", 11,
     "container api: resources.requests is a list, not a mapping"),
    ("requests: {cpu: 1, memory: 1Gi}\nlimits: 2Gi", f"{API}.limits", 12,
     "container api: resources.limits is a string, not a mapping"),
])
def test_a_requests_or_limits_section_that_is_not_a_mapping_is_said_at_its_line(resources_yaml, path, line, message):
    [finding] = run(REQUIRE_ALL, manifests(deployment(resources_yaml)))
    assert (finding.path, finding.line, finding.message) == (path, line, message)
    assert finding.fix.startswith("write resources.")


def test_resources_that_are_not_a_mapping_are_said_at_their_line():
    text = deployment("requests: {cpu: 1}").replace("          resources:\n              requests: {cpu: 1}",
                                                      '          resources: "lots"')
    [finding] = run(REQUIRE_ALL, manifests(text))
    assert (finding.path, finding.line, finding.message) == (API, 10, "container api: resources is a string, not a mapping")


def test_a_quantity_that_does_not_parse_is_said_at_its_line():
    [finding] = run(REQUIRE_ALL, manifests(deployment("requests: {cpu: 1x, memory: 1Gi}\nlimits: {cpu: 1, memory: 1Gi}")))
    assert (finding.path, finding.line) == (f"{API}.requests.cpu", 11)
    assert finding.message.startswith("container api: requests.cpu: '1x' has an unknown unit 'x'")


def test_one_missing_field_fix_names_the_field_and_an_example():
    [finding] = run({"require": ["limits.memory"]}, manifests(deployment("requests: {cpu: 1}")))
    assert finding.message == "container api: limits.memory is not set"
    assert finding.fix == "set resources.limits.memory, e.g. 512Mi"


def test_a_missing_request_with_its_limit_set_counts_as_set():
    assert run({"require": ["requests.memory"]}, manifests(deployment("limits: {memory: 1Gi}"))) == []


def test_a_request_above_its_limit_is_always_a_finding():
    [finding] = run({}, manifests(deployment("""
        requests:
          cpu: "2"
          memory: 256Mi
        limits:
          cpu: "1"
          memory: 512Mi
        """)))
    assert finding.path == f"{API}.requests.cpu"
    assert finding.line == 12
    assert finding.message == ("container api: requests.cpu 2 is above limits.cpu 1 "
                               "(the API server rejects the pod)")
    assert finding.fix == "lower resources.requests.cpu to at most 1, or raise resources.limits.cpu"


def test_max_and_min_bounds():
    web = manifests(deployment("""
        requests: {cpu: 250m, memory: 100m}
        limits: {cpu: "8", memory: 32Gi}
        """))
    [finding] = run({"max": {"limits.cpu": "4", "limits.memory": "16Gi"},
                     "min": {"requests.memory": "1Mi"}}, web)
    assert finding.path == f"{API}.requests.memory"
    assert finding.message == (
        "container api: requests.memory 100m is below the minimum 1Mi (100m means 0.1 bytes); "
        "limits.cpu 8 is above the maximum 4; limits.memory 32Gi is above the maximum 16Gi"
    )
    assert finding.fix == ("write 100Mi if you meant mebibytes; `m` means milli; "
                           "lower resources.limits.cpu to at most 4; "
                           "lower resources.limits.memory to at most 16Gi")


def test_max_ratio_of_limit_over_request():
    web = manifests(deployment("""
        requests: {cpu: 500m, memory: 1Gi}
        limits: {cpu: "4", memory: 1Gi}
        """))
    assert run({"max_ratio": {"cpu": 8, "memory": 1}}, web) == []
    [finding] = run({"max_ratio": {"cpu": 4}}, web)
    assert finding.path == f"{API}.limits.cpu"
    assert finding.message == "container api: limits.cpu 4 is 8x requests.cpu 500m, above the allowed 4x"
    assert finding.fix == ("raise resources.requests.cpu to at least 1 "
                           "or lower resources.limits.cpu to at most 2")


def test_a_zero_request_is_an_unbounded_ratio():
    [finding] = run({"max_ratio": {"memory": 2}},
                    manifests(deployment("requests: {memory: 0}\nlimits: {memory: 1Gi}")))
    assert "unbounded ratio" in finding.message
    assert finding.fix == "set resources.requests.memory to at least 512Mi"


def test_values_that_are_not_quantities_or_negative():
    [finding] = run({"require": ["limits.memory"]}, manifests(deployment("""
        requests: {cpu: -1, memory: 100mi}
        limits: {memory: 1Gi}
        """)))
    assert finding.path == f"{API}.requests.cpu"
    assert finding.message == ("container api: requests.cpu -1 is negative; "
                               "requests.memory: '100mi' has an unknown unit 'mi' (did you mean Mi?)")


def test_init_containers_and_native_sidecars_are_checked_ephemeral_ones_never():
    pod = manifests((FIXTURES / "pod-sidecar.yaml").read_text(), "pod.yaml")
    findings = run({"require": ["requests.cpu", "limits.memory"]}, pod)
    assert [(f.path, f.line, f.message) for f in findings] == [
        ("spec.initContainers[migrate].resources.requests.cpu", 7,
         "init container migrate: requests.cpu and limits.memory are not set"),
        ("spec.initContainers[mesh].resources.limits.memory", 12,
         "sidecar container mesh: limits.memory is not set"),
    ]


def test_cronjob_containers_are_found_under_the_job_template():
    cron = manifests((FIXTURES / "cronjob.yaml").read_text(), "cron.yaml")
    [finding] = run({"require": ["requests.cpu", "limits.memory"], "max": {"limits.memory": "512Mi"}}, cron)
    assert finding.path == "spec.jobTemplate.spec.template.spec.containers[report].resources.requests.cpu"
    assert finding.line == 16  # `resources:`: the missing field has no line
    assert finding.message == ("container report: requests.cpu is not set; "
                               "limits.memory 1Gi is above the maximum 512Mi")


LIMIT_RANGE = """
apiVersion: v1
kind: LimitRange
metadata: {name: defaults, namespace: shop}
spec:
  limits:
    - type: Container
      max: {cpu: "2"}
      default: {memory: 512Mi}
"""


def test_a_limit_range_that_defaults_the_field_makes_it_a_warning():
    web = manifests(deployment("requests: {memory: 256Mi}"))
    limits = manifests(LIMIT_RANGE, "limits.yaml")
    [finding] = run({"require": ["requests.cpu", "limits.memory"]}, web, web + limits)
    assert finding.severity == "warn"
    assert finding.path == f"{API}.requests.cpu"
    assert finding.message == ("container api: requests.cpu and limits.memory are not set "
                               "(LimitRange/shop/defaults defaults them to 2 and 512Mi)")


def test_limit_range_defaults_can_be_ignored():
    web = manifests(deployment("requests: {memory: 256Mi}"))
    limits = manifests(LIMIT_RANGE, "limits.yaml")
    assert run({"require": ["requests.cpu", "limits.memory"]}, web, web + limits,
               limitrange_defaults="ignore") == []


def test_a_limit_range_only_softens_what_it_fills_in():
    web = manifests(deployment("requests: {cpu: 100m}"))
    limits = manifests(LIMIT_RANGE, "limits.yaml")
    [finding] = run({"require": ["requests.ephemeral-storage", "limits.memory"]}, web, web + limits)
    assert finding.severity == "fail"
    assert finding.path == f"{API}.requests.ephemeral-storage"
    assert finding.message == ("container api: requests.ephemeral-storage is not set; limits.memory is "
                               "not set (LimitRange/shop/defaults defaults it to 512Mi)")


def test_a_limit_range_of_another_namespace_changes_nothing():
    web = manifests(deployment("requests: {cpu: 100m}", namespace="other"))
    limits = manifests(LIMIT_RANGE, "limits.yaml")
    [finding] = run({"require": ["limits.memory"]}, web, web + limits)
    assert finding.severity == "fail"


def test_limit_range_defaults_follow_kubernetes_fallbacks():
    web = manifests(deployment("requests: {}"))
    limits = manifests("""
        apiVersion: v1
        kind: LimitRange
        metadata: {name: lr, namespace: shop}
        spec:
          limits:
            - type: Pod
              default: {ephemeral-storage: 1Gi}
            - type: Container
              min: {memory: 64Mi}
              defaultRequest: {cpu: 100m}
        """, "lr.yaml")
    [finding] = run({"require": ["requests.cpu", "requests.memory", "limits.memory",
                                 "requests.ephemeral-storage"]}, web, web + limits)
    assert finding.severity == "fail"  # limits.memory and ephemeral-storage: nothing defaults them
    assert finding.message == (
        "container api: limits.memory and requests.ephemeral-storage are not set; "
        "requests.cpu and requests.memory are not set (LimitRange/shop/lr defaults them to 100m and 64Mi)"
    )


def test_a_warning_rule_stays_a_warning_and_an_info_rule_stays_info():
    web = manifests(deployment("requests: {memory: 256Mi}"))
    limits = manifests(LIMIT_RANGE, "limits.yaml")
    [finding] = run({"require": ["limits.memory"]}, web, web + limits, severity="info")
    assert finding.severity == "info"


def test_unknown_values_are_reported_with_the_unknown_setting():
    pod = Resource(
        address="Pod/default/p", type="Pod", kind="kubernetes", location=Location("p.yaml", 1, 9),
        attrs={"kind": "Pod", "spec": {"containers": [
            {"name": "c", "resources": {"requests": {"cpu": Unknown("from a variable")}}},
        ]}},
        namespace="default",
    )
    [finding] = run({"max": {"requests.cpu": "2"}}, [pod])
    assert finding.path == "spec.containers[c].resources.requests.cpu"
    assert finding.severity == "warn"
    assert finding.message == "requests.cpu of container c cannot be checked: from a variable"
    rule = RuleConfig(id="res", type="k8s-resources", options={"max": {"requests.cpu": "2"}})
    quiet = Context(settings=Settings(unknown="ignore"))
    assert list(k8s_resources.check(rule, [pod], quiet)) == []


def test_other_kinds_and_terraform_resources_are_not_looked_at():
    resources = manifests(LIMIT_RANGE, "limits.yaml") + manifests((FIXTURES / "pvc.yaml").read_text())
    tf = Resource(address="aws_instance.web", type="aws_instance", kind="terraform",
                  location=Location("main.tf", 1, 3), attrs={"kind": "Pod"})
    assert run(REQUIRE_ALL, resources + [tf]) == []


def test_extended_resources_use_bracketed_paths():
    web = manifests(deployment("""
        requests: {nvidia.com/gpu: 2}
        limits: {nvidia.com/gpu: 1}
        """))
    [finding] = run({}, web)
    assert finding.path == f'{API}.requests["nvidia.com/gpu"]'
    assert finding.line == 11


@pytest.mark.parametrize("options, message", [
    ({"require": ["cpu"]}, "rule res: require: 'cpu' is not requests.<resource> or limits.<resource>"),
    ({"max": {"limits.cpu": "4 cores"}}, "rule res: max.limits.cpu: '4 cores' has a space"),
    ({"max_ratio": {"cpu": 0}}, "rule res: max_ratio.cpu: 0 is not a positive number"),
    ({"max_ratio": {"cpu": "lots"}}, "rule res: max_ratio.cpu: 'lots' is not a positive number"),
])
def test_bad_options_are_errors_naming_the_rule(options, message):
    with pytest.raises(ValueError) as caught:
        run(options, [])
    assert str(caught.value).startswith(message)


def test_the_docstring_is_the_explain_page():
    doc = k8s_resources.__doc__ or ""
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
        assert section in doc
    assert "```yaml" in doc
    assert k8s_resources.TYPE == "k8s-resources"
