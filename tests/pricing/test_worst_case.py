"""Worst case at full scale: each scalable resource priced again with its autoscaler at the cap.

Real files through the real loaders, priced from the bundled catalog; the figures are checked as
ratios of the priced monthly cost (every scaled part grows with the count, fixed fees do not).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_tree

from guardrails.app.scan import load_paths
from guardrails.files.trees import DiskTree
from guardrails.pricing import catalog as catalog_module
from guardrails.pricing.estimate import estimate

M = 730
POD = M * (1 * 0.031611 + 1 * 0.004237)  # 1 vCPU and 1 GiB at OpenCost's default rates, a month


@pytest.fixture(scope="module")
def bundled():
    return catalog_module.load([])


def lines(root: Path, files: dict, bundled) -> dict:
    write_tree(root, files)
    loaded = load_paths(DiskTree(root), [""])
    return {line.address: line for line in estimate(loaded.resources, bundled).lines}


AWS = 'provider "aws" {\n  region = "us-east-1"\n}\n'
TEMPLATE = 'resource "aws_launch_template" "web" {\n  instance_type = "m5.large"\n}\n'


def test_an_auto_scaling_group_at_max_size(tmp_path, bundled) -> None:
    found = lines(tmp_path, {"main.tf": AWS + TEMPLATE + '''
resource "aws_autoscaling_group" "web" {
  min_size         = 2
  desired_capacity = 3
  max_size         = 12
  launch_template {
    id = aws_launch_template.web.id
  }
}
'''}, bundled)["aws_autoscaling_group.web"]
    one = M * 0.096 + 8 * 0.10  # an m5.large and its assumed 8 GB gp2 root volume
    assert found.monthly == round(3 * one, 2) and found.worst_case == round(12 * one, 2)
    assert found.worst == found.worst_case and found.worst_case_unknown is None


def test_a_cap_that_cannot_be_evaluated_is_unknown_not_guessed(tmp_path, bundled) -> None:
    found = lines(tmp_path, {"main.tf": AWS + TEMPLATE + '''
variable "cap" {
  type = number
}
resource "aws_autoscaling_group" "web" {
  min_size = 1
  max_size = var.cap
  launch_template {
    id = aws_launch_template.web.id
  }
}
'''}, bundled)["aws_autoscaling_group.web"]
    assert found.monthly is not None and found.worst is None
    assert found.worst_case_unknown.startswith("max_size cannot be evaluated")


def test_what_does_not_scale_has_its_monthly_cost_as_worst_case(tmp_path, bundled) -> None:
    found = lines(tmp_path, {"main.tf": AWS + 'resource "aws_instance" "a" {\n  instance_type = "m5.large"\n}\n'},
                  bundled)["aws_instance.a"]
    assert found.worst_case is None and found.worst == found.monthly


def test_an_eks_node_group_at_its_scaling_max(tmp_path, bundled) -> None:
    found = lines(tmp_path, {"main.tf": AWS + '''
resource "aws_eks_node_group" "ng" {
  cluster_name   = "c"
  instance_types = ["m5.large"]
  scaling_config {
    desired_size = 2
    min_size     = 1
    max_size     = 8
  }
}
'''}, bundled)["aws_eks_node_group.ng"]
    assert found.worst_case == round(found.monthly * 4, 2)


def test_a_gke_node_pool_at_its_autoscaling_max_in_every_zone(tmp_path, bundled) -> None:
    found = lines(tmp_path, {"main.tf": '''
resource "google_container_node_pool" "pool" {
  cluster        = "c"
  location       = "us-central1"
  node_locations = ["us-central1-a", "us-central1-b"]
  autoscaling {
    min_node_count = 1
    max_node_count = 5
  }
  node_config {
    machine_type = "n1-standard-1"
  }
}
resource "google_container_node_pool" "total" {
  cluster  = "c"
  location = "us-central1-a"
  autoscaling {
    total_min_node_count = 2
    total_max_node_count = 9
  }
  node_config {
    machine_type = "n1-standard-1"
  }
}
'''}, bundled)
    # 1 node in each of 2 zones, at most 5 in each; the total bounds are over every zone.
    assert found["google_container_node_pool.pool"].worst_case == round(found["google_container_node_pool.pool"].monthly * 5, 2)
    assert found["google_container_node_pool.total"].worst_case == round(
        found["google_container_node_pool.total"].monthly * 9 / 2, 2)


def test_an_aks_node_pool_at_max_count(tmp_path, bundled) -> None:
    found = lines(tmp_path, {"main.tf": '''
resource "azurerm_kubernetes_cluster_node_pool" "pool" {
  name                  = "pool"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.aks.id
  vm_size               = "Standard_D2s_v3"
  auto_scaling_enabled  = true
  min_count             = 2
  max_count             = 10
}
resource "azurerm_kubernetes_cluster" "aks" {
  name     = "aks"
  location = "eastus"
  default_node_pool {
    name       = "default"
    vm_size    = "Standard_D2s_v3"
    node_count = 3
  }
}
'''}, bundled)
    pool = found["azurerm_kubernetes_cluster_node_pool.pool"]
    assert pool.unpriced is None and pool.worst_case == round(pool.monthly * 5, 2)
    # A pool without auto-scaling does not scale.
    assert found["azurerm_kubernetes_cluster.aks"].worst_case is None


DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: web
          image: nginx
          resources: {requests: {cpu: "1", memory: 1Gi}}
"""


def test_a_workload_at_its_horizontal_pod_autoscalers_max_replicas(tmp_path, bundled) -> None:
    found = lines(tmp_path, {"web.yaml": DEPLOYMENT + """---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 20
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: other, namespace: elsewhere}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 500
"""}, bundled)["Deployment/shop/web"]
    # The autoscaler of another namespace targets another workload.
    assert found.monthly == round(2 * POD, 2) and found.worst_case == round(20 * POD, 2)


def test_a_keda_scaled_object_caps_at_100_when_it_says_nothing(tmp_path, bundled) -> None:
    found = lines(tmp_path, {"web.yaml": DEPLOYMENT + """---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {name: web}
"""}, bundled)["Deployment/shop/web"]
    assert found.worst_case == round(100 * POD, 2)


def test_a_workload_without_an_autoscaler_does_not_scale(tmp_path, bundled) -> None:
    found = lines(tmp_path, {"web.yaml": DEPLOYMENT}, bundled)["Deployment/shop/web"]
    assert found.worst_case is None and found.worst == found.monthly
