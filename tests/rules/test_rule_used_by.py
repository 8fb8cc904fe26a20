"""used-by: orphans and missing companions, judged on real Terraform through the loader."""
from __future__ import annotations

from conftest import run_policy, write_tree

VOLUMES = """
- id: orphan-volumes
  type: used-by
  match: {resources: [aws_ebs_volume]}
  by: [{type: aws_volume_attachment, attribute: volume_id}]
"""


def found(findings) -> list[tuple[str, str, str]]:
    return sorted((f.rule, f.resource, f.severity) for f in findings if f.rule != "suppression")


def test_a_volume_nothing_attaches_is_an_orphan_and_an_attached_one_is_not(tmp_path) -> None:
    write_tree(tmp_path, {"main.tf": """
        resource "aws_ebs_volume" "used" {
          availability_zone = "us-east-1a"
          size              = 10
        }
        resource "aws_ebs_volume" "orphan" {
          availability_zone = "us-east-1a"
          size              = 500
        }
        resource "aws_ebs_volume" "counted" {
          count             = 2
          availability_zone = "us-east-1a"
          size              = 10
        }
        variable "which" {
          type = number
        }
        resource "aws_volume_attachment" "a" {
          device_name = "/dev/sdf"
          volume_id   = aws_ebs_volume.used.id
          instance_id = "i-1"
        }
        resource "aws_volume_attachment" "b" {
          device_name = "/dev/sdg"
          volume_id   = aws_ebs_volume.counted[var.which].id
          instance_id = "i-1"
        }
    """})
    findings = run_policy(tmp_path, "version: 1\nrules:\n" + VOLUMES)
    # An index that cannot be evaluated may mean any instance: both counted volumes are used.
    assert found(findings) == [("orphan-volumes", "aws_ebs_volume.orphan", "fail")]
    (finding,) = [f for f in findings if f.rule == "orphan-volumes"]
    assert finding.message == "nothing in the configuration uses aws_ebs_volume.orphan"
    assert finding.fix == "use it (aws_volume_attachment.volume_id), or remove it"


def test_an_own_attribute_that_says_it_is_used_and_nested_blocks(tmp_path) -> None:
    write_tree(tmp_path, {"main.tf": """
        resource "aws_eip" "on_instance" {
          instance = "i-1"
        }
        resource "aws_eip" "for_nlb" {
          domain = "vpc"
        }
        resource "aws_eip" "idle" {
          domain = "vpc"
        }
        resource "aws_lb" "nlb" {
          load_balancer_type = "network"
          subnet_mapping {
            subnet_id     = "subnet-1"
            allocation_id = aws_eip.for_nlb.id
          }
        }
    """})
    findings = run_policy(tmp_path, """version: 1
rules:
  - id: idle-eips
    type: used-by
    severity: warn
    match: {resources: [aws_eip]}
    by: [{type: aws_lb, attribute: subnet_mapping.allocation_id}]
    unless_set: [instance, network_interface]
""")
    assert found(findings) == [("idle-eips", "aws_eip.idle", "warn")]


def test_a_module_that_was_not_inspected_may_use_it_so_the_finding_is_graded_unknown(tmp_path) -> None:
    write_tree(tmp_path, {"main.tf": """
        resource "aws_ebs_volume" "data" {
          availability_zone = "us-east-1a"
          size              = 10
        }
        module "servers" {
          source = "terraform-aws-modules/ec2-instance/aws"
        }
    """})
    findings = [f for f in run_policy(tmp_path, "version: 1\nsettings: {unknown: warn}\nrules:\n" + VOLUMES)
                if f.resource == "aws_ebs_volume.data"]
    (finding,) = findings
    assert finding.severity == "warn" and "unless a module that was not inspected uses it" in finding.message


def test_resources_of_a_child_module_are_not_judged(tmp_path) -> None:
    write_tree(tmp_path, {"main.tf": 'module "disk" {\n  source = "./disk"\n}\n',
                          "disk/main.tf": 'resource "aws_ebs_volume" "v" {\n  availability_zone = "a"\n  size = 1\n}\n'
                                          'output "id" {\n  value = aws_ebs_volume.v.id\n}\n'})
    assert found(run_policy(tmp_path, "version: 1\nrules:\n" + VOLUMES)) == []


def test_a_literal_name_matches_the_resource_it_names(tmp_path) -> None:
    write_tree(tmp_path, {"main.tf": """
        resource "aws_s3_bucket" "logs" {
          bucket = "acme-logs"
        }
        resource "aws_s3_bucket" "inline" {
          bucket = "acme-inline"
          lifecycle_rule {
            enabled = true
          }
        }
        resource "aws_s3_bucket" "forever" {
          bucket = "acme-forever"
        }
        resource "aws_s3_bucket_lifecycle_configuration" "logs" {
          bucket = "acme-logs"
        }
    """})
    findings = run_policy(tmp_path, """version: 1
rules:
  - id: s3-lifecycle
    type: used-by
    match: {resources: [aws_s3_bucket]}
    by: [{type: aws_s3_bucket_lifecycle_configuration, attribute: bucket}]
    unless_set: [lifecycle_rule]
    message: the bucket has no lifecycle configuration
""")
    assert found(findings) == [("s3-lifecycle", "aws_s3_bucket.forever", "fail")]


def test_a_rule_without_by_or_unless_set_is_a_policy_error(tmp_path) -> None:
    from conftest import run

    (tmp_path / ".guardrails.yaml").write_text("version: 1\nrules:\n  - {id: u, type: used-by}\n")
    code, _, err = run(["check", "."], tmp_path)
    assert code == 2 and "used-by needs by (who uses the resource) or unless_set" in err
