"""Terraform and OpenTofu as they are today: .tofu files, provider for_each, the blocks that deploy
nothing, provider-defined functions, variable validation, files that are not a module."""
import json
import shutil
import subprocess

import pytest

from guardrails.core.model import is_unknown

from conftest import by_address, load_tf, run, write_tree


def test_a_tofu_file_takes_the_place_of_the_tf_file_of_the_same_name(tmp_path):
    write_tree(tmp_path, {
        "main.tf": 'resource "aws_instance" "web" { instance_type = "m5.24xlarge" }\n',
        "main.tofu": 'resource "aws_instance" "web" { instance_type = "t3.micro" }\n',
        "extra.tofu.json": json.dumps({"resource": {"aws_s3_bucket": {"logs": {"bucket": "logs"}}}}),
        "extra.tf.json": json.dumps({"resource": {"aws_s3_bucket": {"other": {"bucket": "other"}}}}),
        "only.tf": 'resource "aws_eip" "ip" {}\n',
    })
    resources = by_address(load_tf(tmp_path))
    assert resources["aws_instance.web"].attrs["instance_type"] == "t3.micro"
    assert resources["aws_instance.web"].location.file == "main.tofu"
    assert set(resources) == {"aws_instance.web", "aws_s3_bucket.logs", "aws_eip.ip"}


def test_provider_for_each_gives_each_instance_its_region(tmp_path):
    write_tree(tmp_path, {
        "main.tofu": '''
            variable "regions" {
              default = { eu = "eu-west-1", us = "us-east-2" }
            }
            provider "aws" {
              alias    = "by_region"
              for_each = var.regions
              region   = each.value
            }
            resource "aws_instance" "web" {
              for_each      = var.regions
              provider      = aws.by_region[each.key]
              instance_type = "t3.micro"
            }
            module "m" {
              source    = "./m"
              for_each  = var.regions
              providers = { aws = aws.by_region[each.key] }
            }
        ''',
        "m/main.tf": 'resource "aws_s3_bucket" "b" {}\n',
    })
    resources = by_address(load_tf(tmp_path))
    assert resources['aws_instance.web["eu"]'].provider_config["region"] == "eu-west-1"
    assert resources['aws_instance.web["us"]'].provider_config["region"] == "us-east-2"
    assert resources['module.m["us"].aws_s3_bucket.b'].provider_config["region"] == "us-east-2"


def test_blocks_that_deploy_nothing_are_read_and_never_priced(tmp_path):
    write_tree(tmp_path, {"main.tf": '''
        provider "aws" { region = "us-east-1" }
        resource "aws_instance" "web" { instance_type = "t3.micro" }
        import {
          to = aws_instance.web
          id = "i-123"
        }
        removed {
          from = aws_instance.old
          lifecycle { destroy = false }
        }
        moved {
          from = aws_instance.legacy
          to   = aws_instance.web
        }
        check "health" {
          data "http" "site" { url = "https://example.com" }
          assert {
            condition     = data.http.site.status_code == 200
            error_message = "down"
          }
        }
        ephemeral "aws_secretsmanager_secret_version" "db" { secret_id = "db" }
        resource "aws_db_instance" "db" {
          instance_class = "db.t3.micro"
          password_wo    = ephemeral.aws_secretsmanager_secret_version.db.secret_string
        }
    '''})
    result = load_tf(tmp_path)
    assert sorted(by_address(result)) == ["aws_db_instance.db", "aws_instance.web"]
    assert not result.errors
    code, out, err = run(["cost", ".", "--format", "json"], tmp_path)
    assert code == 0, err
    assert sorted(r["address"] for r in json.loads(out)["cost"]["resources"]) == ["aws_db_instance.db", "aws_instance.web"]


def test_a_provider_defined_function_is_unknown_with_the_reason(tmp_path):
    write_tree(tmp_path, {"main.tf": '''
        resource "aws_s3_bucket" "b" {
          bucket = provider::aws::arn_parse("arn:aws:s3:::logs").resource
        }
    '''})
    bucket = by_address(load_tf(tmp_path))["aws_s3_bucket.b"].attrs["bucket"]
    assert is_unknown(bucket) and "provider::aws::arn_parse() is a provider's" in bucket.reason


VALIDATED = '''
    variable "size" {
      type    = string
      default = "%s"
      validation {
        condition     = can(regex("^(t3|m5)\\\\.", var.size))
        error_message = "size must be a t3 or m5 type, not ${var.size}."
      }
    }
    variable "unset" {
      type = string
      validation {
        condition     = length(var.unset) > 3
        error_message = "never judged: the value is unknown"
      }
    }
    resource "aws_instance" "web" { instance_type = var.size }
'''


def test_a_failing_validation_is_an_input_error_naming_the_variable(tmp_path):
    write_tree(tmp_path, {"main.tf": VALIDATED % "x9.large"})
    result = load_tf(tmp_path)
    assert [(e.file, e.line, e.message) for e in result.errors] == [
        ("main.tf", 5, "variable 'size': invalid value: size must be a t3 or m5 type, not x9.large.")]
    assert is_unknown(by_address(result)["aws_instance.web"].attrs["instance_type"])
    code, out, err = run(["check", "."], tmp_path)
    assert code == 2 and "main.tf:5" in out + err and "variable 'size': invalid value" in out + err


def test_a_passing_validation_says_nothing(tmp_path):
    write_tree(tmp_path, {"main.tf": VALIDATED % "m5.large"})
    result = load_tf(tmp_path)
    assert result.errors == [] and by_address(result)["aws_instance.web"].attrs["instance_type"] == "m5.large"


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed")
def test_terraform_agrees_on_the_validation(tmp_path):
    write_tree(tmp_path, {"main.tf": VALIDATED.replace('resource "aws_instance" "web" { instance_type = var.size }', "")
                          % "x9.large"})
    env = {"PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": str(tmp_path), "CHECKPOINT_DISABLE": "1"}
    subprocess.run(["terraform", "init", "-backend=false", "-input=false"], cwd=tmp_path, env=env,
                   capture_output=True, timeout=120)
    done = subprocess.run(["terraform", "console"], cwd=tmp_path, env=env, input="var.size\n",
                          capture_output=True, text=True, timeout=120)
    assert "size must be a t3 or m5 type, not x9.large." in done.stdout + done.stderr


def test_stacks_tests_and_queries_are_not_mistaken_for_a_module(tmp_path):
    write_tree(tmp_path, {
        "stack/components.tfcomponent.hcl": 'component "vpc" {\n  source = "./vpc"\n}\n',
        "stack/prod.tfdeploy.hcl": 'deployment "prod" {\n  inputs = {}\n}\n',
        "mod/main.tf": 'resource "aws_eip" "ip" {}\n',
        "mod/tests/main.tftest.hcl": 'run "plan" {\n  command = plan\n}\n',
        "mod/list.tfquery.hcl": 'list "aws_instance" "all" {\n  provider = aws\n}\n',
    })
    code, out, err = run(["check", ".", "--format", "json"], tmp_path)
    assert code in (0, 1), err
    report = json.loads(out)
    assert report["errors"] == []
    notes = {n["file"]: n["message"] for n in report["notes"]}
    assert "Terraform Stacks file" in notes["stack/components.tfcomponent.hcl"]
    assert not any("tftest" in f or "tfquery" in f for f in notes)
    code, _, err = run(["check", "mod/tests/main.tftest.hcl"], tmp_path)
    assert code == 0 and "Traceback" not in err


def test_a_module_source_from_variables_and_locals_is_a_call_not_another_root(tmp_path):
    write_tree(tmp_path, {
        "main.tofu": '''
            locals { where = "./mods" }
            variable "name" { default = "a" }
            module "x" { source = "${local.where}/${var.name}" }
        ''',
        "mods/a/main.tf": 'resource "aws_eip" "ip" {}\n',
    })
    assert sorted(by_address(load_tf(tmp_path))) == ["module.x.aws_eip.ip"]
