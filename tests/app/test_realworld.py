"""Shapes met in real public repositories (issue 7, part 3), re-created in a few lines each.

Each test names the shape, not the repository: module libraries with examples/ roots, variable
types with optional() attributes, Terraform templates beside manifests, and so on. Tests marked
xfail(strict) describe a problem whose fix lies in a file another engineer owns; they turn into
failures (XPASS) the moment the fix lands, so the mark is removed with it.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import by_address, load_tf, run, write_tree

POLICY = """
version: 1
rules:
  - id: owner
    type: required-tags
    match: {resources: ["aws_*"]}
    tags: [owner]
  - id: sizes
    type: instance-size
    match: {resources: [aws_instance, aws_launch_template]}
    families: [t3]
"""


def _check_json(root: Path, *paths: str) -> tuple[int, dict]:
    (root / "policy.yaml").write_text(POLICY, encoding="utf-8")
    code, out, err = run(["check", *paths, "--policy", "policy.yaml", "--format", "json"], root)
    assert code != 3, err
    assert "Traceback" not in err
    return code, json.loads(out)


# --- module libraries: one reusable module, several example roots calling it -----------------

def test_each_example_root_keeps_its_own_finding_for_a_remote_module(tmp_path):
    # Module libraries ship examples/<name>/main.tf roots that each call a registry module under
    # the same name; every root's call is a finding of its own, at its own line.
    call = 'module "net" {\n  source = "acme/network/aws"\n}\n'
    write_tree(tmp_path, {"examples/one/main.tf": call, "examples/two/main.tf": "# two\n\n" + call})
    _, report = _check_json(tmp_path, "examples")
    owner = [(f["file"], f["line"]) for f in report["findings"] if f["rule"] == "module-not-inspected"]
    assert owner == [("examples/one/main.tf", 1), ("examples/two/main.tf", 3)]


def test_example_root_calling_the_repository_root_module(tmp_path):
    # The usual layout: the module at the top, examples calling it with source = "../../".
    write_tree(tmp_path, {
        "main.tf": """
        variable "instance_type" {
          type    = string
          default = "t3.micro"
        }
        variable "tags" {
          type    = map(string)
          default = {}
        }
        resource "aws_instance" "this" {
          ami           = "ami-1"
          instance_type = var.instance_type
          tags          = var.tags
        }
        """,
        "examples/big/main.tf": """
        module "box" {
          source        = "../../"
          instance_type = "m5.large"
          tags          = { owner = "team" }
        }
        """,
    })
    _, report = _check_json(tmp_path, "examples/big")
    sizes = [f for f in report["findings"] if f["rule"] == "sizes"]
    assert [f["resource"] for f in sizes] == ["module.box.aws_instance.this"]
    assert not [f for f in report["findings"] if f["rule"] == "owner"]
    assert report["errors"] == []


# --- variable types with optional() attributes ----------------------------------------------

def test_optional_object_attributes_default_to_null(tmp_path):
    # Node-group style inputs: a map of objects whose attributes are mostly optional().
    write_tree(tmp_path, {"main.tf": """
    variable "groups" {
      type = map(object({
        size = optional(string)
        tags = optional(map(string), {})
      }))
      default = {
        small = {}
      }
    }
    resource "aws_instance" "node" {
      for_each      = var.groups
      ami           = "ami-1"
      instance_type = coalesce(each.value.size, "t3.micro")
      tags          = merge({ owner = "team" }, each.value.tags)
    }
    """})
    node = by_address(load_tf(tmp_path))['aws_instance.node["small"]']
    assert node.attrs["instance_type"] == "t3.micro"
    assert node.attrs["tags"] == {"owner": "team"}


# --- functions module libraries call everywhere ---------------------------------------------

def test_basename_of_path_cwd_names_the_example(tmp_path):
    write_tree(tmp_path, {"examples/simple/main.tf": """
    locals {
      name = "ex-${basename(path.cwd)}"
    }
    resource "aws_instance" "web" {
      ami           = "ami-1"
      instance_type = "t3.micro"
      tags          = local.name != "" ? { Name = local.name, owner = "a" } : {}
    }
    """})
    web = by_address(load_tf(tmp_path, ["examples/simple"]))["aws_instance.web"]
    assert web.attrs["tags"] == {"Name": "ex-simple", "owner": "a"}


@pytest.mark.parametrize("expr, expected", [
    ('upper("t3")', "T3"),  # a function that is there: the probe itself works
    ('alltrue([true, 1 == 1])', True),
    ('anytrue([false, true])', True),
    ('regex("^([a-z]+)", "abc123")[0]', "abc"),
    ('strcontains("t3.micro", ".")', True),
    ('setsubtract(["a", "b"], ["b"])', ["a"]),
    ('cidrsubnet("10.0.0.0/16", 8, 2)', "10.0.2.0/24"),
    ('base64encode("hi")', "aGk="),
    ('nonsensitive("x")', "x"),
])
def test_common_pure_functions_are_evaluated(tmp_path, expr, expected):
    write_tree(tmp_path, {"main.tf": f"""
    resource "aws_instance" "web" {{
      ami           = "ami-1"
      instance_type = "t3.micro"
      tags          = {{ owner = "a", probe = jsonencode({expr}) }}
    }}
    """})
    web = by_address(load_tf(tmp_path))["aws_instance.web"]
    assert json.loads(web.attrs["tags"]["probe"]) == expected


def test_yaml_factory_read_from_the_module_directory(tmp_path):
    write_tree(tmp_path, {
        "main.tf": """
        locals {
          boxes = {
            for f in fileset("${path.module}/data", "*.yaml") :
            trimsuffix(f, ".yaml") => yamldecode(file("${path.module}/data/${f}"))
          }
        }
        resource "aws_instance" "box" {
          for_each      = local.boxes
          ami           = "ami-1"
          instance_type = each.value.type
          tags          = { owner = "a" }
        }
        """,
        "data/api.yaml": "type: t3.small\n",
    })
    box = by_address(load_tf(tmp_path))['aws_instance.box["api"]']
    assert box.attrs["instance_type"] == "t3.small"


# --- syntax python-hcl2 rejects but Terraform accepts ----------------------------------------

def test_heredoc_end_marker_followed_by_spaces(tmp_path):
    write_tree(tmp_path, {"main.tf": (
        'resource "aws_instance" "web" {\n'
        '  ami           = "ami-1"\n'
        '  instance_type = "t3.micro"\n'
        '  user_data     = <<EOT\n'
        'echo hi\n'
        'EOT   \n'
        '  tags = { owner = "a" }\n'
        '}\n'
    )})
    result = load_tf(tmp_path)
    assert result.errors == []
    assert by_address(result)["aws_instance.web"].attrs["user_data"] == "echo hi\n"


def test_attribute_access_continued_on_the_next_line(tmp_path):
    write_tree(tmp_path, {"main.tf": """
    locals {
      cfg = { node = { size = "t3.micro" } }
    }
    resource "aws_instance" "web" {
      ami = "ami-1"
      instance_type = try(
        local.cfg
        .node
        .size,
        "t3.nano"
      )
      tags = { owner = "a" }
    }
    """})
    result = load_tf(tmp_path)
    assert result.errors == []
    assert by_address(result)["aws_instance.web"].attrs["instance_type"] == "t3.micro"


# --- Terraform templates that sit beside manifests -------------------------------------------

def test_terraform_template_yaml_is_skipped_with_a_note(tmp_path):
    write_tree(tmp_path, {
        "main.tf": """
        resource "aws_instance" "web" {
          ami           = "ami-1"
          instance_type = "t3.micro"
          user_data     = templatefile("${path.module}/cloud-config.yaml", { users = [] })
          tags          = { owner = "a" }
        }
        """,
        "cloud-config.yaml": """
        #cloud-config
        %{ if length(users) > 0 ~}
        users:
        %{ for u in users ~}
          - name: ${u}
        %{ endfor ~}
        %{ endif ~}
        """,
    })
    code, report = _check_json(tmp_path, ".")
    assert report["errors"] == []
    assert code == 0
    assert any(n["file"] == "cloud-config.yaml" for n in report["notes"])


def test_unrendered_terraform_template_never_crashes(tmp_path):
    # Whatever the verdict on the template above, the rest of the repository is checked.
    write_tree(tmp_path, {
        "vm.yaml": "runcmd:\n  - echo ${x == null ? \"\" : \"-y\"}: z\n%{ if a ~}\nb: 1\n%{ endif ~}\n",
        "deploy.yaml": """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api}
        spec:
          template:
            spec:
              containers:
                - name: api
                  image: api:1
        """,
    })
    policy = "version: 1\nrules:\n  - id: res\n    type: k8s-resources\n    require: [limits.memory]\n"
    (tmp_path / "policy.yaml").write_text(policy, encoding="utf-8")
    code, out, err = run(["check", ".", "--policy", "policy.yaml", "--format", "json"], tmp_path)
    assert code in (1, 2), err
    report = json.loads(out)
    assert [f["resource"] for f in report["findings"]] == ["Deployment/default/api"]


# --- providers ----------------------------------------------------------------------------

def test_resources_of_the_google_beta_provider_are_priced_like_google(tmp_path):
    vm = """
    resource "google_compute_instance" "{name}" {{
      {provider}
      name         = "vm"
      zone         = "us-central1-a"
      machine_type = "e2-medium"
      boot_disk {{
        initialize_params {{
          image = "debian-12"
        }}
      }}
    }}
    """
    write_tree(tmp_path, {"main.tf": vm.format(name="ga", provider="")
                          + vm.format(name="beta", provider="provider = google-beta")})
    code, out, err = run(["cost", ".", "--format", "json"], tmp_path)
    assert code == 0, err
    lines = {r["address"]: r for r in json.loads(out)["cost"]["resources"]}
    assert lines["google_compute_instance.beta"]["unpriced"] is None
    assert lines["google_compute_instance.beta"]["monthly"] == lines["google_compute_instance.ga"]["monthly"]
    assert lines["google_compute_instance.ga"]["monthly"]["after"] > 0


def test_free_configuration_and_local_helpers_are_not_reported_unpriced(tmp_path):
    # Module libraries carry many resources that cost nothing: IAM grants, API enablement, tags,
    # access entries, and helper providers that only compute values locally.
    write_tree(tmp_path, {"main.tf": """
    resource "null_resource" "wait" {}
    resource "random_id" "suffix" {
      byte_length = 4
    }
    resource "time_sleep" "settle" {
      create_duration = "30s"
    }
    resource "terraform_data" "marker" {}
    resource "google_project_iam_member" "viewer" {
      project = "p"
      role    = "roles/viewer"
      member  = "user:a@example.com"
    }
    resource "google_storage_bucket_iam_binding" "readers" {
      bucket  = "b"
      role    = "roles/storage.objectViewer"
      members = []
    }
    resource "google_project_service" "compute" {
      project = "p"
      service = "compute.googleapis.com"
    }
    resource "aws_ec2_tag" "extra" {
      resource_id = "sg-1"
      key         = "k"
      value       = "v"
    }
    resource "aws_eks_access_entry" "admin" {
      cluster_name  = "c"
      principal_arn = "arn:aws:iam::1:role/admin"
    }
    resource "aws_cognito_user_pool" "jobs" {}
    resource "google_bigtable_instance" "events" {
      name = "events"
    }
    """})
    code, out, err = run(["cost", ".", "--format", "json"], tmp_path)
    assert code == 0, err
    unpriced = {r["address"]: r["unpriced"] for r in json.loads(out)["cost"]["resources"]}
    # Billed services without a model stay visible as unpriced; the free ones are gone.
    assert unpriced == {
        "aws_cognito_user_pool.jobs": "resource type aws_cognito_user_pool is not modelled",
        "google_bigtable_instance.events": "resource type google_bigtable_instance is not modelled",
    }


def test_same_object_in_two_example_directories_is_reported_in_each(tmp_path):
    # Example collections repeat names (every guestbook has a "frontend"): each file is a
    # separate manifest a user may apply, and each keeps its finding.
    deployment = """
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: frontend}
    spec:
      template:
        spec:
          containers:
            - name: web
              image: web:1
    """
    write_tree(tmp_path, {"guestbook/web.yaml": deployment, "guestbook-go/web.yaml": deployment})
    policy = "version: 1\nrules:\n  - id: res\n    type: k8s-resources\n    require: [limits.memory]\n"
    (tmp_path / "policy.yaml").write_text(policy, encoding="utf-8")
    code, out, err = run(["check", ".", "--policy", "policy.yaml", "--format", "json"], tmp_path)
    assert code == 1, err
    files = [f["file"] for f in json.loads(out)["findings"]]
    assert files == ["guestbook-go/web.yaml", "guestbook/web.yaml"]


def test_two_roots_calling_one_module_keep_a_finding_each_and_say_their_root(tmp_path):
    # terraform-aws-rds-aurora's shape: several examples call the same module under one name, so
    # the module's resource has one address, file and line in every root.
    module = 'resource "aws_instance" "this" {\n  ami           = "ami-1"\n  instance_type = "m5.large"\n}\n'
    call = 'module "aurora" {\n  source = "../../modules/db"\n}\n'
    write_tree(tmp_path, {"modules/db/main.tf": module,
                          "examples/one/main.tf": call, "examples/two/main.tf": call})
    _, report = _check_json(tmp_path, ".")
    sizes = [(f["resource"], f["file"], f["line"], f["root"]) for f in report["findings"] if f["rule"] == "sizes"]
    assert sizes == [("module.aurora.aws_instance.this", "modules/db/main.tf", 3, "examples/one"),
                     ("module.aurora.aws_instance.this", "modules/db/main.tf", 3, "examples/two")]
    code, out, _ = run(["check", ".", "--policy", "policy.yaml"], tmp_path)
    assert "module.aurora.aws_instance.this  (root examples/one)" in out
    assert "module.aurora.aws_instance.this  (root examples/two)" in out


def test_a_resource_of_the_root_itself_names_no_other_root(tmp_path):
    write_tree(tmp_path, {"envs/prod/main.tf": 'resource "aws_instance" "a" {\n  instance_type = "m5.large"\n}\n'})
    _, report = _check_json(tmp_path, ".")
    [finding] = [f for f in report["findings"] if f["rule"] == "sizes"]
    assert finding["root"] == "envs/prod"
    code, out, _ = run(["check", ".", "--policy", "policy.yaml"], tmp_path)
    assert "(root " not in out
