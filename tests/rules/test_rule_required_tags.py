from conftest import run_policy, summary, write_tree

POLICY = """
    version: 1
    rules:
      - id: tags
        type: required-tags
        tags: [owner, cost-center]
        values:
          cost-center: "^cc-[0-9]{4}$"
          env: [dev, prod]
"""


def test_missing_empty_and_invalid_values(tmp_path):
    write_tree(tmp_path, {"main.tf": '''
        resource "aws_instance" "a" {
          instance_type = "t3.micro"
          tags = {
            owner       = ""
            cost-center = "CC-12"
            env         = "qa"
          }
        }
    '''})
    findings = run_policy(tmp_path, POLICY)
    assert summary(findings) == [
        ("aws_instance.a", "tags.owner", "fail", "new"),
        ("aws_instance.a", "tags.cost-center", "fail", "new"),
        ("aws_instance.a", "tags.env", "fail", "new"),
    ]
    messages = [f.message for f in findings]
    assert messages[0] == "required tag owner is empty"
    assert "not allowed" in messages[1] and "^cc-[0-9]{4}$" in messages[1]
    assert [f.line for f in findings] == [4, 5, 6]


def test_provider_default_tags_merge_under_resource_tags_per_alias(tmp_path):
    write_tree(tmp_path, {"main.tf": '''
        provider "aws" {
          default_tags {
            tags = { owner = "platform", cost-center = "cc-0001" }
          }
        }
        provider "aws" {
          alias = "bare"
        }
        locals {
          base = { cost-center = "cc-1234" }
        }
        resource "aws_s3_bucket" "covered" {}
        resource "aws_s3_bucket" "aliased" {
          provider = aws.bare
          tags     = merge(local.base, { team = "x" })
        }
    '''})
    findings = run_policy(tmp_path, POLICY)
    assert summary(findings) == [("aws_s3_bucket.aliased", "tags.owner", "fail", "new")]


def test_autoscaling_group_tag_blocks_ignore_default_tags(tmp_path):
    write_tree(tmp_path, {"main.tf": '''
        provider "aws" {
          default_tags {
            tags = { owner = "platform", cost-center = "cc-0001" }
          }
        }
        resource "aws_autoscaling_group" "web" {
          min_size = 1
          max_size = 2
          tag {
            key                 = "owner"
            value               = "web"
            propagate_at_launch = false
          }
        }
    '''})
    findings = run_policy(tmp_path, POLICY)
    assert summary(findings) == [
        ("aws_autoscaling_group.web", "tag.cost-center", "fail", "new"),
        ("aws_autoscaling_group.web", "tag.owner", "warn", "new"),
    ]
    assert "not propagated" in findings[1].message


def test_count_and_for_each_instances_each_checked(tmp_path):
    write_tree(tmp_path, {"main.tf": '''
        resource "aws_ebs_volume" "v" {
          for_each = { a = "cc-0001", b = "" }
          size     = 10
          tags     = { owner = "me", cost-center = each.value }
        }
    '''})
    assert summary(run_policy(tmp_path, POLICY)) == [('aws_ebs_volume.v["b"]', "tags.cost-center", "fail", "new")]


def test_unknown_tags_follow_settings_unknown(tmp_path):
    write_tree(tmp_path, {"main.tf": '''
        resource "aws_instance" "a" {
          tags = data.external.tags.result
        }
        resource "aws_instance" "b" {
          tags = { owner = var.owner, cost-center = "cc-0001" }
        }
        variable "owner" {}
    '''})
    assert summary(run_policy(tmp_path, POLICY)) == [
        ("aws_instance.a", "tags", "warn", "new"),
        ("aws_instance.b", "tags.owner", "warn", "new"),
    ]
    assert run_policy(tmp_path, POLICY.replace("version: 1", "version: 1\n    settings: {unknown: ignore}")) == []


def test_gcp_labels_and_kubernetes_labels(tmp_path):
    write_tree(tmp_path, {
        "main.tf": '''
            resource "google_compute_instance" "vm" {
              labels = { owner = "me" }
            }
        ''',
        "app.yaml": '''
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: api
              labels: {owner: me, cost-center: cc-0042}
            spec: {}
        ''',
    })
    findings = run_policy(tmp_path, POLICY)
    assert summary(findings) == [("google_compute_instance.vm", "labels.cost-center", "fail", "new")]
    assert "label cost-center" in findings[0].message


def test_types_without_tags_are_not_flagged_unless_named(tmp_path):
    write_tree(tmp_path, {"main.tf": '''
        resource "aws_security_group_rule" "r" {
          type = "ingress"
        }
    '''})
    assert run_policy(tmp_path, POLICY) == []
    named = POLICY.replace("type: required-tags", "type: required-tags\n        match: {resources: [aws_security_group_rule]}")
    assert len(run_policy(tmp_path, named)) == 2


def test_match_paths_scope(tmp_path):
    write_tree(tmp_path, {
        "envs/prod/main.tf": 'resource "aws_instance" "p" {}\n',
        "envs/dev/main.tf": 'resource "aws_instance" "d" {}\n',
    })
    scoped = POLICY.replace("type: required-tags", "type: required-tags\n        match: {paths: [\"envs/prod/**\"]}")
    assert {f.resource for f in run_policy(tmp_path, scoped)} == {"aws_instance.p"}


def test_plan_uses_tags_all_and_no_op_is_existing(tmp_path):
    import json

    plan = {
        "format_version": "1.2",
        "resource_changes": [
            {"address": "aws_instance.new", "mode": "managed", "type": "aws_instance", "name": "new",
             "provider_name": "registry.terraform.io/hashicorp/aws",
             "change": {"actions": ["create"], "after": {"tags": {}, "tags_all": {"owner": "x", "cost-center": "cc-0001"}},
                        "after_unknown": {}}},
            {"address": "aws_instance.old", "mode": "managed", "type": "aws_instance", "name": "old",
             "provider_name": "registry.terraform.io/hashicorp/aws",
             "change": {"actions": ["no-op"], "after": {"tags": {}, "tags_all": {"cost-center": "cc-0001"}},
                        "after_unknown": {}}},
        ],
    }
    (tmp_path / "plan.json").write_text(json.dumps(plan, indent=1))
    assert summary(run_policy(tmp_path, POLICY)) == [("aws_instance.old", "tags.owner", "fail", "existing")]
