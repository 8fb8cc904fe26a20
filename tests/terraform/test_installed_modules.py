"""Modules installed by `terraform init` (.terraform/modules/modules.json) are inspected like local ones."""
import json
import subprocess

import pytest

from guardrails.core.model import is_unknown
from guardrails.terraform.versions import ConstraintError, meets, newest

from conftest import by_address, load_tf, run, write_tree

VPC = '''
    variable "cidr" { default = "10.0.0.0/16" }
    variable "nat" { default = false }
    resource "aws_vpc" "this" { cidr_block = var.cidr }
    resource "aws_nat_gateway" "this" {
      count     = var.nat ? 1 : 0
      subnet_id = "subnet-1"
    }
    module "flow" { source = "terraform-aws-modules/flow/aws" }
    output "vpc_id" { value = aws_vpc.this.id }
'''
FLOW = '''
    resource "aws_cloudwatch_log_group" "this" {
      name = "flow"
      tags = { owner = "net" }
    }
'''


def manifest(*entries):
    modules = [{"Key": "", "Source": "", "Dir": "."}]
    modules += [dict(zip(("Key", "Source", "Version", "Dir"), entry)) for entry in entries]
    return json.dumps({"Modules": modules})


def installed_tree(tmp_path, root_tf, version="5.1.0", extra=None):
    files = {
        "main.tf": root_tf,
        ".terraform/modules/modules.json": manifest(
            ("vpc", "registry.terraform.io/terraform-aws-modules/vpc/aws", version, ".terraform/modules/vpc"),
            ("vpc.flow", "registry.terraform.io/terraform-aws-modules/flow/aws", "1.0.0",
             ".terraform/modules/vpc.flow")),
        ".terraform/modules/vpc/main.tf": VPC,
        ".terraform/modules/vpc.flow/main.tf": FLOW,
    }
    files.update(extra or {})
    return write_tree(tmp_path, files)


ROOT = '''
    provider "aws" { region = "us-east-1" }
    module "vpc" {
      source  = "terraform-aws-modules/vpc/aws"
      version = "~> 5.0"
      nat     = true
    }
    resource "aws_instance" "web" {
      ami           = "ami-1"
      instance_type = "t3.micro"
      subnet_id     = module.vpc.vpc_id
    }
'''


def test_installed_registry_modules_are_read_nested_ones_too(tmp_path):
    resources = by_address(load_tf(installed_tree(tmp_path, ROOT)))
    assert {"module.vpc.aws_vpc.this", "module.vpc.aws_nat_gateway.this[0]",
            "module.vpc.module.flow.aws_cloudwatch_log_group.this"} <= set(resources)
    assert not [a for a, r in resources.items() if r.type == "module"]
    assert resources["module.vpc.aws_vpc.this"].location.file == ".terraform/modules/vpc/main.tf"
    assert resources["aws_instance.web"].attrs["subnet_id"].reason == "depends on module.vpc.aws_vpc.this.id"


def test_installed_modules_are_checked_and_priced_with_no_not_inspected_finding(tmp_path):
    installed_tree(tmp_path, ROOT)
    code, out, err = run(["cost", ".", "--format", "json"], tmp_path)
    assert code == 0, err
    lines = {r["address"]: r for r in json.loads(out)["cost"]["resources"]}
    nat = lines["module.vpc.aws_nat_gateway.this[0]"]
    assert nat["unpriced"] is None and nat["monthly"]["after"] > 0
    code, out, _ = run(["check", ".", "--format", "json"], tmp_path)
    findings = json.loads(out)["findings"]
    assert not [f for f in findings if f["rule"] == "module-not-inspected"]
    assert any(f["resource"] == "module.vpc.aws_nat_gateway.this[0]" for f in findings)  # judged: no owner tag


@pytest.mark.parametrize("version, source, why", [
    ("4.0.0", "terraform-aws-modules/vpc/aws", "the installed version 4.0.0 does not meet version '~> 5.0'"),
    ("5.1.0", "acme/vpc/aws", "the installed module came from"),
])
def test_an_installed_module_that_is_not_the_one_asked_for_is_not_inspected(tmp_path, version, source, why):
    installed_tree(tmp_path, ROOT.replace('"terraform-aws-modules/vpc/aws"', f'"{source}"'), version=version)
    resources = by_address(load_tf(tmp_path))
    assert why in resources["module.vpc"].unknown and "run terraform init" in resources["module.vpc"].unknown
    assert "module.vpc.aws_vpc.this" not in resources


def test_a_hostile_manifest_stays_inside_the_repository(tmp_path):
    outside = tmp_path / "outside"
    write_tree(outside, {"main.tf": 'resource "aws_instance" "secret" {}\n'})
    repo = tmp_path / "repo"
    write_tree(repo, {
        "main.tf": 'module "vpc" { source = "terraform-aws-modules/vpc/aws" }\n',
        ".terraform/modules/modules.json": manifest(("vpc", "terraform-aws-modules/vpc/aws", "1.0.0", "../outside")),
    })
    result = load_tf(repo)
    assert "module.vpc.aws_instance.secret" not in by_address(result)
    assert any("outside the repository" in n.message for n in result.notes)
    assert by_address(result)["module.vpc"].unknown


@pytest.mark.parametrize("text", ["{not json", '{"Modules": 3}', '{"Modules": [{"Key": 1}]}'])
def test_a_malformed_manifest_is_a_note_and_the_rest_is_checked(tmp_path, text):
    write_tree(tmp_path, {
        "main.tf": 'module "vpc" { source = "terraform-aws-modules/vpc/aws" }\n'
                   'resource "aws_instance" "web" { instance_type = "t3.micro" }\n',
        ".terraform/modules/modules.json": text,
    })
    code, out, err = run(["check", ".", "--format", "json"], tmp_path)
    assert code == 0 and "Traceback" not in err
    report = json.loads(out)
    assert any(f["resource"] == "aws_instance.web" for f in report["findings"])
    assert any(f["rule"] == "module-not-inspected" for f in report["findings"])


def test_an_installed_module_reads_its_own_files_but_never_the_backend_state(tmp_path):
    installed_tree(tmp_path, ROOT, extra={
        ".terraform/terraform.tfstate": '{"backend": {"config": {"access_key": "AKIASECRET"}}}',
        ".terraform/modules/vpc/name.txt": "shop-vpc",
        ".terraform/modules/vpc/main.tf": VPC + '''
            resource "aws_s3_bucket" "named" { bucket = trimspace(file("${path.module}/name.txt")) }
            resource "aws_s3_bucket" "stolen" { bucket = file("${path.root}/.terraform/terraform.tfstate") }
        ''',
    })
    resources = by_address(load_tf(tmp_path))
    assert resources["module.vpc.aws_s3_bucket.named"].attrs["bucket"] == "shop-vpc"
    assert is_unknown(resources["module.vpc.aws_s3_bucket.stolen"].attrs["bucket"])


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.com", "PATH": "/usr/bin:/bin", "HOME": str(cwd)})


def test_diff_reads_installed_modules_for_both_sides_and_says_when_the_base_pins_another(tmp_path):
    installed_tree(tmp_path, ROOT.replace('"~> 5.0"', '"~> 4.0"'), extra={".gitignore": ".terraform/\n"})
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "base pins 4.x")
    (tmp_path / "main.tf").write_text(ROOT)  # the pull request moves to 5.x, which is installed
    _git(tmp_path, "commit", "-q", "-am", "head pins 5.x")
    code, out, err = run(["diff", "--base", "HEAD~1", "--head", "HEAD", "--format", "json"], tmp_path)
    assert code in (0, 1), err
    report = json.loads(out)
    by_address_ = {r["address"]: r for r in report["cost"]["resources"]}
    nat = by_address_["module.vpc.aws_nat_gateway.this[0]"]
    assert nat["monthly"]["before"] is None and nat["monthly"]["after"] > 0
    assert not [f for f in report["findings"] if f["rule"] == "module-not-inspected"]  # the head's call is read
    # The base asks for 4.x, 5.1.0 is installed: its module is not inspected, and the report says so.
    assert any("module.vpc in HEAD~1" in n["message"] and "does not meet version '~> 4.0'" in n["message"]
               and "counted as added" in n["message"] for n in report["notes"]), report["notes"]


@pytest.mark.parametrize("version, constraint, expected", [
    ("5.1.0", "~> 5.0", True), ("6.0.0", "~> 5.0", False), ("5.1.9", "~> 5.1.2", True),
    ("5.2.0", "~> 5.1.2", False), ("1.4.0", ">= 1.2, < 2.0, != 1.3.0", True), ("1.3.0", ">= 1.2, != 1.3.0", False),
    ("2.0.0-beta1", ">= 1.0", False), ("2.0.0-beta1", "= 2.0.0-beta1", True), ("1.0.0", "1.0.0", True),
    ("3.0.0", "~> 2", True), ("1.9.0", "~> 2", False),
])
def test_version_constraints_read_as_terraform_reads_them(version, constraint, expected):
    assert meets(version, constraint) is expected


def test_newest_meeting_a_constraint_and_bad_constraints():
    assert newest(["1.0.0", "1.2.0", "2.0.0", "2.1.0-rc1"], "~> 1.0") == "1.2.0"
    assert newest(["1.0.0", "2.1.0-rc1"], None) == "1.0.0"
    with pytest.raises(ConstraintError):
        meets("1.0.0", ">= banana")
