"""Regions as Terraform resolves them, and resources priced in part, through the real CLI.

A user catalog adds a region of our own making (eu-west-9) with one EC2 price and nothing else, so
what is missing there does not depend on the bundled catalog's coverage.
"""
import json

import pytest
from conftest import run, write_tree

M = 730
CATALOG = {"format": "guardrails.catalog/v1",
           "sources": [{"id": "mine", "name": "test prices", "published": "2026-11-01"}],
           "prices": [["aws", "ec2", "eu-west-9", "m5.large", 0.2, "hour", "mine"],
                      ["aws", "ebs", "eu-west-9", "gp3", 0.5, "GB-month", "mine"]]}
POLICY = "version: 1\nsettings: {prices: prices.json}\nrules: []\n"
INSTANCE = 'resource "aws_instance" "web" {\n  instance_type = "m5.large"\n}\n'


def repo(tmp_path, main_tf: str, policy: str = POLICY):
    write_tree(tmp_path, {".git/HEAD": "", "main.tf": main_tf, "p.yaml": policy,
                          "prices.json": json.dumps(CATALOG)})
    return tmp_path


def cost(tmp_path, *args):
    code, out, err = run(["cost", ".", "--policy", "p.yaml", "--format", "json", *args], tmp_path)
    assert code == 0, err
    return json.loads(out)["cost"]


def only(cost_block):
    (line,) = cost_block["resources"]
    return line


def test_a_missing_part_is_listed_and_the_rest_priced(tmp_path):
    # eu-west-9 has an m5.large price but no gp2 price: the assumed 8 GB gp2 root volume is missing.
    block = cost(repo(tmp_path, 'provider "aws" {\n  region = "eu-west-9"\n}\n' + INSTANCE))
    line = only(block)
    assert line["unpriced"] is None and line["incomplete"] is True
    assert line["monthly"]["after"] == round(M * 0.2, 2)
    assert [c["name"] for c in line["components"]] == ["Instance usage (Linux, on-demand, m5.large)"]
    assert line["missing"] == [{"name": "Root volume (gp2, 8 GB, assumed)",
                                "reason": "EBS volume type gp2 is not in the price catalog (aws ebs, eu-west-9)"}]
    assert block["incomplete"] == 1 and block["monthly"]["after"] == round(M * 0.2, 2)
    assert block["lower_bound"] == {"before": None, "after": True, "delta": None}


def test_text_and_markdown_say_at_least(tmp_path):
    repo(tmp_path, 'provider "aws" {\n  region = "eu-west-9"\n}\n' + INSTANCE)
    code, out, _ = run(["cost", ".", "--policy", "p.yaml"], tmp_path)
    assert code == 0
    assert "at least $146.00/mo" in out
    assert "not priced: Root volume (gp2, 8 GB, assumed): EBS volume type gp2 is not in the price catalog" in out
    assert "Total: at least $146.00/month for 1 priced resource (1 in part)" in out
    code, out, _ = run(["cost", ".", "--policy", "p.yaml", "--format", "markdown"], tmp_path)
    assert code == 0
    assert "at least \\$146.00" in out and "_not priced: Root volume" in out  # markdown escapes $
    assert "the totals are lower bounds" in out


def test_a_resource_with_no_part_priced_stays_unpriced(tmp_path):
    block = cost(repo(tmp_path, 'provider "aws" {\n  region = "eu-west-9"\n}\n'
                                'resource "aws_ebs_volume" "v" {\n  size = 10\n  type = "gp2"\n}\n'))
    line = only(block)
    assert line["monthly"]["after"] is None and line["incomplete"] is False
    assert line["unpriced"] == "EBS volume type gp2 is not in the price catalog (aws ebs, eu-west-9)"
    assert block["incomplete"] == 0 and block["unpriced"] == 1


def test_the_region_comes_from_aws_region_when_the_provider_sets_none(tmp_path, monkeypatch):
    repo(tmp_path, INSTANCE)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_REGION", "eu-west-9")  # the AWS provider reads AWS_REGION first
    assert only(cost(tmp_path))["components"][0]["unit_price"] == 0.2


def test_the_provider_block_wins_over_the_environment(tmp_path, monkeypatch):
    repo(tmp_path, 'provider "aws" {\n  region = "eu-west-9"\n}\n' + INSTANCE)
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    assert only(cost(tmp_path))["components"][0]["unit_price"] == 0.2


def test_the_policy_region_is_the_last_fallback(tmp_path, monkeypatch):
    repo(tmp_path, INSTANCE, policy="version: 1\nsettings: {prices: prices.json, region: eu-west-9}\nrules: []\n")
    assert only(cost(tmp_path))["components"][0]["unit_price"] == 0.2
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")  # the environment comes before the policy
    assert only(cost(tmp_path))["components"][0]["unit_price"] == 0.096


def test_no_region_anywhere_is_an_unpriced_reason_not_us_east_1(tmp_path):
    line = only(cost(repo(tmp_path, INSTANCE)))
    assert line["monthly"]["after"] is None
    assert line["unpriced"] == ("no region: the aws provider block sets none, nor does AWS_REGION or "
                                "AWS_DEFAULT_REGION, and the policy has no settings.region")


def test_a_resource_uses_the_region_of_the_provider_alias_it_names(tmp_path):
    block = cost(repo(tmp_path, '''
provider "aws" {
  region = "us-east-1"
}
provider "aws" {
  alias  = "west"
  region = "eu-west-9"
}
resource "aws_instance" "default" {
  instance_type = "m5.large"
}
resource "aws_instance" "aliased" {
  provider      = aws.west
  instance_type = "m5.large"
}
'''))
    prices = {r["address"]: r["components"][0]["unit_price"] for r in block["resources"]}
    assert prices == {"aws_instance.default": 0.096, "aws_instance.aliased": 0.2}


@pytest.mark.parametrize("region, closest", [("eu-wset-1", "eu-west-1"), ("us-esat-1", "us-east-1")])
def test_a_misspelt_region_names_the_closest_known_ones(tmp_path, region, closest):
    line = only(cost(repo(tmp_path, f'provider "aws" {{\n  region = "{region}"\n}}\n' + INSTANCE)))
    assert line["unpriced"].startswith(f"region {region} is not among the aws regions of the price catalog; "
                                       "the closest it knows: ")
    assert closest in line["unpriced"].split("the closest it knows: ")[1].split(", ")


def test_google_takes_its_region_from_google_region(tmp_path, monkeypatch):
    write_tree(tmp_path, {".git/HEAD": "", "main.tf":
                          'resource "google_compute_disk" "d" {\n  name = "d"\n  size = 100\n  type = "pd-ssd"\n}\n'})
    code, out, _ = run(["cost", ".", "--format", "json"], tmp_path)
    (line,) = json.loads(out)["cost"]["resources"]
    assert line["unpriced"].startswith("no region: the google provider block sets none, nor does GOOGLE_REGION")
    monkeypatch.setenv("GOOGLE_REGION", "europe-west1")
    code, out, _ = run(["cost", ".", "--format", "json"], tmp_path)
    (line,) = json.loads(out)["cost"]["resources"]
    assert line["unpriced"] is None and line["monthly"]["after"] > 0


def test_diff_marks_a_resource_priced_in_part_and_its_totals_as_lower_bounds(tmp_path):
    import subprocess

    repo(tmp_path, 'provider "aws" {\n  region = "eu-west-9"\n}\n')
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    (tmp_path / ".git" / "HEAD").unlink()
    (tmp_path / ".git").rmdir()
    subprocess.run([*git, "init", "-q", "."], cwd=tmp_path, check=True)
    subprocess.run([*git, "add", "."], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "base"], cwd=tmp_path, check=True)
    (tmp_path / "main.tf").write_text('provider "aws" {\n  region = "eu-west-9"\n}\n' + INSTANCE)
    code, out, err = run(["diff", "--base", "HEAD", "--policy", "p.yaml", "--format", "json"], tmp_path)
    assert code == 0, err
    block = json.loads(out)["cost"]
    (line,) = block["resources"]
    assert line["incomplete"] is True and [m["name"] for m in line["missing"]] == ["Root volume (gp2, 8 GB, assumed)"]
    assert block["incomplete"] == 1 and block["monthly"]["delta"] == round(M * 0.2, 2)
    assert block["lower_bound"] == {"before": False, "after": True, "delta": True}
    code, out, _ = run(["diff", "--base", "HEAD", "--policy", "p.yaml"], tmp_path)
    assert "Monthly: $0.00 -> at least $146.00 (+$146.00, not exact)" in out
    assert "not priced: Root volume (gp2, 8 GB, assumed)" in out
    assert "1 resource is priced in part (a price is missing): the totals are lower bounds" in out


def test_each_resource_names_the_usage_keys_its_parts_read(tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    write_tree(tmp_path, {".git/HEAD": "", "main.tf": 'resource "aws_nat_gateway" "n" {\n  subnet_id = "s"\n}\n'
                                                      'resource "aws_ebs_volume" "v" {\n  size = 10\n}\n'})
    code, out, _ = run(["cost", ".", "--format", "json"], tmp_path)
    keys = {r["address"]: r["usage_keys"] for r in json.loads(out)["cost"]["resources"]}
    assert keys == {"aws_nat_gateway.n": ["monthly_data_processed_gb"], "aws_ebs_volume.v": []}
    code, out, _ = run(["cost", "."], tmp_path)
    assert "      usage keys: monthly_data_processed_gb" in out  # what to put in a usage file


def test_the_gcp_sustained_use_setting_is_a_policy_setting(tmp_path):
    write_tree(tmp_path, {".git/HEAD": "", "main.tf": '''
resource "google_compute_instance" "vm" {
  name         = "vm"
  zone         = "us-central1-a"
  machine_type = "n2-standard-8"
  boot_disk {
    initialize_params {
      size = 10
    }
  }
}
''', "p.yaml": "version: 1\nsettings: {gcp_sustained_use_discount: true}\nrules: []\n"})
    code, out, err = run(["cost", "main.tf", "--policy", "p.yaml", "--format", "json"], tmp_path)
    assert code == 0, err
    [line] = json.loads(out)["cost"]["resources"]
    code, plain, _ = run(["cost", "main.tf", "--format", "json"], tmp_path)
    [list_price] = json.loads(plain)["cost"]["resources"]
    assert line["monthly"]["after"] < list_price["monthly"]["after"]  # the discounted monthly figure
    code, _, err = run(["policy", "validate", "p.yaml"], tmp_path)
    assert code == 0, err
