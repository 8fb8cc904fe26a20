"""builtin:finops end to end: the real CLI on a small repository holding each runaway cost and
its fixed twin; every rule finds the first and passes the second."""
from __future__ import annotations

import json

from conftest import run, write_tree

TERRAFORM = """
provider "aws" {
  region = "us-east-1"
}
resource "aws_cloudwatch_log_group" "forever" {
  name = "a"
}
resource "aws_cloudwatch_log_group" "zero" {
  name              = "b"
  retention_in_days = 0
}
resource "aws_cloudwatch_log_group" "month" {
  name              = "c"
  retention_in_days = 30
}
resource "aws_ebs_volume" "orphan" {
  availability_zone = "us-east-1a"
  size              = 100
  type              = "gp3"
  tags              = { owner = "x" }
}
resource "aws_eip" "idle" {
  domain = "vpc"
}
resource "aws_eip" "nat" {
  domain = "vpc"
}
resource "aws_nat_gateway" "nat" {
  allocation_id = aws_eip.nat.id
  subnet_id     = "subnet-1"
  tags          = { owner = "x" }
}
resource "aws_instance" "old" {
  instance_type = "m4.large"
  tags          = { owner = "x" }
}
resource "aws_instance" "current" {
  instance_type = "m7i.large"
  tags          = { owner = "x" }
}
resource "aws_launch_template" "bare" {
  name = "t"
}
resource "aws_glue_job" "etl" {
  name     = "etl"
  role_arn = "arn"
  command {
    script_location = "s3://x/y.py"
  }
}
resource "aws_batch_job_definition" "bounded" {
  name = "b"
  type = "container"
  timeout {
    attempt_duration_seconds = 3600
  }
}
resource "azurerm_log_analytics_workspace" "default" {
  name                = "w"
  location            = "eastus"
  resource_group_name = "rg"
}
resource "azurerm_log_analytics_workspace" "long" {
  name                = "w2"
  location            = "eastus"
  resource_group_name = "rg"
  retention_in_days   = 730
}
"""
JOBS = """
apiVersion: batch/v1
kind: Job
metadata: {name: unbounded}
spec:
  backoffLimit: 50
  template:
    spec:
      containers: [{name: a, image: busybox, resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 64Mi}}}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: bounded}
spec:
  activeDeadlineSeconds: 600
  template:
    spec:
      containers: [{name: a, image: busybox, resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 64Mi}}}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: overlapping}
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      activeDeadlineSeconds: 600
      template:
        spec:
          containers: [{name: a, image: busybox, resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 64Mi}}}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: forbidding}
spec:
  schedule: "*/5 * * * *"
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      activeDeadlineSeconds: 600
      template:
        spec:
          containers: [{name: a, image: busybox, resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 64Mi}}}]
"""


def test_the_finops_pack_finds_each_runaway_cost_and_passes_its_fixed_twin(tmp_path) -> None:
    write_tree(tmp_path, {".git/HEAD": "", "main.tf": TERRAFORM, "jobs.yaml": JOBS})
    code, out, err = run(["check", ".", "--policy", "builtin:finops", "--format", "json"], tmp_path)
    report = json.loads(out)
    finops = {"job-deadline", "cronjob-deadline", "job-backoff", "cronjob-backoff", "cronjob-overlap",
              "batch-job-timeout", "glue-job-timeout", "log-retention", "log-analytics-retention", "s3-lifecycle",
              "orphan-volumes", "idle-eips", "previous-generation"}
    found = sorted((f["rule"], f["resource"]) for f in report["findings"] if f["rule"] in finops)
    assert found == sorted([
        ("cronjob-overlap", "CronJob/default/overlapping"),
        ("glue-job-timeout", "aws_glue_job.etl"),
        ("idle-eips", "aws_eip.idle"),
        ("job-backoff", "Job/default/unbounded"),
        ("job-deadline", "Job/default/unbounded"),
        ("log-analytics-retention", "azurerm_log_analytics_workspace.long"),
        ("log-retention", "aws_cloudwatch_log_group.forever"),
        ("log-retention", "aws_cloudwatch_log_group.zero"),
        ("orphan-volumes", "aws_ebs_volume.orphan"),
        ("previous-generation", "aws_instance.old"),
    ])
    assert all(f["severity"] == "warn" for f in report["findings"] if f["rule"] in finops)
    # A launch template that leaves instance_type to its users is not judged by previous-generation.
    assert not any(f["resource"] == "aws_launch_template.bare" for f in report["findings"] if f["rule"] in finops)
    assert code == 0, err  # everything in the pack warns
    by_rule = {f["rule"]: f for f in report["findings"]}
    assert by_rule["log-analytics-retention"]["message"] == \
        "the workspace keeps data more than 90 days (retention_in_days is 730)"
    assert by_rule["job-backoff"]["message"] == "the Job retries failing pods more than 10 times (spec.backoffLimit is 50)"


def test_every_finops_rule_is_explained(tmp_path) -> None:
    from guardrails.policy.load import load_policy

    rules = load_policy(["builtin:finops"], root=tmp_path).rules
    for rule in rules:
        assert rule.description, rule.id
        code, out, _ = run(["policy", "explain", rule.id, "--policy", "builtin:finops"], tmp_path)
        assert code == 0 and rule.id in out
