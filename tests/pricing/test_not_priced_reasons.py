"""What is free, what cannot be seen into, and what another provider bills, each said apart from
"type not modelled" (which is ours to fix)."""
from __future__ import annotations

import pytest

from guardrails.core.model import Location, Resource
from guardrails.pricing.catalog import Catalog
from guardrails.pricing.estimate import estimate


def resource(rtype: str, provider: str, attrs: dict | None = None) -> Resource:
    return Resource(address=f"{rtype}.this", type=rtype, kind="terraform", location=Location("main.tf", 1),
                    attrs=attrs or {}, provider=provider)


@pytest.mark.parametrize("rtype", ["kubernetes_secret", "kubernetes_config_map_v1", "kubernetes_namespace",
                                   "kubernetes_network_policy_v1", "kubernetes_role_binding_v1",
                                   "kubernetes_horizontal_pod_autoscaler_v2"])
def test_the_terraform_kubernetes_providers_configuration_objects_are_free(rtype):
    result = estimate([resource(rtype, "kubernetes")], Catalog())
    assert result.lines == [] and result.free == 1


@pytest.mark.parametrize("rtype", ["kubernetes_deployment_v1", "kubernetes_service_v1", "kubernetes_manifest"])
def test_kubernetes_objects_that_can_cost_are_not_free(rtype):
    [line] = estimate([resource(rtype, "kubernetes")], Catalog()).lines
    assert line.unpriced == f"resource type {rtype} is not modelled"


@pytest.mark.parametrize("rtype, provider, start", [
    ("helm_release", "helm", "contents not rendered: a Helm release installs a chart's resources"),
    ("kubectl_manifest", "kubectl", "contents not rendered: the manifest in yaml_body"),
    ("azapi_resource", "azapi", "contents not rendered: an azapi_resource creates an Azure resource"),
])
def test_what_guardrails_cannot_see_into_says_so(rtype, provider, start):
    [line] = estimate([resource(rtype, provider)], Catalog()).lines
    assert line.unpriced.startswith(start)


def test_azapi_updates_and_actions_bill_nothing_themselves():
    result = estimate([resource("azapi_update_resource", "azapi"), resource("azapi_resource_action", "azapi")],
                      Catalog())
    assert result.lines == [] and result.free == 2


def test_another_providers_resources_are_unpriced_for_that_reason():
    [line] = estimate([resource("okta_user", "okta")], Catalog()).lines
    assert line.unpriced == "provider okta is not priced (guardrails prices AWS, Google Cloud, Azure and Kubernetes)"
