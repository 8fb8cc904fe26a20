"""Module outputs evaluated as Terraform evaluates them, and references across module boundaries."""
import json
import shutil
import subprocess

import pytest

from guardrails.core.model import is_unknown

from conftest import by_address, load_tf, run, write_tree

CHILD = '''
    variable "size" { type = string }
    locals {
      family = split(".", var.size)[0]
    }
    module "leaf" {
      source = "../leaf"
      name   = local.family
    }
    output "size" { value = var.size }
    output "upper" { value = upper(local.family) }
    output "leaf" { value = module.leaf.tagged }
'''
LEAF = '''
    variable "name" {}
    output "tagged" { value = "${var.name}-tagged" }
'''
# What the probe reads, written once: our loader evaluates it as an attribute, terraform console
# as an expression, and the two must agree.
PROBE = ('{one = module.one.size, first = module.many[0].size, splat = module.many[*].size, '
         'keyed = module.keyed["b"].size, chained = module.chained.leaf, upper = module.one.upper, '
         'late = module.late.size}')
ROOT = '''
    variable "sizes" {
      default = { a = "m5.large", b = "m5.xlarge" }
    }
    resource "terraform_data" "probe" {
      input = %s
    }
    module "one" {
      source = "./modules/child"
      size   = "m5.24xlarge"
    }
    module "many" {
      source = "./modules/child"
      count  = 2
      size   = "c5.${count.index + 1}xlarge"
    }
    module "keyed" {
      source   = "./modules/child"
      for_each = var.sizes
      size     = each.value
    }
    module "chained" {
      source = "./modules/child"
      size   = module.one.size
    }
    module "late" {
      source = "./modules/child"
      size   = local.late
    }
    locals {
      late = module.keyed["a"].size
    }
''' % PROBE
EXPECTED = {"one": "m5.24xlarge", "first": "c5.1xlarge", "splat": ["c5.1xlarge", "c5.2xlarge"],
            "keyed": "m5.xlarge", "chained": "m5-tagged", "upper": "M5", "late": "m5.large"}


def _outputs_tree(tmp_path):
    return write_tree(tmp_path, {"main.tf": ROOT, "modules/child/main.tf": CHILD, "modules/leaf/main.tf": LEAF})


def test_outputs_through_count_for_each_splat_nesting_and_locals(tmp_path):
    probe = by_address(load_tf(_outputs_tree(tmp_path)))["terraform_data.probe"]
    assert probe.attrs["input"] == EXPECTED


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed")
def test_terraform_console_agrees(tmp_path):
    root = _outputs_tree(tmp_path)
    env = {"PATH": "/usr/bin:/bin:/usr/local/bin", "TF_IN_AUTOMATION": "1", "HOME": str(tmp_path),
           "CHECKPOINT_DISABLE": "1"}
    subprocess.run(["terraform", "init", "-backend=false", "-input=false"], cwd=root, env=env,
                   capture_output=True, check=True, timeout=120)
    shown = subprocess.run(["terraform", "console"], cwd=root, env=env, input=f"jsonencode({PROBE})\n",
                           capture_output=True, text=True, check=True, timeout=120).stdout
    assert json.loads(json.loads(shown.strip().splitlines()[-1])) == EXPECTED
    assert by_address(load_tf(root))["terraform_data.probe"].attrs["input"] == EXPECTED


def test_a_literal_output_is_judged_by_the_rules(tmp_path):
    write_tree(tmp_path, {
        "main.tf": '''
            module "sizes" { source = "./sizes" }
            resource "aws_instance" "big" {
              ami           = "ami-1"
              instance_type = module.sizes.huge
            }
        ''',
        "sizes/main.tf": 'output "huge" { value = "m5.metal" }\n',
    })
    assert by_address(load_tf(tmp_path))["aws_instance.big"].attrs["instance_type"] == "m5.metal"
    code, out, _ = run(["check", ".", "--format", "json"], tmp_path)
    findings = json.loads(out)["findings"]
    assert any(f["resource"] == "aws_instance.big" and "m5.metal" in f["message"] for f in findings), findings


def test_unknown_inputs_and_cycles_stay_unknown_with_a_reason(tmp_path):
    write_tree(tmp_path, {
        "main.tf": '''
            variable "size" {}
            module "a" {
              source = "./m"
              size   = module.b.size
            }
            module "b" {
              source = "./m"
              size   = module.a.size
            }
            module "c" {
              source = "./m"
              size   = var.size
            }
            resource "aws_instance" "cycle" { instance_type = module.a.size }
            resource "aws_instance" "unset" { instance_type = module.c.size }
            resource "aws_instance" "gone" { instance_type = module.c.missing }
        ''',
        "m/main.tf": 'variable "size" {}\nresource "aws_s3_bucket" "b" {}\noutput "size" { value = var.size }\n',
    })
    loaded = load_tf(tmp_path)
    resources = by_address(loaded)
    cycle = resources["aws_instance.cycle"].attrs["instance_type"]
    assert is_unknown(cycle) and "refers to itself" in cycle.reason
    unset = resources["aws_instance.unset"].attrs["instance_type"]
    assert is_unknown(unset) and "variable size has no value" in unset.reason
    assert is_unknown(resources["aws_instance.gone"].attrs["instance_type"])
    # Each module's resources are evaluated once, however often its outputs are read.
    assert sorted(r.address for r in loaded.resources if r.module) == [
        "module.a.aws_s3_bucket.b", "module.b.aws_s3_bucket.b", "module.c.aws_s3_bucket.b"]


def test_an_output_reads_its_resources_known_attributes_and_names_the_rest(tmp_path):
    write_tree(tmp_path, {
        "main.tf": '''
            module "web" { source = "./web" }
            resource "aws_instance" "copy" {
              instance_type = module.web.type
              subnet_id     = module.web.ids[1]
              ami           = module.web.whole
            }
        ''',
        "web/main.tf": '''
            resource "aws_instance" "this" {
              count         = 2
              ami           = "ami-1"
              instance_type = "c6i.large"
            }
            output "type" { value = aws_instance.this[0].instance_type }
            output "ids" { value = aws_instance.this[*].id }
            output "whole" { value = aws_instance.this[0] }
        ''',
    })
    copy = by_address(load_tf(tmp_path))["aws_instance.copy"].attrs
    assert copy["instance_type"] == "c6i.large"
    assert copy["subnet_id"].reason == "depends on module.web.aws_instance.this[1].id"
    assert copy["ami"].reason == "depends on module.web.aws_instance.this[0]"


def test_an_output_of_a_module_not_inspected_says_so(tmp_path):
    write_tree(tmp_path, {"main.tf": '''
        module "vpc" { source = "terraform-aws-modules/vpc/aws" }
        resource "aws_instance" "web" { subnet_id = module.vpc.private_subnets[0] }
    '''})
    subnet = by_address(load_tf(tmp_path))["aws_instance.web"].attrs["subnet_id"]
    assert is_unknown(subnet) and subnet.reason == "an output of module.vpc, which was not inspected"


ASG_MODULE = '''
    variable "launch_template_id" {}
    resource "aws_autoscaling_group" "this" {
      min_size         = 2
      max_size         = 4
      desired_capacity = 2
      launch_template {
        id = var.launch_template_id
      }
    }
'''


def _priced(tmp_path):
    code, out, err = run(["cost", ".", "--format", "json"], tmp_path)
    assert code == 0, err
    return {r["address"]: r for r in json.loads(out)["cost"]["resources"]}


def test_a_callers_resource_passed_into_a_module_prices_the_module(tmp_path):
    write_tree(tmp_path, {
        "main.tf": '''
            provider "aws" { region = "us-east-1" }
            resource "aws_launch_template" "web" {
              instance_type = "m5.large"
            }
            module "asg" {
              source             = "./asg"
              launch_template_id = aws_launch_template.web.id
            }
        ''',
        "asg/main.tf": ASG_MODULE,
    })
    group = _priced(tmp_path)["module.asg.aws_autoscaling_group.this"]
    assert group["unpriced"] is None
    assert group["monthly"]["after"] == round(2 * (730 * 0.096 + 8 * 0.10), 2)  # m5.large + assumed 8 GB gp2 root


def test_a_modules_resource_passed_out_to_another_module_prices_it(tmp_path):
    write_tree(tmp_path, {
        "main.tf": '''
            provider "aws" { region = "us-east-1" }
            module "template" { source = "./template" }
            module "asg" {
              source             = "./asg"
              launch_template_id = module.template.id
            }
        ''',
        "template/main.tf": '''
            resource "aws_launch_template" "this" {
              instance_type = "c5.xlarge"
            }
            output "id" { value = aws_launch_template.this.id }
        ''',
        "asg/main.tf": ASG_MODULE,
    })
    group = _priced(tmp_path)["module.asg.aws_autoscaling_group.this"]
    assert group["unpriced"] is None
    assert group["monthly"]["after"] == round(2 * (730 * 0.17 + 8 * 0.10), 2)


def test_a_reference_inside_a_module_is_to_that_modules_resource(tmp_path):
    write_tree(tmp_path, {
        "main.tf": '''
            provider "aws" { region = "us-east-1" }
            resource "aws_launch_template" "this" { instance_type = "m5.large" }
            module "asg" { source = "./asg" }
        ''',
        "asg/main.tf": '''
            resource "aws_launch_template" "this" { instance_type = "c5.xlarge" }
            resource "aws_autoscaling_group" "this" {
              min_size = 1
              max_size = 1
              launch_template { id = aws_launch_template.this.id }
            }
        ''',
    })
    group = _priced(tmp_path)["module.asg.aws_autoscaling_group.this"]
    assert group["monthly"]["after"] == round(730 * 0.17 + 8 * 0.10, 2)


def test_a_null_input_to_a_variable_that_is_not_nullable_takes_its_default(tmp_path):
    write_tree(tmp_path, {
        "main.tf": '''
            module "m" {
              source = "./m"
              create = null
              name   = null
            }
        ''',
        "m/main.tf": '''
            variable "create" {
              default  = true
              nullable = false
            }
            variable "name" { default = "kept-null" }
            resource "aws_s3_bucket" "b" {
              count  = var.create ? 1 : 0
              bucket = coalesce(var.name, "was-null")
            }
        ''',
    })
    bucket = by_address(load_tf(tmp_path))["module.m.aws_s3_bucket.b[0]"]
    assert bucket.attrs["bucket"] == "was-null"  # a nullable variable keeps the null it was given


def test_a_resource_reads_another_resources_set_attributes_wherever_it_is_declared(tmp_path):
    write_tree(tmp_path, {"main.tf": '''
        resource "aws_rds_cluster" "this" {
          engine            = aws_rds_global_cluster.this.engine
          global_cluster_id = aws_rds_global_cluster.this.id
          tags              = { size = aws_instance.web[1].instance_type }
        }
        resource "aws_rds_global_cluster" "this" {
          engine = "aurora-postgresql"
        }
        resource "aws_instance" "web" {
          count         = 2
          instance_type = "m5.${count.index}xlarge"
        }
        resource "aws_instance" "loop_a" { ami = aws_instance.loop_b.ami }
        resource "aws_instance" "loop_b" { ami = aws_instance.loop_a.ami }
    '''})
    resources = by_address(load_tf(tmp_path))
    cluster = resources["aws_rds_cluster.this"].attrs
    assert cluster["engine"] == "aurora-postgresql"
    assert cluster["global_cluster_id"].reason == "depends on aws_rds_global_cluster.this.id"
    assert cluster["tags"] == {"size": "m5.1xlarge"}
    assert "refers to itself" in resources["aws_instance.loop_a"].attrs["ami"].reason
    assert [r.address for r in load_tf(tmp_path).resources].count("aws_rds_global_cluster.this") == 1
