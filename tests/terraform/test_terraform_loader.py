from guardrails.core.model import is_unknown

from conftest import by_address, load_tf, write_tree

ROOT = {
    "main.tf": '''
        provider "aws" {
          region = var.region
          default_tags {
            tags = { team = "core" }
          }
        }
        provider "aws" {
          alias  = "west"
          region = "us-west-2"
        }
        variable "region" { default = "us-east-1" }
        variable "size" { type = string }
        variable "n" {
          type    = number
          default = 1
        }
        locals {
          tags = merge(var.extra, { env = "prod" })
        }
        variable "extra" {
          default = { app = "shop" }
        }
        resource "aws_instance" "web" {
          count         = var.n
          instance_type = "m5.${var.size}"
          ami           = data.aws_ami.ubuntu.id
          tags = merge(local.tags, {
            Name = "web-${count.index}"
          })
          root_block_device {
            volume_type = "gp2"
          }
          dynamic "ebs_block_device" {
            for_each = ["sdb", "sdc"]
            content {
              device_name = "/dev/${ebs_block_device.value}"
              volume_type = "io1"
            }
          }
        }
        resource "aws_ebs_volume" "data" {
          for_each = { a = 10, b = 20 }
          size     = each.value
          provider = aws.west
        }
        module "app" {
          source = "./modules/app"
          name   = "api"
        }
        module "vpc" {
          source  = "terraform-aws-modules/vpc/aws"
          version = "5.0.0"
        }
        data "aws_ami" "ubuntu" {}
    ''',
    "terraform.tfvars": 'size = "large"\n',
    "prod.auto.tfvars": "n = 2\n",
    "modules/app/main.tf": '''
        variable "name" {}
        resource "aws_db_instance" "db" {
          count          = 1
          identifier     = var.name
          instance_class = "db.t4g.large"
          tags           = { Name = var.name }
        }
    ''',
}


def test_addresses_follow_terraform(tmp_path):
    result = load_tf(write_tree(tmp_path, ROOT))
    assert sorted(by_address(result)) == [
        'aws_ebs_volume.data["a"]', 'aws_ebs_volume.data["b"]',
        "aws_instance.web[0]", "aws_instance.web[1]",
        "data.aws_ami.ubuntu", "module.app.aws_db_instance.db[0]", "module.vpc",
    ]
    assert result.errors == []


def test_values_are_evaluated_from_variables_tfvars_and_locals(tmp_path):
    web = by_address(load_tf(write_tree(tmp_path, ROOT)))["aws_instance.web[1]"]
    assert web.attrs["instance_type"] == "m5.large"
    assert web.attrs["tags"] == {"app": "shop", "env": "prod", "Name": "web-1"}
    assert is_unknown(web.attrs["ami"])
    assert web.attrs["root_block_device"] == [{"volume_type": "gp2"}]
    assert [d["device_name"] for d in web.attrs["ebs_block_device"]] == ["/dev/sdb", "/dev/sdc"]


def test_lines_point_at_attributes_blocks_and_tag_keys(tmp_path):
    web = by_address(load_tf(write_tree(tmp_path, ROOT)))["aws_instance.web[0]"]
    text = (tmp_path / "main.tf").read_text().splitlines()
    assert "instance_type" in text[web.lines["instance_type"] - 1]
    assert "Name" in text[web.lines["tags.Name"] - 1]
    assert "volume_type" in text[web.lines["root_block_device[0].volume_type"] - 1]
    assert "volume_type" in text[web.lines["ebs_block_device[1].volume_type"] - 1]
    assert web.location.file == "main.tf"
    assert text[web.location.line - 1].startswith('resource "aws_instance" "web"')


def test_providers_aliases_and_default_tags(tmp_path):
    resources = by_address(load_tf(write_tree(tmp_path, ROOT)))
    assert resources["aws_instance.web[0]"].provider_config["default_tags"] == {"team": "core"}
    assert resources['aws_ebs_volume.data["a"]'].provider_config["region"] == "us-west-2"
    assert resources["module.app.aws_db_instance.db[0]"].provider_config["region"] == "us-east-1"


def test_local_module_inputs_and_file(tmp_path):
    db = by_address(load_tf(write_tree(tmp_path, ROOT)))["module.app.aws_db_instance.db[0]"]
    assert db.attrs["identifier"] == "api"
    assert db.location.file == "modules/app/main.tf"
    assert db.module == "module.app"


def test_remote_module_is_reported_not_skipped(tmp_path):
    vpc = by_address(load_tf(write_tree(tmp_path, ROOT)))["module.vpc"]
    assert "not local" in vpc.unknown


def test_var_and_var_file_options_override_tfvars(tmp_path):
    write_tree(tmp_path, ROOT)
    (tmp_path / "big.tfvars").write_text('size = "4xlarge"\n')
    result = load_tf(tmp_path, var_files=["big.tfvars"], vars={"n": "3"})
    resources = by_address(result)
    assert resources["aws_instance.web[2]"].attrs["instance_type"] == "m5.4xlarge"


def test_unset_variable_is_unknown(tmp_path):
    files = dict(ROOT)
    files.pop("terraform.tfvars")
    web = by_address(load_tf(write_tree(tmp_path, files)))["aws_instance.web[0]"]
    assert is_unknown(web.attrs["instance_type"])
    assert "variable size has no value" in web.attrs["instance_type"].reason


def test_unknown_count_keeps_one_resource_and_says_why(tmp_path):
    write_tree(tmp_path, {"main.tf": '''
        resource "aws_instance" "x" {
          count         = length(data.aws_subnets.all.ids)
          instance_type = "t3.micro"
        }
    '''})
    (resource,) = load_tf(tmp_path).resources
    assert resource.address == "aws_instance.x"
    assert "count is unknown" in resource.meta["count_unknown"]
    assert resource.attrs["instance_type"] == "t3.micro"


def test_module_count_and_for_each_addresses(tmp_path):
    write_tree(tmp_path, {
        "main.tf": '''
            module "a" {
              source = "./m"
              count  = 2
            }
            module "b" {
              for_each = toset(["x"])
              source   = "./m"
            }
        ''',
        "m/main.tf": 'resource "aws_s3_bucket" "b" {}\n',
    })
    assert sorted(by_address(load_tf(tmp_path))) == [
        "module.a[0].aws_s3_bucket.b", "module.a[1].aws_s3_bucket.b", 'module.b["x"].aws_s3_bucket.b',
    ]


def test_module_providers_mapping(tmp_path):
    write_tree(tmp_path, {
        "main.tf": '''
            provider "aws" { region = "us-east-1" }
            provider "aws" {
              alias  = "eu"
              region = "eu-west-1"
            }
            module "m" {
              source    = "./m"
              providers = { aws = aws.eu }
            }
        ''',
        "m/main.tf": 'resource "aws_s3_bucket" "b" {}\n',
    })
    (bucket,) = load_tf(tmp_path).resources
    assert bucket.provider_config["region"] == "eu-west-1"


def test_tf_json_files(tmp_path):
    write_tree(tmp_path, {"main.tf.json": '''
        {
          "variable": {"size": {"default": "xlarge"}},
          "resource": {
            "aws_instance": {
              "web": {
                "instance_type": "m5.${var.size}",
                "tags": {"owner": "me"},
                "root_block_device": {"volume_type": "gp2"}
              }
            }
          }
        }
    '''})
    (web,) = load_tf(tmp_path).resources
    assert web.attrs["instance_type"] == "m5.xlarge"
    assert web.attrs["tags"] == {"owner": "me"}
    assert web.attrs["root_block_device"] == [{"volume_type": "gp2"}]
    assert web.location.line == 5


def test_syntax_error_is_reported_and_other_directories_still_load(tmp_path):
    write_tree(tmp_path, {
        "bad/main.tf": 'resource "aws_instance" "x" {\n  instance_type = \n}\n',
        "good/main.tf": 'resource "aws_instance" "y" {\n  instance_type = "t3.micro"\n}\n',
    })
    result = load_tf(tmp_path)
    assert [r.address for r in result.resources] == ["aws_instance.y"]
    (error,) = result.errors
    assert error.file == "bad/main.tf" and error.line in (2, 3)


def test_non_utf8_and_binary_files(tmp_path):
    (tmp_path / "a.tf").write_bytes(b'resource "aws_s3_bucket" "b" { bucket = "\xff" }\n')
    (tmp_path / "b.tf").write_bytes(b"\x00\x01\x02")
    result = load_tf(tmp_path)
    assert [e.message for e in result.errors] == ["not valid UTF-8"]
    assert any("binary" in n.message for n in result.notes)


def test_bom_crlf_and_core_functions(tmp_path):
    (tmp_path / "main.tf").write_bytes(
        '\ufeffresource "aws_s3_bucket" "b" {\r\n  bucket = core::lower("LOGS")\r\n}\r\n'.encode()
    )
    (bucket,) = load_tf(tmp_path).resources
    assert bucket.attrs["bucket"] == "logs"


def test_inline_suppressions_attach_to_their_resource(tmp_path):
    write_tree(tmp_path, {"main.tf": '''
        # guardrails:ignore tags until=2099-01-01 legacy bucket, owner unknown
        resource "aws_s3_bucket" "a" {}

        resource "aws_s3_bucket" "b" {
          bucket = "x" // guardrails:ignore storage-tier reason here
        }
    '''})
    resources = by_address(load_tf(tmp_path))
    (a,) = resources["aws_s3_bucket.a"].suppressions
    assert a.rules == ("tags",) and a.until == "2099-01-01"
    (b,) = resources["aws_s3_bucket.b"].suppressions
    assert b.rules == ("storage-tier",)


def test_module_cycle_is_an_error_not_a_hang(tmp_path):
    write_tree(tmp_path, {
        "main.tf": 'module "a" {\n  source = "./a"\n}\n',
        "a/main.tf": 'module "b" {\n  source = "../b"\n}\n',
        "b/main.tf": 'module "a" {\n  source = "../a"\n}\n',
    })
    result = load_tf(tmp_path)
    assert any("cycle" in e.message for e in result.errors)


def test_meta_argument_names_are_kept_where_they_are_real_attributes(tmp_path):
    write_tree(tmp_path, {"main.tf": '''
        resource "aws_eks_cluster" "c" {
          version  = "1.29"
          count    = 1
          provider = aws
          launch_template {
            version = "$Latest"
            source  = "x"
          }
        }
    '''})
    (cluster,) = load_tf(tmp_path).resources
    assert cluster.attrs["version"] == "1.29"
    assert cluster.attrs["launch_template"] == [{"version": "$Latest", "source": "x"}]
    assert "count" not in cluster.attrs and "provider" not in cluster.attrs


def test_moved_blocks_are_collected_with_module_prefixes(tmp_path):
    write_tree(tmp_path, {
        "main.tf": '''
            moved {
              from = aws_instance.old
              to   = aws_instance.new["blue"]
            }
            module "m" {
              source = "./m"
            }
        ''',
        "m/main.tf": 'moved {\n  from = aws_s3_bucket.a[0]\n  to   = aws_s3_bucket.b\n}\n',
    })
    assert sorted(load_tf(tmp_path).moved) == [
        ("aws_instance.old", 'aws_instance.new["blue"]'),
        ("module.m.aws_s3_bucket.a[0]", "module.m.aws_s3_bucket.b"),
    ]


def test_json_tfvars_files(tmp_path):
    write_tree(tmp_path, {
        "main.tf": 'variable "size" {}\nvariable "n" {\n  type = number\n}\nresource "aws_instance" "a" {\n  count         = var.n\n  instance_type = var.size\n}\n',
        "terraform.tfvars.json": '{"size": "t3.small"}',
        "x.auto.tfvars.json": '{"n": "2"}',
    })
    resources = by_address(load_tf(tmp_path))
    assert sorted(resources) == ["aws_instance.a[0]", "aws_instance.a[1]"]
    assert resources["aws_instance.a[1]"].attrs["instance_type"] == "t3.small"


def test_a_module_that_calls_itself_is_an_input_error_not_a_silent_pass(tmp_path):
    # `module "me" { source = "./" }` made the directory look called, so it was never a root.
    write_tree(tmp_path, {"main.tf": 'module "me" {\n  source = "./"\n}\n'
                                     'resource "aws_instance" "a" {\n  instance_type = "t3.micro"\n}\n'})
    result = load_tf(tmp_path)
    assert [r.address for r in result.resources] == ["aws_instance.a"]
    assert [(e.file, e.line, e.message) for e in result.errors] == [
        ("main.tf", 1, "module.me: module calls nest too deeply or form a cycle")]
